"""Supply of placements over the horizon, and the shortfall against simulated demand.

Supply comes from a TOML file (format in ``docs/forecast.md``) and the placement
register's current vacancies. In-house categories without a section in the file
get the places in use on the start date plus the register's vacancies, held flat.
What in-house places cannot hold must be bought: in-house foster overflow goes to
IFAs, in-house residential overflow to external homes, and demand for IFA, external
residential or supported places beyond the block contracts is spot-purchased.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from sufficiency.codes import REGISTER_CATEGORY, Provider, Setting
from sufficiency.errors import ConfigError
from sufficiency.figures import day as said_day
from sufficiency.forecast.result import ForecastResult
from sufficiency.forecast.scenario import Category
from sufficiency.forecast.states import CAT, CATEGORIES
from sufficiency.io.inputs import read_placements_for_night
from sufficiency.io.tables import first_rows
from sufficiency.io.tomlfile import load_toml, not_true_or_false

IN_HOUSE = ("in_house_foster", "in_house_residential")
#: (in-house category whose overflow spills, external category, purchase label)
PURCHASES = (
    ("in_house_foster", "ifa_foster", "foster (IFA / spot)"),
    ("in_house_residential", "external_residential", "residential (external homes)"),
    (None, "supported", "supported accommodation"),
)
#: Categories whose block-contracted places the supply and shortfall count.
BLOCK_CATEGORIES = ("ifa_foster", "external_residential", "supported")


def _block_category(value: str) -> str:
    """A block contract's category must be one the shortfall counts (else it is lost)."""
    if value in CATEGORIES and value not in BLOCK_CATEGORIES:
        raise ValueError(
            f"block contracts are counted for {', '.join(BLOCK_CATEGORIES)} only, so places "
            f"in {value} would be left out of the supply and shortfall; in-house places go "
            "under [in_house_foster] or [in_house_residential]"
        )
    return value


class StepChange(BaseModel):
    """From ``date`` on, the category has ``places`` places (e.g. a new home opens)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    _not_true_or_false = field_validator("*", mode="before")(not_true_or_false)

    date: date
    places: int = Field(ge=0)


class CategorySupply(BaseModel):
    """Places in one in-house category: a start figure, yearly flows, and step changes."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )
    _not_true_or_false = field_validator("*", mode="before")(not_true_or_false)

    places: int = Field(ge=0, alias="beds")
    approvals_per_year: float = Field(default=0.0, ge=0)
    deregistrations_per_year: float = Field(default=0.0, ge=0)
    changes: tuple[StepChange, ...] = ()

    def places_on(self, start: pd.Timestamp, when: pd.Timestamp) -> float:
        """Places available on ``when`` (net approvals accrue linearly)."""
        base = float(self.places)
        since = start
        for ch in sorted(self.changes, key=lambda c: c.date):
            if pd.Timestamp(ch.date) <= when:
                base, since = float(ch.places), max(pd.Timestamp(ch.date), start)
        years = (when - since).days / 365.25
        return max(base + (self.approvals_per_year - self.deregistrations_per_year) * years, 0.0)


class SupplyPlan(BaseModel):
    """The supply file: in-house places per category and block-contracted places."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    _not_true_or_false = field_validator("*", mode="before")(not_true_or_false)

    in_house_foster: CategorySupply | None = None
    in_house_residential: CategorySupply | None = None
    block_contracts: dict[
        Annotated[Category, AfterValidator(_block_category)], Annotated[int, Field(ge=0)]
    ] = {}


def load_supply(path: Path | str) -> SupplyPlan:
    """Read a supply TOML file; raise :class:`ConfigError` naming the problem."""
    return load_toml(SupplyPlan, path, "supply")


def register_vacancies(placements: pd.DataFrame | None) -> dict[str, int]:
    """Current vacancies per category from a placement register (``read_placements``)."""
    out = dict.fromkeys(CATEGORIES, 0)
    if placements is None or placements.empty:
        return out
    for (setting, provider), n in (
        placements.groupby(["setting", "provider"])["vacancies"].sum().items()
    ):
        cat = REGISTER_CATEGORY.get((setting, provider))
        if cat is not None:
            out[cat] += int(n)
    return out


def supply_assumed(
    result: ForecastResult, plan: SupplyPlan, vacancies: dict[str, int] | None = None
) -> list[str]:
    """What a supply file leaves to assumption, in sentences: an in-house category with no
    section of its own (its places in use on the start date plus the register's vacancies,
    held flat), a step change dated on or before the start (its places replace the
    section's own from the start), a figure over ten times the children there now, and
    in-house places under half of them.
    ``vacancies`` is ``None`` when no register was given."""
    in_use = result.stock[0, 0].sum(axis=1)
    said = []
    for cat in IN_HOUSE:
        spec: CategorySupply | None = getattr(plan, cat)
        if spec is None:
            free = 0 if vacancies is None else vacancies.get(cat, 0)
            plus = (
                "(no placement register was given for its vacancies)"
                if vacancies is None
                else f"plus {free:,} {'vacancy' if free == 1 else 'vacancies'} on the "
                "placement register"
            )
            said.append(
                f"The supply file has no [{cat}] section: its places are taken as the "
                f"{int(in_use[CAT[cat]]):,} children there on {said_day(result.start)} {plus}, "
                "held flat."
            )
            continue
        past = [ch for ch in spec.changes if pd.Timestamp(ch.date) <= result.start]
        if past:
            ch = max(past, key=lambda c: c.date)
            said.append(
                f"The supply file's [{cat}] change on {said_day(ch.date)} is on or before the "
                f"forecast start ({said_day(result.start)}), so its {ch.places:,} places are "
                f"used from the start, not the section's own {spec.places:,}."
            )
    return said + _far_beyond(result, plan, in_use)


#: Places this many times the children there now (and at least ``_FAR_PLACES`` more) are
#: doubted: 26,200 in-house foster places typed for 262 showed no shortfall, with no word.
_FAR_TIMES = 10
_FAR_PLACES = 50
#: In-house places at the start under this share of the children in them (a half) are
#: doubted: places count the places in use too, so the figure is likely the vacancies.
_FEWER_TIMES = 2


def _far_beyond(result: ForecastResult, plan: SupplyPlan, in_use: np.ndarray) -> list[str]:
    """A sentence for each figure of the supply file over ten times the children in its
    category on the start date (a digit too many), and for in-house places at the start
    under half the children in them (the vacancies given as the places): the shortfall is
    computed as given."""
    given: list[tuple[str, str, int]] = []
    said = []
    for cat in IN_HOUSE:
        spec: CategorySupply | None = getattr(plan, cat)
        if spec is None:
            continue
        given.append(
            (cat, f"[{cat}] places", max([spec.places, *(ch.places for ch in spec.changes)]))
        )
        if spec.places * _FEWER_TIMES < (now := int(in_use[CAT[cat]])):
            said.append(
                f"The supply file's [{cat}] places ({spec.places:,}) are under half the "
                f"{now:,} children there on {said_day(result.start)}: places count every "
                "place, those children's included; is it the vacancies? The shortfall is "
                "computed with it as given."
            )
    given += [(cat, f"[block_contracts] {cat}", n) for cat, n in plan.block_contracts.items()]
    for cat, what, places in given:
        now = int(in_use[CAT[cat]])
        if places > _FAR_TIMES * now and places >= now + _FAR_PLACES:
            said.append(
                f"The supply file's {what} ({places:,}) are over {_FAR_TIMES} times the "
                f"{now:,} {'child' if now == 1 else 'children'} there on "
                f"{said_day(result.start)}: check the figure (a digit too many?); the "
                "shortfall is computed with it as given."
            )
    return said


def supply_table(
    result: ForecastResult, plan: SupplyPlan | None, vacancies: dict[str, int] | None = None
) -> pd.DataFrame:
    """Places per commissioned category at each month end: ``month, category, places, kind``."""
    plan = plan or SupplyPlan()
    vacancies = vacancies or dict.fromkeys(CATEGORIES, 0)
    start = result.start
    in_use = result.stock[0, 0].sum(axis=1)
    rows = []
    for m in result.month_ends:
        for cat in IN_HOUSE:
            spec: CategorySupply | None = getattr(plan, cat)
            if spec is not None:
                places = spec.places_on(start, pd.Timestamp(m))
            else:
                places = float(in_use[CAT[cat]] + vacancies.get(cat, 0))
            rows.append((m, cat, places, "in_house"))
        for cat in BLOCK_CATEGORIES:
            rows.append((m, cat, float(plan.block_contracts.get(cat, 0)), "block_contract"))
    df = pd.DataFrame(rows, columns=["month", "category", "places", "kind"])
    df["month"] = pd.DatetimeIndex(df["month"]).strftime("%Y-%m-%d")
    return df


def shortfall(
    result: ForecastResult, plan: SupplyPlan | None, vacancies: dict[str, int] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shortfall per category per quarter, and what must be bought externally.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``shortfall``: ``quarter_end, category, places, demand_mean, demand_p10,
        demand_p90, expected_gap, prob_demand_exceeds_supply, expected_spare``;
        ``purchases``: ``quarter_end, purchase, expected_places, p10, p90``, the
        placements to buy beyond in-house places and block contracts.
    """
    sup = supply_table(result, plan, vacancies)
    by_cat = result.by_category()  # (P, M, C)
    months = result.month_ends
    quarter_idx = [i for i, m in enumerate(months) if i > 0 and m.month in (3, 6, 9, 12)]
    rows, buys = [], []
    for i in quarter_idx:
        m = months[i].strftime("%Y-%m-%d")
        places = sup[sup["month"] == m].set_index("category")["places"]
        for cat in places.index:
            demand = by_cat[:, i, CAT[cat]].astype(float)
            gap = demand - places[cat]
            rows.append(
                {
                    "quarter_end": m,
                    "category": cat,
                    "places": round(float(places[cat]), 1),
                    "demand_mean": round(float(demand.mean()), 2),
                    "demand_p10": round(float(np.quantile(demand, 0.1)), 1),
                    "demand_p90": round(float(np.quantile(demand, 0.9)), 1),
                    "expected_gap": round(float(np.maximum(gap, 0).mean()), 2),
                    "prob_demand_exceeds_supply": round(float((gap > 0).mean()), 3),
                    "expected_spare": round(float(np.maximum(-gap, 0).mean()), 2),
                }
            )
        for own, ext, label in PURCHASES:
            need = by_cat[:, i, CAT[ext]].astype(float)
            if own is not None:
                need = need + np.maximum(by_cat[:, i, CAT[own]] - places[own], 0)
            bought = np.maximum(need - places[ext], 0)
            buys.append(
                {
                    "quarter_end": m,
                    "purchase": label,
                    "expected_places": round(float(bought.mean()), 2),
                    "p10": round(float(np.quantile(bought, 0.1)), 1),
                    "p90": round(float(np.quantile(bought, 0.9)), 1),
                }
            )
    return pd.DataFrame(rows), pd.DataFrame(buys)


def register_table(table: pd.DataFrame | None) -> pd.DataFrame | None:
    """A register given as a table, if it is one as ``read_placements`` returns it: a
    table read any other way ('Foster', 903 provider codes) would lose its vacancies."""
    if table is None:
        return None
    codes = {"setting": {str(s) for s in Setting}, "provider": {str(p) for p in Provider}}
    for column, known in codes.items():
        if column not in table.columns:
            raise ConfigError(f"placements: the table has no {column} column.")
        odd = sorted({str(v) for v in table[column].dropna()} - known)
        if odd:
            raise ConfigError(
                f"placements: {column} {odd[0]!r} is not one of {', '.join(sorted(known))}; "
                "pass the register's file, or the table read_placements returns, so its "
                "codes are read as the file's are."
            )
    vacancies = table["vacancies"] if "vacancies" in table.columns else None
    if vacancies is None or not pd.api.types.is_integer_dtype(vacancies):
        raise ConfigError(
            "placements: the table's vacancies are not whole numbers (read as text, say); "
            "pass the register's file, or the table read_placements returns."
        )
    return table


def read_register(path: Path, strict: bool) -> tuple[pd.DataFrame, str | None]:
    """The register's rows without errors, and the sentence saying which were set aside
    (``None`` if none was); with ``strict``, a row with an error is refused instead. A
    bad row costs the supply its vacancies only, as it costs the night's matching its
    home, rather than stopping the forecast."""
    night = read_placements_for_night(path, strict=strict)
    aside = night.set_aside
    if aside.empty:
        return night.table, None
    rows = first_rows([
        f"row {r.row}" + (f" ({r.id})" if isinstance(r.id, str) else "") + f": {r.problem}"
        for r in aside.itertuples()
    ])  # fmt: skip
    n = len(aside)
    return night.table, (
        f"{path.name}: {n:,} row{'s' if n != 1 else ''} of the placement register set aside "
        f"for errors ({rows}): the supply counts the vacancies of its other "
        f"{len(night.table):,} rows only. Correct those rows (sufficiency validate lists them) "
        "to count theirs."
    )
