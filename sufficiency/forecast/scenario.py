"""Scenarios: rate changes a commissioner can express, saved as TOML files.

Example (``data/sample/scenarios/entries_up_20.toml``)::

    name = "Entries up 20%, 16-17s up 40%"
    [entries]
    change_pct = 20
    [entries.change_pct_by_age_band]
    "16-17" = 40

    [[step_down]]
    from = "external_residential"
    to = "in_house_foster"
    per_month = 1

    [[shift]]
    from = "ifa_foster"
    to = "in_house_foster"
    fraction = 0.25

    [exit_rate_change_pct]
    with_parents = 10
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sufficiency.forecast.states import AGE_BANDS, CATEGORIES
from sufficiency.io.tomlfile import not_true_or_false, one_of, read_toml, validate_toml

#: Largest percentage change a scenario may make (the web form's limit too): six times
#: the base's entries is already far beyond any plan, and much more would fill memory.
MAX_CHANGE_PCT = 500

#: A forecast category, an age band, a percentage change (-100% to +500%).
Category = Annotated[str, one_of(CATEGORIES, "category")]
AgeBand = Annotated[str, one_of(AGE_BANDS, "age band")]
PercentChange = Annotated[float, Field(ge=-100, le=MAX_CHANGE_PCT)]


class _Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )
    _not_true_or_false = field_validator("*", mode="before")(not_true_or_false)


class EntryChange(_Frozen):
    """Change in the number of children entering care, percent (+20 = a fifth more)."""

    change_pct: PercentChange = 0.0
    change_pct_by_age_band: dict[AgeBand, PercentChange] = {}

    def multiplier(self, band: str) -> float:
        """Factor on entries in ``band`` (a band's own change replaces the overall one)."""
        return 1 + self.change_pct_by_age_band.get(band, self.change_pct) / 100


class StepDown(_Frozen):
    """``per_month`` children a month moved from one category to another (e.g. residential
    to foster care), from month ``start_month`` of the forecast to ``end_month``."""

    from_category: Category = Field(default="external_residential", alias="from")
    to_category: Category = Field(default="in_house_foster", alias="to")
    per_month: float = Field(gt=0)
    start_month: int = Field(default=1, ge=1)
    end_month: int | None = None

    @model_validator(mode="after")
    def _sensible(self) -> StepDown:
        _differ(self.from_category, self.to_category, "step-down")
        if self.end_month is not None and self.end_month < self.start_month:
            raise ValueError(
                f"end_month {self.end_month} is before start_month {self.start_month}: "
                "the step-downs would never happen"
            )
        return self

    def count_in_month(self, month: int) -> int:
        """Step-downs in forecast month ``month`` (1-based); fractions accumulate."""
        if month < self.start_month or (self.end_month is not None and month > self.end_month):
            return 0
        k = month - self.start_month + 1
        return int(k * self.per_month + 1e-9) - int((k - 1) * self.per_month + 1e-9)


class Shift(_Frozen):
    """A fraction of entries and moves into one category go to another instead
    (e.g. a quarter of IFA placements made in-house)."""

    from_category: Category = Field(alias="from")
    to_category: Category = Field(alias="to")
    fraction: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _sensible(self) -> Shift:
        _differ(self.from_category, self.to_category, "shift")
        return self


def _differ(src: str, dst: str, what: str) -> None:
    if src == dst:
        raise ValueError(
            f"a {what} from {src!r} to the same category changes nothing; "
            "give `to` another category"
        )


#: Label of the forecast without changes in every output.
BASE_NAME = "base"


class Scenario(_Frozen):
    """A named set of changes applied to the base forecast's rates."""

    name: str = BASE_NAME
    description: str = ""
    entries: EntryChange = EntryChange()
    step_down: tuple[StepDown, ...] = ()
    shift: tuple[Shift, ...] = ()
    exit_rate_change_pct: dict[Category, PercentChange] = {}

    @field_validator("step_down", "shift", mode="before")
    @classmethod
    def _one_table(cls, value: object) -> object:
        """A single ``[step_down]`` table (one pair of brackets) is one step-down."""
        return [value] if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _shares(self) -> Scenario:
        total: dict[str, float] = {}
        for sh in self.shift:
            total[sh.from_category] = total.get(sh.from_category, 0.0) + sh.fraction
        over = [f"{cat} ({100 * t:g}%)" for cat, t in total.items() if t > 1 + 1e-9]
        if over:
            raise ValueError(
                "shift: the fractions moved from one category add up to more than all of it: "
                + ", ".join(over)
            )
        return self

    @model_validator(mode="after")
    def _named(self) -> Scenario:
        # the base forecast's rows are labelled "base" in every output: a scenario of
        # that name (or none) could not be told from it
        if not self.is_base and self.name.strip().casefold() in ("", BASE_NAME):
            raise ValueError(
                f"name {self.name!r}: give the scenario a name of its own (the outputs label "
                f"the forecast without changes {BASE_NAME!r})"
            )
        # the name heads a column, a sheet and a chart's legend, and is a CSV cell
        if any(unicodedata.category(c).startswith("C") for c in self.name):
            raise ValueError(
                f"name {self.name!r}: use letters, numbers, spaces and punctuation only (no "
                "tabs, line breaks or control characters)"
            )
        return self

    def doubts(self) -> list[str]:
        """Changes that are allowed but look like a slip, each a sentence naming the key: a
        percentage between -1 and 1 is a fraction (``change_pct = 0.2`` meant as 20% was
        taken as 0.2%, and the scenario read as the base)."""
        # each key in double quotes, as typed: the reports' plain words leave it as it is
        pcts = [('"entries.change_pct"', self.entries.change_pct)]
        pcts += [(f'"entries.change_pct_by_age_band" for "{k}"', v)
                 for k, v in self.entries.change_pct_by_age_band.items()]  # fmt: skip
        pcts += [(f'"exit_rate_change_pct.{k}"', v) for k, v in self.exit_rate_change_pct.items()]
        return [
            f"{key} is {v:g}, a change of {v:g}%: is it a fraction? Give percent "
            f"({100 * v:g} for {100 * v:g}%)"
            for key, v in pcts
            if 0 < abs(v) < 1
        ]

    @property
    def is_base(self) -> bool:
        """True when the scenario changes nothing."""
        return (
            self.entries == EntryChange()
            and not self.step_down
            and not self.shift
            and not any(self.exit_rate_change_pct.values())
        )


BASE = Scenario()
#: The sections of a commissioning levers file (``commissioning.levers.Levers``, which the
#: forecast does not import): given in a scenario file, each is said to belong there.
LEVERS = ("spot", "recruit", "fee_uplift", "block", "home", "service_limit")


def load_scenario(path: Path | str) -> Scenario:
    """Read a scenario TOML file.

    Raises
    ------
    ConfigError
        The file is missing, is not TOML, or names an unknown key, category or age band.
    """
    data = read_toml(path, "scenario")
    data.setdefault("name", Path(path).stem)
    # a commissioning lever in a scenario file was "not a setting of this version"
    levers = [
        (
            (key,),
            "is a commissioning lever, read from a levers file (`sufficiency commission "
            "--levers`, or a member's `levers` in a region's members file), not a scenario's "
            "setting: move it there",
        )
        for key in data
        if key in LEVERS
    ]
    kept = {k: v for k, v in data.items() if k not in LEVERS}
    return validate_toml(Scenario, kept, path, levers)
