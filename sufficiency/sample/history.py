"""The synthetic authority's history: who came into care, when, and what happened next.

Children start to be looked after at a steady rate from 2002 so that the
population is in equilibrium by the first collection year written (2020-21).
Each child follows a care pathway typical of their age at entry (short police
protection or s20 stays, interim then full care orders, placement orders and
adoption, long-term fostering, residential care, supported accommodation at
16-17, special guardianship, return home, leaving care at 18). Some who went home
come back into care later (:mod:`sufficiency.sample.reentries`).

Children's first periods of care are drawn from the main random stream; returns to
care from a separate one, so that changing how often children come back leaves
everyone's first period as it was.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np

from sufficiency.sample.careers import (
    FOSTER,
    H5_URN_FROM,
    K3_FROM,
    WORCESTER_EN,
    Career,
    Child,
    Episode,
    Placement,
    add_years,
)
from sufficiency.sample.places import Estate
from sufficiency.sample.reentries import reentry_day

SIMULATION_START = date(2002, 4, 1).toordinal()
#: End of the history: 31 March 2026, the end of the 2025-26 collection year.
HISTORY_END = date(2026, 3, 31).toordinal()
#: Children starting to be looked after for the first time, a year. With about 40
#: returns to care a year this gives some 330 starts a year and about 880 children
#: looked after at 31 March, as the sample had before it modelled returns.
STARTS_PER_YEAR = 288

_AGE_BANDS = [(0, 1), (1, 5), (5, 10), (10, 16), (16, 18)]
_AGE_WEIGHTS = [0.16, 0.14, 0.15, 0.27, 0.28]
_ETHNIC = [
    "WBRI",
    "WOTH",
    "WIRT",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "APKN",
    "ABAN",
    "AIND",
    "AOTH",
    "BAFR",
    "BCRB",
    "BOTH",
    "CHNE",
    "OOTH",
]
_ETHNIC_W = np.array([72, 4, 1, 1, 5, 2, 2, 3, 2, 0.5, 0.5, 1, 2, 1, 1, 0.5, 1.5])
_UASC_ETHNIC = ["AOTH", "BAFR", "BOTH", "OOTH", "WOTH"]
_UASC_ETHNIC_W = np.array([0.35, 0.3, 0.15, 0.15, 0.05])
_CIN = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"]
_CIN_W = np.array([0.66, 0.04, 0.03, 0.07, 0.12, 0.02, 0.01, 0.05])
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def make_upn(rng: np.random.Generator, used: set[str]) -> str:
    """A random, well-formed unique pupil number (check letter + 12 digits, LA 885)."""
    while True:
        digits = "885" + "".join(str(int(x)) for x in rng.integers(0, 10, 9))
        check = _UPN_LETTERS[
            sum(int(c) * w for c, w in zip(digits, range(2, 14), strict=True)) % 23
        ]
        upn = check + digits
        if upn not in used:
            used.add(upn)
            return upn


def _days(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def _entry_legal(c: Career) -> None:
    """Optional police protection (L1) or emergency protection order (L2) before the main order."""
    r = c.rng.random()
    place = c.any_foster(long_term=False, kin_share=0.15)
    if r < 0.1:
        c.begin("L1", place)
        c.step(int(c.rng.integers(1, 3)), ls="C1")
    elif r < 0.14:
        c.begin("L2", place)
        c.step(int(c.rng.integers(3, 9)), ls="C1")
    else:
        c.begin("C1", place)


def _care_order_path(c: Career, outcome: str) -> None:
    """Interim care order, then a full care order (or placement order) and an outcome."""
    rng = c.rng
    if c.child.episodes[-1].ls != "C1":
        return
    left = c.stay(_days(rng, 120, 330), "foster", 420)
    if left < 0:
        return
    if outcome == "adopt":
        if not c.step(left, ls="E1"):
            return
        if not c.step(_days(rng, 40, 200), placement=c.adoption(), reason="CARPL"):
            return
        c.cease(_days(rng, 100, 330), "E11" if rng.random() < 0.8 else "E12")
        return
    if outcome == "sgo":
        kin = c.foster("kin", long_term=False)
        if not c.step(left, ls="C2", placement=kin if c.current.placement.place != "U3" else None):
            return
        c.cease(_days(rng, 60, 500), "E45" if rng.random() < 0.8 else "E46")
        return
    if outcome == "home":
        if not c.step(left, ls="C2", placement=c.parents()):
            return
        c.cease(_days(rng, 250, 1000), "E4A" if rng.random() < 0.85 else "E41")
        return
    # long-term care to 18, perhaps ending earlier in special guardianship or at home
    mover = "mixed" if outcome == "resi" else "foster"
    if outcome == "resi" and c.age() >= 9:
        ok = c.step(left, ls="C2", placement=c.home())
    else:
        ok = c.step(left, ls="C2", placement=c.any_foster(long_term=True, kin_share=0.25))
    if not ok:
        return
    years_to_18 = (c.turn18 - c.t) / 365.25
    horizon = years_to_18 * 365.25 + 30 if rng.random() < 0.4 else _days(rng, 200, 1800)
    left = c.stay(horizon, mover, 1200 if mover == "foster" else 600)
    if left < 0:
        return
    if c.current.placement.place in FOSTER and rng.random() < 0.5:
        c.cease(left, "E46" if c.current.placement.place != "U1" else "E45")
    else:
        c.cease(left, str(rng.choice(["E4A", "E4B", "E13", "E8"], p=[0.55, 0.15, 0.2, 0.1])))


def _short_s20(c: Career, teen: bool) -> None:
    """Accommodated under s20, home again within weeks or months (or into proceedings)."""
    rng = c.rng
    first = c.home() if teen and rng.random() < 0.22 else c.any_foster(False, kin_share=0.2)
    c.begin("V2", first)
    left = c.stay(_days(rng, 20, 420), "mixed" if teen else "foster", 400)
    if left < 0:
        return
    if rng.random() < 0.2 and c.age(c.t + int(left)) < 15.5:
        if c.step(left, ls="C1"):
            _care_order_path(c, "resi" if teen else "foster")
        return
    c.cease(left, str(rng.choice(["E4A", "E4B", "E13"], p=[0.6, 0.2, 0.2])))


def _older_teen(c: Career) -> None:
    """Aged 16-17 at entry: s20, often in supported accommodation, leaving care at 18."""
    rng = c.rng
    r = rng.random()
    if c.child.uasc:
        first = c.supported(c.t) if r < 0.45 and c.t > c.turn16 else c.foster("ifa", False)
    elif r < 0.55 and c.t > c.turn16:
        first = c.supported(c.t)
    elif r < 0.8:
        first = c.any_foster(False, kin_share=0.15)
    else:
        first = c.home()
    c.begin("V2", first)
    mover = "supported" if first.place in ("H5", "K3") else "mixed"
    left = c.stay(3000, mover, 450)
    if left >= 0:
        c.leave_at_18()


def _route(c: Career) -> None:
    rng = c.rng
    age = c.age()
    if c.child.uasc:
        if age >= 16:
            _older_teen(c)
        else:
            c.begin("V2", c.foster("ifa" if rng.random() < 0.7 else "in_house", False))
            if c.stay(3000, "mixed", 400) >= 0:
                c.leave_at_18()
        return
    if age >= 16:
        if rng.random() < 0.7:
            _older_teen(c)
        else:
            _short_s20(c, teen=True)
        return
    if age < 1:
        routes, p = ["adopt", "foster", "sgo", "home", "s20"], [0.34, 0.2, 0.2, 0.14, 0.12]
    elif age < 5:
        routes, p = ["adopt", "foster", "sgo", "home", "s20"], [0.18, 0.26, 0.18, 0.2, 0.18]
    elif age < 10:
        routes, p = ["foster", "resi", "sgo", "home", "s20"], [0.33, 0.06, 0.13, 0.2, 0.28]
    else:
        routes, p = ["foster", "resi", "home", "s20"], [0.2, 0.26, 0.12, 0.42]
    route = str(rng.choice(routes, p=p))
    if route == "s20":
        _short_s20(c, teen=age >= 10)
        return
    _entry_legal(c)
    _care_order_path(c, route)


def _split(child: Child, at: int, new: Placement, rne: str, reason: str) -> None:
    """Split the episode open on ``at`` in two, the second with placement ``new``."""
    for i, ep in enumerate(child.episodes):
        end = ep.dec if ep.dec is not None else HISTORY_END + 10_000
        if ep.decom < at < end:
            tail = Episode(at, rne, ep.ls, new, ep.dec, ep.rec, ep.reason_change)
            ep.dec, ep.rec, ep.reason_change = at, "X1", reason
            child.episodes.insert(i + 1, tail)
            return


def _recode_supported(child: Child) -> None:
    """Record supported accommodation's Ofsted registration as the 903 returns do.

    An H5 placement open on 28 October 2023 gains the setting's URN in a new episode
    with the same carers (RNE ``T``, reason ``PLACE``). One still open on 1 April 2025,
    when H5 left the specification, carries on as the same episode: returns from 2025-26
    code it K3 (:data:`sufficiency.sample.ssda903.H5_AS_K3_FROM`). A later move in
    the career from it to K3 in the same setting is then no move, and is folded in.
    """
    for ep in list(child.episodes):
        p = ep.placement
        end = ep.dec if ep.dec is not None else HISTORY_END + 10_000
        if p.place == "H5" and p.urn is None and ep.decom < H5_URN_FROM < end:
            _split(child, H5_URN_FROM, replace(p, urn=p.carer), "T", "PLACE")
    i = 0
    while i < len(child.episodes) - 1:
        ep, after = child.episodes[i], child.episodes[i + 1]
        open_on_k3_day = ep.decom < K3_FROM and (ep.dec is None or ep.dec >= K3_FROM)
        if (
            ep.placement.place == "H5"
            and open_on_k3_day
            and ep.rec == "X1"
            and after.placement == replace(ep.placement, place="K3")
        ):
            if after.ls == ep.ls:
                ep.dec, ep.rec, ep.reason_change = after.dec, after.rec, after.reason_change
                del child.episodes[i + 1]
                continue
            after.rne, ep.reason_change = "L", None
        i += 1


def _periods_of_care(rng: np.random.Generator, estate: Estate, child: Child) -> None:
    """Add any later periods of care, each starting with RNE S after a gap at home."""
    turn18 = add_years(child.dob, 18).toordinal()
    while (day := reentry_day(rng, child, turn18, HISTORY_END)) is not None:
        _route(Career(rng, estate, child, day))


def simulate(
    rng: np.random.Generator, estate: Estate, reentry_rng: np.random.Generator
) -> list[Child]:
    """Every child who started to be looked after between April 2002 and March 2026.

    Parameters
    ----------
    rng
        Stream for the children and their first periods of care.
    estate
        Postcode pools and providers to place children with.
    reentry_rng
        Stream for whether and when a child comes back into care, and for the later
        periods of care themselves.

    Returns
    -------
    list of Child
        In order of first entry to care, each with every episode of every period.
    """
    years = (HISTORY_END - SIMULATION_START) / 365.25
    n = int(rng.poisson(STARTS_PER_YEAR * years))
    starts = np.sort(rng.integers(SIMULATION_START, HISTORY_END + 1, n))
    ids = rng.choice(np.arange(100_000, 1_000_000), size=n, replace=False)
    upns: set[str] = set()
    children: list[Child] = []
    pool = estate.county
    i = 0
    while i < n:
        start = int(starts[i])
        # Unaccompanied children never come back into care here, so first entries carry
        # a little more than their 15% share of all starts since 2015.
        uasc = rng.random() < (0.17 if start > date(2015, 4, 1).toordinal() else 0.05)
        group = 1 if uasc or rng.random() > 0.09 else int(rng.choice([2, 3, 4], p=[0.6, 0.3, 0.1]))
        group = min(group, n - i)
        home_idx = int(rng.integers(len(pool.postcode)))
        cin = "N8" if uasc else str(rng.choice(_CIN, p=_CIN_W / _CIN_W.sum()))
        ethnic = str(rng.choice(_ETHNIC, p=_ETHNIC_W / _ETHNIC_W.sum()))
        first_place: Placement | None = None
        for k in range(group):
            if uasc or group > 1:  # unaccompanied teenagers; brothers and sisters
                lo, hi = (14.2, 17.9) if uasc else (0.2, 13.5)
                age_days = int(rng.uniform(lo, hi) * 365.25)
            else:
                lo, hi = _AGE_BANDS[int(rng.choice(5, p=_AGE_WEIGHTS))]
                age_days = int(rng.uniform(lo, hi - 0.05) * 365.25) + 3
            dob = date.fromordinal(start - age_days)
            if dob.month == 2 and dob.day == 29:
                dob = date(dob.year, 2, 28)
            male = rng.random() < (0.93 if uasc else 0.55)
            child = Child(
                child_id=str(int(ids[i + k])),
                sex=1 if male else 2,
                dob=dob,
                ethnic=str(rng.choice(_UASC_ETHNIC, p=_UASC_ETHNIC_W)) if uasc else ethnic,
                upn="UN2" if uasc and rng.random() < 0.5 else make_upn(rng, upns),
                home_post=None if uasc else str(pool.postcode[home_idx]),
                home_en=WORCESTER_EN
                if uasc
                else (float(pool.easting[home_idx]), float(pool.northing[home_idx])),
                uasc=uasc,
                cin=cin,
            )
            c = Career(rng, estate, child, start)
            if group > 1:
                if first_place is None:
                    first_place = c.any_foster(long_term=False, kin_share=0.2)
                c.begin("C1", first_place)
                _care_order_path(
                    c, str(rng.choice(["foster", "adopt", "sgo", "home"], p=[0.5, 0.15, 0.2, 0.15]))
                )
            else:
                _route(c)
            _periods_of_care(reentry_rng, estate, child)
            _recode_supported(child)
            children.append(child)
        i += group
    return children


def age_on(dob: date, day: date) -> int:
    """Whole years of age on ``day``."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


__all__ = ["HISTORY_END", "Child", "Episode", "add_years", "age_on", "simulate"]
