"""The commissioning file: the levers a council can pull, their costs and sources.

Every figure may carry a source in the lever's ``sources`` table; a figure without one
is reported as ``[est]`` in the Assumptions output. Weekly prices are at the forecast
start date and rise with the finance inflation rate on each uplift date (``[finance]
uplift_month`` and ``uplift_day``, 1 April by default).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from sufficiency.commissioning.demand import GROUPS
from sufficiency.errors import DataWarning
from sufficiency.io.toml_places import Places
from sufficiency.io.toml_problems import in_order, said
from sufficiency.io.tomlfile import (
    not_true_or_false,
    one_of,
    places_of,
    problems_error,
    quoted_numbers,
    read_toml,
)
from sufficiency.prices import DEAREST_ON_RECORD, MOST_WEEKLY_GBP, WEEKS_PER_YEAR

FOSTER_GROUPS = tuple(g for g in GROUPS if g.startswith("foster"))
Group = Annotated[str, one_of(GROUPS, "group")]
FosterGroup = Annotated[str, one_of(FOSTER_GROUPS, "group")]


#: The least weekly fee uplift (£ a household) not warned of: a figure below it reads as a
#: percentage (``3`` for a 3% rise), a rise of pence on a weekly fee of hundreds of pounds.
LEAST_UPLIFT_WEEKLY_GBP = 5.0
#: The least a children's home place costs a week (£): the cheapest figure DOMAIN.md 4.1
#: records, the DfE's ballpark for a council's own home (about £3,000 a week, c.2016).
LEAST_HOME_BED_WEEKLY_GBP = 3_000.0
#: Years of a foster placement bought spot that recruiting one household may cost before
#: it is warned of: a household found for ten years of a spot place (£468,000 at £900 a
#: week) is a figure in pence (``1000000`` for £10,000; the sample's is £10,000).
MOST_RECRUITMENT_SPOT_YEARS = 10


class _Lever(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    _not_true_or_false = field_validator("*", mode="before")(not_true_or_false)

    sources: dict[str, str] = Field(default_factory=dict)
    #: The lever's name in the reports (``label = "..."``); blank: said from its kind.
    label: str = ""

    @field_validator("label")
    @classmethod
    def _one_line(cls, label: str) -> str:
        """A label on one line, without spaces around it: one of spaces only is blank (the
        lever is then said from its kind, not shown as an empty name)."""
        return " ".join(label.split())

    @model_validator(mode="after")
    def _known_sources(self) -> _Lever:
        unknown = sorted(set(self.sources) - set(type(self).model_fields) - {"sources", "label"})
        if unknown:
            raise ValueError(f"sources names no such figure: {', '.join(unknown)}")
        return self

    @model_validator(mode="after")
    def _pounds_a_week(self) -> _Lever:
        """A weekly price above any placement recorded in England is a figure in pence or
        a year's cost (``foster_weekly_gbp = 90000`` priced foster care at £90,000 a week
        and the plan 'saved' £1.5bn)."""
        for field, value in self:
            if "weekly" in field and field.endswith("_gbp") and value > MOST_WEEKLY_GBP:
                raise ValueError(
                    f"{field} is £{value:,.0f} a week, more than {DEAREST_ON_RECORD}: is it "
                    "in pence, or a year's cost? Give pounds a week"
                )
        return self

    def source(self, field: str) -> str:
        """Where a figure comes from, or ``[est]`` when none is given."""
        return self.sources.get(field, "[est] no source given")


class SpotPrices(_Lever):
    """Spot purchase, the fallback: weekly price per capacity group.

    ``residential_high_cost_share`` of residential spot placements cost
    ``residential_high_cost_weekly_gbp`` (the high-cost tail); the optimiser uses the
    blended price.
    """

    foster_weekly_gbp: float = Field(gt=0)
    residential_weekly_gbp: float = Field(gt=0)
    residential_high_cost_share: float = Field(default=0.0, ge=0, le=1)
    residential_high_cost_weekly_gbp: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _tail_priced(self) -> SpotPrices:
        if self.residential_high_cost_share > 0 and self.residential_high_cost_weekly_gbp <= 0:
            raise ValueError(
                "residential_high_cost_share is given but residential_high_cost_weekly_gbp is "
                "missing or 0 (the high-cost placements would be priced at nothing)"
            )
        high, usual = self.residential_high_cost_weekly_gbp, self.residential_weekly_gbp
        if self.residential_high_cost_share > 0 and 0 < high < usual:
            # 1200 for £12,000 made spot £5,610 a week, not £6,690, with no word
            raise ValueError(
                f"residential_high_cost_weekly_gbp (£{high:,.0f} a week) is less than "
                f"residential_weekly_gbp (£{usual:,.0f}), though it prices the high-cost "
                f"placements ({self.residential_high_cost_share:.0%} of them, "
                "residential_high_cost_share): is a figure mistyped? Give the high-cost "
                "placements' price in pounds a week"
            )
        if self.foster_weekly_gbp > self.residential_weekly_gbp:
            raise ValueError(
                f"foster_weekly_gbp (£{self.foster_weekly_gbp:,.0f} a week) is more than "
                f"residential_weekly_gbp (£{self.residential_weekly_gbp:,.0f}), a children's "
                "home place: is it in pence, or a year's cost? Give pounds a week"
            )
        return self

    def weekly_gbp(self, group: str) -> float:
        """Expected weekly spot price of one placement in ``group``."""
        if group == "residential":
            s = self.residential_high_cost_share
            return (1 - s) * self.residential_weekly_gbp + s * self.residential_high_cost_weekly_gbp
        return self.foster_weekly_gbp


class Recruitment(_Lever):
    """Recruiting in-house foster households for one capacity group."""

    group: FosterGroup
    recruitment_cost_gbp: float = Field(ge=0)
    months_to_approval: int = Field(ge=0, le=36)
    attrition_per_year: float = Field(ge=0, lt=1)
    places_per_household: float = Field(gt=0)
    max_households_per_year: int = Field(ge=0)
    support_cost_gbp_per_household_year: float = Field(default=0.0, ge=0)
    weekly_cost_gbp: float = Field(gt=0)

    @model_validator(mode="after")
    def _pounds_per_household(self) -> Recruitment:
        """A household's cost above a year of the dearest placement on record is in pence:
        no foster household costs that to find or support."""
        for field in ("recruitment_cost_gbp", "support_cost_gbp_per_household_year"):
            if (value := getattr(self, field)) > 52 * MOST_WEEKLY_GBP:
                raise ValueError(
                    f"{field} is £{value:,.0f} per household, more than a year of "
                    f"{DEAREST_ON_RECORD}: is it in pence? Give pounds per household"
                    + (" a year" if field.endswith("_year") else "")
                )
        return self


class FeeUplift(_Lever):
    """A fee uplift for in-house carers and the extra recruits it is assumed to bring."""

    weekly_gbp_per_household: float = Field(ge=0)
    existing_households: int = Field(ge=0)
    extra_households_per_year: int = Field(ge=0)


class BlockContract(_Lever):
    """A block contract: places reserved at a weekly price, paid whether used or not."""

    name: str = Field(min_length=1)
    group: Group
    weekly_price_gbp: float = Field(gt=0)
    contract_years: int = Field(ge=1, le=10)
    min_places: int = Field(ge=0)
    max_places: int = Field(ge=0)

    @model_validator(mode="after")
    def _check(self) -> BlockContract:
        # max_places = 0 switches the block off, whatever its minimum (the docs' way to
        # switch one off is to set its max_places to 0, not to change two figures).
        if 0 < self.max_places < self.min_places:
            raise ValueError("min_places is larger than max_places")
        return self


class InHouseHome(_Lever):
    """Opening an in-house children's home."""

    setup_cost_gbp: float = Field(ge=0)
    beds: int = Field(ge=1)
    running_cost_gbp_per_year: float = Field(ge=0)
    lead_time_months: int = Field(ge=0, le=60)
    max_homes: int = Field(default=1, ge=0)

    @model_validator(mode="after")
    def _pounds_a_year(self) -> InHouseHome:
        """A running cost above the dearest placement on record for every bed, every week,
        is in pence (``56000000`` for £560,000 priced the home out of every plan)."""
        bed_week = self.running_cost_gbp_per_year / self.beds / 52
        if bed_week > MOST_WEEKLY_GBP:
            raise ValueError(
                f"running_cost_gbp_per_year is £{self.running_cost_gbp_per_year:,.0f} a year, "
                f"£{bed_week:,.0f} a bed a week, more than {DEAREST_ON_RECORD}: is it in "
                "pence? Give pounds a year"
            )
        # a bed costing more to open than a year of the dearest placement: in pence
        # (``75000000`` for £750,000 left the home out of every plan with no word)
        if (bed := self.setup_cost_gbp / self.beds) > 52 * MOST_WEEKLY_GBP:
            raise ValueError(
                f"setup_cost_gbp is £{self.setup_cost_gbp:,.0f}, £{bed:,.0f} a bed, more "
                f"than a year of {DEAREST_ON_RECORD} for every bed: is it in pence? Give pounds"
            )
        return self


class ServiceLimit(_Lever):
    """At most ``max_probability`` chance that a spot placement is needed in a month."""

    group: Group
    max_probability: float = Field(ge=0, le=1)
    from_month: int = Field(default=1, ge=1)


class Levers(BaseModel):
    """Everything in a commissioning file."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    _not_true_or_false = field_validator("*", mode="before")(not_true_or_false)

    spot: SpotPrices
    recruit: tuple[Recruitment, ...] = ()
    fee_uplift: FeeUplift | None = None
    block: tuple[BlockContract, ...] = ()
    home: InHouseHome | None = None
    service_limit: tuple[ServiceLimit, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Levers:
        groups = [r.group for r in self.recruit]
        if len(set(groups)) != len(groups):
            raise ValueError("more than one [[recruit]] lever for the same group")
        names = [b.name for b in self.block]
        if len(set(names)) != len(names):
            raise ValueError("two [[block]] contracts share a name")
        if dear := not_below_spot(self):
            raise ValueError("\n".join(dear))  # a line each (parse_levers)
        return self

    @model_validator(mode="after")
    def _uplift_in_pounds(self) -> Levers:
        """A fee uplift as large as a whole IFA placement's weekly price is in pence:
        ``weekly_gbp_per_household = 4000`` (£40) was taken as £4,000 a week and the
        uplift silently left out of the plan."""
        up, spot = self.fee_uplift, self.spot.foster_weekly_gbp
        if up is not None and up.weekly_gbp_per_household >= spot:
            raise ValueError(
                f"fee_uplift.weekly_gbp_per_household is £{up.weekly_gbp_per_household:,.0f} "
                f"a week, as much as a whole foster placement bought spot "
                f"(spot.foster_weekly_gbp, £{spot:,.0f}): is it in pence? Give the rise in "
                "pounds a week per household (40 for £40)"
            )
        return self

    def recruit_for(self, group: str) -> Recruitment | None:
        """The recruitment lever of ``group``, if any."""
        return next((r for r in self.recruit if r.group == group), None)


def spot_words(spot: SpotPrices, group: str) -> str:
    """The spot price a ``group``'s lever is set against, in words naming its figure: a
    foster placement's, or a children's home place's (on average with its high-cost tail,
    the price the plan is made on)."""
    if group != "residential":
        foster = spot.foster_weekly_gbp
        return f'a foster placement bought spot ("spot.foster_weekly_gbp", £{foster:,.0f})'
    if spot.residential_high_cost_share == 0:
        return (f'a children\'s home place bought spot ("spot.residential_weekly_gbp", '
                f"£{spot.residential_weekly_gbp:,.0f})")  # fmt: skip
    return (f"a children's home place bought spot (£{spot.weekly_gbp(group):,.0f} on average: "
            f'"spot.residential_weekly_gbp" with {spot.residential_high_cost_share:.0%} at '
            f'"spot.residential_high_cost_weekly_gbp")')  # fmt: skip


def not_below_spot(levers: Levers) -> list[str]:
    """A sentence for each new carer's weekly cost or block price not below the spot price
    of its kind, which the plan cannot use: a new carer dearer than spot is a price the
    model cannot make (it places children with new carers before spot), and a block
    place dearer than spot saves nothing. Each is refused, naming its figures."""
    out = [
        f'[[recruit]] "{r.group}": "weekly_cost_gbp" is £{r.weekly_cost_gbp:,.0f} a week, '
        f"not below {spot_words(levers.spot, r.group)}: the plan places children with new "
        "carers before buying spot, so their weekly cost must be below it. Is a figure "
        "mistyped?"
        for r in levers.recruit
        if r.weekly_cost_gbp >= levers.spot.weekly_gbp(r.group)
    ]
    out += [
        f'[[block]] "{b.name}": "weekly_price_gbp" is £{b.weekly_price_gbp:,.0f} a week, not '
        f"below {spot_words(levers.spot, b.group)}: a block place paid whether used or not "
        "would save nothing against spot. Is a figure mistyped?"
        for b in levers.block
        if b.weekly_price_gbp >= levers.spot.weekly_gbp(b.group)
    ]
    return out


#: What a key no lever has is told.
_UNKNOWN = "is not a section or figure of a levers file (docs/commissioning.md lists them)"


def parse_levers(
    data: dict[str, object], source: str = "levers file", places: Places | None = None
) -> Levers:
    """Validate a parsed commissioning file; every problem in one :class:`ConfigError`,
    each naming its line when the file's ``places`` are given."""
    found: list[tuple[tuple[object, ...], str]] = [
        (q[:-1], q[-1]) for q in quoted_numbers(Levers, data)
    ]
    try:
        levers = Levers.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            msg = said(err, Levers, _UNKNOWN)
            found += (
                [(tuple(err["loc"]), msg)] if err["loc"] else [((), m) for m in msg.split("\n")]
            )
    if found:
        raise problems_error(source, in_order(found, places))
    for doubt in doubts(levers):
        warnings.warn(f"{source}: {doubt}", DataWarning, stacklevel=2)
    return levers


def doubts(levers: Levers) -> list[str]:
    """Figures that are allowed but look like a slip: each a sentence naming the key."""
    said = [
        f'[[recruit]] "{r.group}": "recruitment_cost_gbp" is £0, so the plan recruits foster '
        "households for nothing (marketing, enquiries and the assessment cost something): "
        "is the figure missing?"
        for r in levers.recruit
        if r.recruitment_cost_gbp == 0
    ]
    year_spot = 52 * levers.spot.foster_weekly_gbp
    for r in levers.recruit:
        if r.recruitment_cost_gbp > MOST_RECRUITMENT_SPOT_YEARS * year_spot:
            said.append(
                f'[[recruit]] "{r.group}": "recruitment_cost_gbp" is '
                f"£{r.recruitment_cost_gbp:,.0f} per household, more than "
                f"{MOST_RECRUITMENT_SPOT_YEARS} years of a foster placement bought spot "
                f'("spot.foster_weekly_gbp", £{year_spot:,.0f} a year): is it in pence? '
                "Give pounds per approved household"
            )
        if r.support_cost_gbp_per_household_year > year_spot:
            said.append(
                f'[[recruit]] "{r.group}": "support_cost_gbp_per_household_year" is '
                f"£{r.support_cost_gbp_per_household_year:,.0f} a year, more than a foster "
                f'placement bought spot costs a year ("spot.foster_weekly_gbp", '
                f"£{year_spot:,.0f}): is it in pence? Give pounds a year per household"
            )
    up = levers.fee_uplift
    if up is not None and 0 < up.weekly_gbp_per_household < LEAST_UPLIFT_WEEKLY_GBP:
        said.append(
            f'"fee_uplift.weekly_gbp_per_household" is £{up.weekly_gbp_per_household:,.2f} a '
            "week per household, small for a fee rise: is it a percentage? Give the rise "
            "in pounds a week per household (a 3% rise on a £400 fee is 12)"
        )
    said += dearer_than_spot(levers)
    home = levers.home
    if home is not None:
        bed_week = home.running_cost_gbp_per_year / home.beds / 52
        if bed_week < LEAST_HOME_BED_WEEKLY_GBP:
            said.append(
                f'"home.running_cost_gbp_per_year" is £{home.running_cost_gbp_per_year:,.0f} a '
                f"year for {home.beds} beds, £{bed_week:,.0f} a bed a week, less than the "
                f"cheapest children's home place on record (about £3,000 a week, DfE): is it "
                "a week's or a month's cost? Give pounds a year"
            )
    return said


def dearer_than_spot(levers: Levers) -> list[str]:
    """A sentence for each in-house place that costs more a week than buying its kind
    spot, though the file allows it: a home whose running cost a bed, full all year, is
    above a children's home place bought spot, and a new carer's place whose weekly cost
    with the household's support spread over its places is above a foster placement's.
    The plan takes such a lever only where a service limit needs its places; a figure
    mistyped (a year's cost for more beds, support for the year given as a week's) would
    leave it out with no word."""
    out = []
    for r in levers.recruit:
        support = r.support_cost_gbp_per_household_year / WEEKS_PER_YEAR / r.places_per_household
        place = r.weekly_cost_gbp + support
        # a weekly cost at or above spot is refused (not_below_spot), support of more than
        # a year of spot is warned of as pence (doubts): each figure said once
        said = r.support_cost_gbp_per_household_year > 52 * levers.spot.foster_weekly_gbp
        if not said and r.weekly_cost_gbp < levers.spot.weekly_gbp(r.group) <= place:
            out.append(
                f'[[recruit]] "{r.group}": a new carer\'s place costs £{place:,.0f} a week'
                f' ("weekly_cost_gbp" £{r.weekly_cost_gbp:,.0f} and '
                f'"support_cost_gbp_per_household_year" £{support:,.0f} a week a place over '
                f"{r.places_per_household:g} places), not less than "
                f"{spot_words(levers.spot, r.group)}: the plan recruits for it only where a "
                "service limit needs the places. Is a figure mistyped?"
            )
    home = levers.home
    if home is not None and home.max_homes > 0:
        bed_week = home.running_cost_gbp_per_year / home.beds / WEEKS_PER_YEAR
        if bed_week >= levers.spot.weekly_gbp("residential"):
            out.append(
                f'"home.running_cost_gbp_per_year" is £{home.running_cost_gbp_per_year:,.0f} a '
                f"year for {home.beds} beds, £{bed_week:,.0f} a bed a week with every bed "
                f"full, not less than {spot_words(levers.spot, 'residential')}: the plan opens "
                "such a home only where a service limit needs its beds. Is a figure mistyped "
                "(the running cost of more beds, say)?"
            )
    return out


def load_levers(path: Path | str) -> Levers:
    """Read and validate a commissioning (levers) TOML file.

    Raises
    ------
    ConfigError
        The file is missing, is not TOML, or a lever has a missing, negative or
        inconsistent figure.
    """
    data = read_toml(path, "levers")
    return parse_levers(data, str(path), places_of(path))
