"""Unaccompanied asylum-seeking children (UASC): how many, said beside the forecast.

The forecast has no UASC marker: an unaccompanied young person leaves care at the rates
of other children of the same age band, legal group, placement category and time in
care, and new arrivals are a share of all entries. Most unaccompanied 16-17-year-olds
stay until 18, while the other accommodated 16-17-year-olds they are pooled with often
go home within months, and arrivals follow national dispersal (the National Transfer
Scheme) more than local need. The 903's uasc table names them (``DUC``, the date the
child ceased or will cease to be UASC, usually the 18th birthday), so the forecast can
at least say how many there are, among the children looked after at its start and the
children who started in its reference window, and that it does not tell them apart.
"""

from __future__ import annotations

import pandas as pd

from sufficiency.figures import day
from sufficiency.forecast.states import CareSpells
from sufficiency.io.history import SSDA903History

#: Said when UASC are at least this share of the children in care at the start or of
#: the entrants in the reference window (nationally 22% of starts in 2024-25).
UASC_SHARE_SAID = 0.05


def _uasc_on(history: SSDA903History, children: pd.Series, on: pd.Series) -> pd.Series:
    """Whether each child was UASC on the day beside it (in the uasc table, DUC after it)."""
    table = history.uasc
    if table is None or len(table) == 0 or "CHILD" not in table.columns:
        return pd.Series(False, index=children.index)
    duc = table.assign(CHILD=table["CHILD"].astype(str))
    if "DUC" in duc.columns:
        ceased = pd.to_datetime(duc["DUC"], errors="coerce")
    else:
        ceased = pd.Series(pd.NaT, index=duc.index)
    last = pd.Series(ceased.to_numpy(), index=duc["CHILD"]).groupby(level=0).max()
    known = children.astype(str).isin(last.index)
    until = pd.Series(last.reindex(children.astype(str)).to_numpy(), index=children.index)
    return known & (until.isna() | (until > on))


def uasc_counts(
    history: SSDA903History, care: CareSpells, start: pd.Timestamp, window_start: pd.Timestamp
) -> tuple[int, int, int, int]:
    """UASC and all children looked after on ``start``; UASC and all entrants in
    ``(window_start, start]`` (UASC on the day they started)."""
    sp = care.spells
    held = sp[(sp["start"] <= start) & (sp["end"].isna() | (sp["end"] > start))]
    in_care = held.drop_duplicates("child")
    ent = sp[(sp["kind"] == "entry") & (sp["start"] > window_start) & (sp["start"] <= start)]
    uasc_now = _uasc_on(history, in_care["child"], pd.Series(start, index=in_care.index))
    uasc_ent = _uasc_on(history, ent["child"], ent["start"])
    return int(uasc_now.sum()), len(in_care), int(uasc_ent.sum()), len(ent)


def uasc_sentence(
    history: SSDA903History, care: CareSpells, start: pd.Timestamp, window_start: pd.Timestamp
) -> str | None:
    """Say how many UASC there are and that the forecast does not tell them apart;
    ``None`` when they are under :data:`UASC_SHARE_SAID` of both counts (or no uasc
    table was given)."""
    now, in_care, came, entered = uasc_counts(history, care, start, window_start)
    share_now = now / in_care if in_care else 0.0
    share_came = came / entered if entered else 0.0
    if max(share_now, share_came) < UASC_SHARE_SAID:
        return None
    return (
        f"Unaccompanied asylum-seeking children (the 903's uasc table): {now:,} of the "
        f"{in_care:,} children looked after on {day(start)} ({share_now:.0%}), and {came:,} "
        f"of the {entered:,} who started to be looked after from {day(window_start)} to "
        f"{day(start)} ({share_came:.0%}). The forecast does not tell them apart: they "
        "leave care at the rates of other children of their age, legal status and "
        "placement (most unaccompanied young people stay until 18, while other "
        "accommodated 16-17-year-olds often go home within months), and their arrivals, "
        "which follow national dispersal more than local need, are forecast as a share "
        "of all entries. Where they are many, or their arrivals change, read the 16-17 "
        "age band with care."
    )
