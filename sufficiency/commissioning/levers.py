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

from sufficiency import vocabulary
from sufficiency.commissioning.demand import GROUPS
from sufficiency.errors import DataWarning
from sufficiency.io.tomlfile import (
    not_true_or_false,
    one_of,
    problems_error,
    quoted_numbers,
    read_toml,
)
from sufficiency.prices import DEAREST_ON_RECORD, MOST_WEEKLY_GBP

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
        for r in self.recruit:
            if r.weekly_cost_gbp >= self.spot.weekly_gbp(r.group):
                raise ValueError(f"recruit {r.group}: in-house weekly cost is not below spot")
        for b in self.block:
            if b.weekly_price_gbp >= self.spot.weekly_gbp(b.group):
                raise ValueError(f"block {b.name}: weekly price is not below spot")
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


def _where(loc: tuple[object, ...]) -> str:
    if len(loc) > 1 and isinstance(loc[1], int):
        # the n-th [[recruit]] / [[block]] / [[service_limit]], counted from 1
        rest = ".".join(str(x) for x in loc[2:])
        return f"[[{loc[0]}]] {loc[1] + 1}:" + (f" {rest}" if rest else "")
    return ".".join(str(x) for x in loc)


def parse_levers(data: dict[str, object], source: str = "levers file") -> Levers:
    """Validate a parsed commissioning file; every problem in one :class:`ConfigError`."""
    msgs = [f"{_where(q[:-1])} {q[-1]}" for q in quoted_numbers(Levers, data)]
    try:
        levers = Levers.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = _where(err["loc"])
            msg = {
                "missing": "is missing",
                "extra_forbidden": "is not a section or figure of a levers file (check the "
                "spelling against docs/commissioning.md)",
            }.get(err["type"], err["msg"].removeprefix("Value error, "))
            msgs.append(f"{loc} {msg}" if loc else msg)
    if msgs:
        raise problems_error(source, msgs)
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


def load_levers(path: Path | str) -> Levers:
    """Read and validate a commissioning (levers) TOML file.

    Raises
    ------
    ConfigError
        The file is missing, is not TOML, or a lever has a missing, negative or
        inconsistent figure.
    """
    return parse_levers(read_toml(path, "levers"), str(path))


def assumptions(levers: Levers) -> list[tuple[str, str, str]]:
    """Every figure of the levers as ``(name, value, source)`` rows, in file order."""
    rows: list[tuple[str, str, str]] = []

    def add(prefix: str, lever: _Lever) -> None:
        for field, value in lever.model_dump(exclude={"sources"}).items():
            if isinstance(value, str):
                continue
            rows.append((f"{prefix}.{field}", f"{value:,}", lever.source(field)))

    add("spot", levers.spot)
    for r in levers.recruit:
        add(f"recruit[{r.group}]", r)
    if levers.fee_uplift is not None:
        add("fee_uplift", levers.fee_uplift)
    for b in levers.block:
        add(f"block[{b.name}]", b)
    if levers.home is not None:
        add("home", levers.home)
    for s in levers.service_limit:
        add(f"service_limit[{s.group}]", s)
    return rows


def lever_title(levers: Levers, kind: str, group: str = "", name: str = "") -> str:
    """A lever in plain words: its ``label`` from the file, else its kind and group."""
    label = ""
    if kind == "recruit":
        r = levers.recruit_for(group)
        label = r.label if r is not None else ""
    elif kind == "block":
        label = next((b.label for b in levers.block if b.name == name), "")
    elif kind == "home" and levers.home is not None:
        label = levers.home.label
    elif kind == "uplift" and levers.fee_uplift is not None:
        label = levers.fee_uplift.label
    return vocabulary.lever(kind, group if kind == "recruit" else "", name, label)


#: Figures of a levers file that are shares (0 to 1), shown as percentages.
SHARE_FIELDS = frozenset({"residential_high_cost_share", "attrition_per_year", "max_probability"})


def _figure(field: str, value: float) -> str:
    """A levers figure as a person reads it: money in pounds, a share as a percentage, a
    whole number without '.0' (``900.0`` -> ``£900``, ``0.11`` -> ``11%``)."""
    if field in SHARE_FIELDS:
        pct = round(float(value) * 100, 6)
        return f"{pct:,.0f}%" if pct == int(pct) else f"{pct:,.1f}%"
    whole = float(value) == int(value)
    if "_gbp" in field:
        return f"£{value:,.0f}" if whole else f"£{value:,.2f}"
    return f"{int(value):,}" if whole else f"{value:,}"


def plain_assumptions(levers: Levers) -> list[tuple[str, str, str, str]]:
    """Every figure of the levers as ``(lever, figure, value, source)`` in plain words."""
    rows: list[tuple[str, str, str, str]] = []

    def add(title: str, lever: _Lever) -> None:
        for field, value in lever.model_dump(exclude={"sources"}).items():
            if isinstance(value, str):
                continue
            rows.append((title, vocabulary.lever_field(field), _figure(field, value),
                         lever.source(field)))  # fmt: skip

    add(vocabulary.lever("spot"), levers.spot)
    for r in levers.recruit:
        add(lever_title(levers, "recruit", r.group), r)
    if levers.fee_uplift is not None:
        add(lever_title(levers, "uplift"), levers.fee_uplift)
    for b in levers.block:
        add(lever_title(levers, "block", b.group, b.name), b)
    if levers.home is not None:
        add(lever_title(levers, "home"), levers.home)
    for s in levers.service_limit:
        add(f"{vocabulary.lever('service_limit')}: {vocabulary.group(s.group).lower()}", s)
    return rows
