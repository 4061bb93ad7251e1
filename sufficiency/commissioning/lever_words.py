"""A levers file's figures in words: every figure with its source (the Assumptions
output), and a lever's title as the reports name it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sufficiency import vocabulary

if TYPE_CHECKING:
    from sufficiency.commissioning.levers import Levers, _Lever


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
