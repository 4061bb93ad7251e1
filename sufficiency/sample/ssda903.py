"""Write the synthetic history as SSDA903 returns, one folder per collection year.

Each year's files hold what a real return holds: every episode open at any
time between 1 April and 31 March (so long episodes repeat across years), and
a header row for every child with such an episode. Episodes still open on
31 March have DEC, REC and REASON_PLACE_CHANGE blank in that year's file.
Sex is coded 1/2 up to 2023-24 and M/F from 2024-25, as DfE's specification changed.
Likewise an H5 placement still open on 1 April 2025 is H5 in the 2024-25 return and K3
in later ones: H5 left the specification in 2025-26, and DfE's continuity rules (502,
503A-J) want the first episode of a return to be last year's open episode, with only
H5 -> K3 allowed to differ (503D), so the placement is recoded in place rather than
given a new episode.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from sufficiency.sample.history import Child, add_years

HEADER_COLUMNS = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODE_COLUMNS = [
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
]  # fmt: skip
UASC_COLUMNS = ["CHILD", "SEX", "DOB", "DUC"]
#: First year in which SEX is coded M/F rather than 1/2 (the year the collection ends).
SEX_MF_FROM = 2025
#: First year whose return codes an H5 placement (open on 1 April 2025) as K3.
H5_AS_K3_FROM = 2026


def fmt(ordinal: int | date) -> str:
    """DD/MM/YYYY."""
    d = date.fromordinal(ordinal) if isinstance(ordinal, int) else ordinal
    return d.strftime("%d/%m/%Y")


def year_bounds(year: int) -> tuple[int, int]:
    """First and last day (ordinals) of the collection year ending 31 March ``year``."""
    return date(year - 1, 4, 1).toordinal(), date(year, 3, 31).toordinal()


def _sex(child: Child, year: int) -> str:
    if year >= SEX_MF_FROM:
        return "M" if child.sex == 1 else "F"
    return str(child.sex)


def _place(place: str, year: int) -> str:
    return "K3" if place == "H5" and year >= H5_AS_K3_FROM else place


def _upn(child: Child, year: int) -> str:
    """UN1 for children not yet of school age (DfE rule 209's reference date), else the UPN."""
    if child.upn.startswith("UN"):
        return child.upn
    reference = date(year - 2, 8, 31)
    return child.upn if add_years(child.dob, 4) <= reference else "UN1"


def year_tables(
    children: list[Child], year: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Header, episodes and UASC tables for the collection year ending 31 March ``year``."""
    start, end = year_bounds(year)
    header, episodes, uasc = [], [], []
    for child in children:
        rows = []
        for ep in child.episodes:
            dec = ep.dec
            if ep.decom > end or (dec is not None and dec < start):
                continue
            is_open = dec is None or dec > end
            p = ep.placement
            rows.append([
                child.child_id, fmt(ep.decom), ep.rne, ep.ls, child.cin, _place(p.place, year),
                p.provider or "", "" if is_open else fmt(dec or 0), "" if is_open else ep.rec,
                "" if is_open else (ep.reason_change or ""), child.home_post or "", p.postcode,
                p.urn or "",
            ])  # fmt: skip
        if not rows:
            continue
        episodes.extend(rows)
        sex = _sex(child, year)
        mother = "0" if child.sex == 2 else ""
        header.append(
            [child.child_id, sex, fmt(child.dob), child.ethnic, _upn(child, year), mother, ""]
        )
        if child.uasc:
            uasc.append([child.child_id, sex, fmt(child.dob), fmt(add_years(child.dob, 18))])
    h = pd.DataFrame(header, columns=HEADER_COLUMNS).sort_values("CHILD", kind="stable")
    e = pd.DataFrame(episodes, columns=EPISODE_COLUMNS)
    e["_d"] = pd.to_datetime(e["DECOM"], format="%d/%m/%Y")
    e = e.sort_values(["CHILD", "_d"], kind="stable").drop(columns="_d")
    u = pd.DataFrame(uasc, columns=UASC_COLUMNS).sort_values("CHILD", kind="stable")
    return h, e, u
