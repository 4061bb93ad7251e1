"""Episodes -> placement states per child: categories, age bands, stock and flows.

A child's 903 episodes are turned into *spells*: one row per episode (short breaks
dropped), each with the forecast category it counts in. Temporary placements
(T0-T4) count in the child's usual placement, the category of the episode before
them. A spell starts with one of four kinds of event:

``entry``  the first spell of a period of care (the child starts to be looked after);
``move``   the category differs from the previous spell's;
``change`` same category but a new placement with new carers (RNE P or B; not a
           temporary placement nor the return from one);
``none``   nothing a commissioner must find: a change of legal status only (RNE L), a
           new episode with the same carers (RNE T or U, e.g. a carer moving house or
           short-term fostering becoming long-term), or the same setting recoded (same
           placement postcode and no different URN, e.g. H5 becoming K3 or gaining a URN).

Each spell also carries the child's *legal group*, from the 903 legal status (LS), which
decides how a child can leave care: see :data:`LEGAL_GROUPS`.

A period of care is a run of episodes each starting the day the previous one ended,
unless the previous one ended with the child leaving care (``REC`` an E code) and the
next is a new start (``RNE`` S): a child who left and came back the same day.
A period whose first episode we hold is not a start (RNE S) began before the earliest
return held: it is *prevalent*, its true start unknown. Its time in care is counted on
its own clock, from the first day of the returns (see :func:`tic_days`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.codes import SHORT_BREAK_LEGAL_STATUSES, TEMPORARY_PLACE_CODES
from sufficiency.errors import DataWarning
from sufficiency.forecast.errors import ForecastError
from sufficiency.io.dates import eighteenth_birthdays
from sufficiency.io.ssda903 import SSDA903History
from sufficiency.plurals import numbered

CATEGORIES: tuple[str, ...] = (
    "kinship_foster",
    "in_house_foster",
    "ifa_foster",
    "in_house_residential",
    "external_residential",
    "secure",
    "supported",
    "with_parents",
    "placed_for_adoption",
    "other",
)
AGE_BANDS: tuple[str, ...] = ("under 1", "1-4", "5-9", "10-15", "16-17")
#: Lower edge of each age band, years.
AGE_BAND_LOWER_YEARS: tuple[int, ...] = (0, 1, 5, 10, 16)
#: Children leave care on their 18th birthday: the forecast's age limit, months.
LEAVING_AGE_MONTHS = 216
NUM_CATEGORIES = len(CATEGORIES)
#: Legal groups of the 903 legal status, each with its own routes out of care:
#: ``interim_order`` (C1 interim care order, L1-L3 police protection and emergency or
#: assessment orders) awaits a court's decision and rarely ends in leaving care;
#: ``care_order`` (C2) leaves by special guardianship, return home or reaching 18;
#: ``placement_order`` (E1, or the old D1 freeing order) leaves by adoption;
#: ``accommodated`` (V2 section 20, J1-J3 remand and other youth-justice statuses) is
#: voluntary or short and ends by agreement or order.
LEGAL_GROUPS: tuple[str, ...] = ("interim_order", "care_order", "placement_order", "accommodated")
NUM_LEGAL_GROUPS = len(LEGAL_GROUPS)
#: The simulation's child states: ``category * NUM_LEGAL_GROUPS + legal group`` (one more
#: row of states, ``NUM_STATES`` itself, marks a slot whose child left).
NUM_STATES = NUM_CATEGORIES * NUM_LEGAL_GROUPS
_LEGAL_GROUP_OF_LS = {
    "C1": 0, "L1": 0, "L2": 0, "L3": 0,
    "C2": 1,
    "E1": 2, "D1": 2,
    "V2": 3, "J1": 3, "J2": 3, "J3": 3,
}  # fmt: skip
NUM_AGE_BANDS = len(AGE_BANDS)
CAT = {name: i for i, name in enumerate(CATEGORIES)}
DAYS_PER_MONTH = 365.25 / 12
_AGE_OUT_TOLERANCE_DAYS = 7
#: Reasons for a new episode that bring new carers: a new placement (RNE T and U keep
#: the same carers, so a commissioner has nothing to find).
PLACEMENT_CHANGE_RNE = frozenset({"P", "B"})
#: Lower edges (months since the returns begin) of the time-in-care bands of prevalent
#: periods of care, which follow the ordinary bands on the time-in-care axis.
PREVALENT_TIC_EDGES_MONTHS: tuple[int, ...] = (0, 12, 24)

_FOSTER_KIN = {"U1", "U2", "U3", "Q1"}
_FOSTER_OTHER = {"U4", "U5", "U6", "Q2"}
_EXTERNAL = {"PR4", "PR5"}


def classify_placements(place: pd.Series, provider: pd.Series) -> np.ndarray:
    """Category index of each episode; -1 for temporary placements (T0-T4).

    Parameters
    ----------
    place, provider
        903 ``PLACE`` and ``PLACE_PROVIDER`` codes (missing values allowed).
    """
    pl = place.astype("string").fillna("").str.upper().to_numpy(str)
    pr = provider.astype("string").fillna("").str.upper().to_numpy(str)
    ext = np.isin(pr, list(_EXTERNAL))
    out = np.full(len(pl), CAT["other"], dtype=np.int8)
    out[np.isin(pl, list(_FOSTER_KIN))] = CAT["kinship_foster"]
    other_foster = np.isin(pl, list(_FOSTER_OTHER))
    out[other_foster & ~ext] = CAT["in_house_foster"]
    out[other_foster & ext] = CAT["ifa_foster"]
    homes = np.isin(pl, ["K2", "R1"])
    out[homes & ~ext] = CAT["in_house_residential"]
    out[(homes | (pl == "S1")) & ext] = CAT["external_residential"]
    out[pl == "K1"] = CAT["secure"]
    out[np.isin(pl, ["H5", "K3", "P2"])] = CAT["supported"]
    out[pl == "P1"] = CAT["with_parents"]
    out[np.isin(pl, ["A3", "A4", "A5", "A6"])] = CAT["placed_for_adoption"]
    out[np.isin(pl, list(TEMPORARY_PLACE_CODES))] = -1
    return out


def legal_group_of(ls: pd.Series) -> np.ndarray:
    """Legal group index (into :data:`LEGAL_GROUPS`) of each 903 legal status code.

    A code outside the 903 list (which the reader rejects) counts as a care order, the
    commonest status of children in care.
    """
    codes = ls.astype("string").fillna("").str.upper().str.strip()
    return codes.map(_LEGAL_GROUP_OF_LS).fillna(1).to_numpy(np.int8)


def age_band_of_years(age_years: np.ndarray) -> np.ndarray:
    """Age band index of each age in completed years (ages 18+ get the last band)."""
    return (np.searchsorted(AGE_BAND_LOWER_YEARS, age_years, side="right") - 1).clip(0)


def age_months_at(dob: pd.Series | pd.DatetimeIndex, when: pd.Timestamp) -> np.ndarray:
    """Completed months of age on ``when`` for each date of birth.

    A month is complete on the day of the month the child was born, or on the month's
    last day when it has no such day: a child born on 31 May is a month older on 30
    April (at the end of a 30-day month, such children were counted a month younger,
    and in the forecast left care at 18 a month late). A year is complete on the
    birthday, which for a child born on 29 February is 1 March in a year without one.
    """
    d = pd.DatetimeIndex(dob)
    reached = (when.day >= d.day) | (when.is_month_end & (when.month != d.month))
    months = (when.year - d.year) * 12 + (when.month - d.month) - ~np.asarray(reached)
    return np.asarray(months, dtype=np.int64)


def leap_day_lag(dob: pd.Series | pd.DatetimeIndex, when: pd.Timestamp) -> np.ndarray:
    """1 for a child born on 29 February whose 18th birthday, in a year without one, is
    still to come at ``when``'s month end: the simulation makes a child a month older
    at each month end, so would have them leave at the end of February, a day before
    they are 18 (1 March). Their age in months is taken one less, so they leave in March
    (unless ``when`` is 28 February in a year without a 29th, when it already is).
    """
    d = pd.DatetimeIndex(dob)
    y18 = d.year + 18
    leap = (y18 % 4 == 0) & ((y18 % 100 != 0) | (y18 % 400 == 0))
    born_29_feb = (d.month == 2) & (d.day == 29)
    ahead = (y18 > when.year) | ((y18 == when.year) & (when.month < 2))
    # on 28 February in a year without a 29th, their months already count from 1 March
    counted_from_march = when.month == 2 and when.day == 28
    return np.asarray(born_29_feb & ~leap & ahead & (not counted_from_march), dtype=np.int64)


@dataclass(frozen=True)
class CareSpells:
    """Spells of care built from a 903 history.

    Attributes
    ----------
    spells
        One row per episode kept: ``child``, ``start``, ``end`` (NaT when open),
        ``category`` (index into :data:`CATEGORIES`), ``from_category`` (-1 for an
        entry), ``kind`` (entry/move/change/none), ``period_start`` (the first day of
        the period of care we hold), ``prevalent`` (the period began before the
        earliest return, so its true start is earlier), ``dob`` and ``end_kind``
        (``continue``, ``exit``, ``age_out`` or ``open``).
    data_start, data_end
        First and last day the returns cover (1 April, and 31 March or an in-year
        extract's last day).
    gaps
        First and last day of each collection year with no return: who entered, moved
        and left then is unknown, so rate estimation leaves those days out.
    """

    spells: pd.DataFrame
    data_start: pd.Timestamp
    data_end: pd.Timestamp
    gaps: tuple[tuple[pd.Timestamp, pd.Timestamp], ...] = ()

    def in_gap(self, days: np.ndarray) -> np.ndarray:
        """Whether each day (``datetime64`` or days since the epoch) falls in a gap."""
        d = np.asarray(days)
        if d.dtype.kind == "M":
            d = d.astype("datetime64[D]").astype(np.int64)
        out = np.zeros(d.shape, dtype=bool)
        for first, last in self.gaps:
            lo = np.datetime64(first, "D").astype(np.int64)
            hi = np.datetime64(last, "D").astype(np.int64)
            out |= (d >= lo) & (d <= hi)
        return out


def build_spells(history: SSDA903History) -> CareSpells:
    """Turn a 903 history into :class:`CareSpells` (short breaks excluded)."""
    ep = history.episodes
    ep = ep[~ep["LS"].astype("string").isin(list(SHORT_BREAK_LEGAL_STATUSES)).fillna(False)]
    ep = ep.sort_values(["CHILD", "DECOM"], kind="stable").reset_index(drop=True)
    dob = history.header.drop_duplicates("CHILD").set_index("CHILD")["DOB"]
    # reindex, not map: a map over dates that are all missing fails in pandas
    ep_dob = pd.Series(dob.reindex(ep["CHILD"]).to_numpy(), index=ep.index)
    missing = ep_dob.isna()
    if missing.any():
        warnings.warn(
            f"{ep.loc[missing, 'CHILD'].nunique()} child(ren) have episodes but no date of "
            "birth in any header; they are left out of the forecast",
            DataWarning,
            stacklevel=2,
        )
        ep, ep_dob = ep[~missing].reset_index(drop=True), ep_dob[~missing].reset_index(drop=True)
    if ep.empty:
        quality = history.quality
        found = quality.num_findings() if quality is not None else 0
        # the commonest finding said here: why none can be used (Excel's lost digits...)
        most = f", the most {quality.commonest()}" if quality is not None and found else ""
        raise ForecastError(
            "no episode in the 903 history can be used"
            + (f" ({numbered(found, 'finding(s)')} repaired or set aside{most}; "
               "`sufficiency validate` lists each)" if found else "")
            + ", so there is no one to forecast from"
        )  # fmt: skip
    child = ep["CHILD"].astype(str).to_numpy()
    start = ep["DECOM"].to_numpy("datetime64[ns]")
    end = ep["DEC"].to_numpy("datetime64[ns]")
    same_child = np.r_[False, child[1:] == child[:-1]]
    rne = ep["RNE"].astype("string").fillna("").str.upper().to_numpy(str)
    # a child who left care (REC an E code) and started again the day they left (RNE S)
    # left and came back, as both codes say: two periods of care (DfE counts a cease and
    # a start), not one run of episodes meeting
    rec = ep.get("REC", pd.Series("", index=ep.index)).astype("string").fillna("")
    left = rec.str.strip().str.upper().str.startswith("E").to_numpy(bool)
    back = np.r_[False, left[:-1] & (rne[1:] == "S")]
    continuous = np.r_[False, start[1:] == end[:-1]] & same_child & ~back
    period = np.cumsum(~continuous)
    raw_cat = classify_placements(ep["PLACE"], ep["PLACE_PROVIDER"])
    temp = raw_cat < 0
    cat = (
        pd.Series(np.where(temp, np.nan, raw_cat))
        .groupby(period)
        .ffill()
        .fillna(CAT["other"])
        .to_numpy(np.int8)
    )
    # the usual placement a temporary one interrupts, to spot a return to it
    key = (
        ep["PLACE"].astype("string").fillna("")
        + "|"
        + ep["PL_POST"].astype("string").fillna("")
        + "|"
        + ep["URN"].astype("string").fillna("")
    )
    usual = pd.Series(np.where(temp, None, key.to_numpy(object))).groupby(period).ffill()
    prev_usual = usual.groupby(period).shift().to_numpy(object)
    prev_temp = np.r_[False, temp[:-1]] & continuous
    returning = prev_temp & (key.to_numpy(object) == prev_usual)
    # the same setting under a new code or registration (H5 to K3, a URN gained) is not
    # a new placement whatever the RNE: same postcode, and no conflicting URN
    post = ep["PL_POST"].astype("string").fillna("").str.upper().str.replace(" ", "")
    urn = ep["URN"].astype("string").fillna("").str.upper().to_numpy(str)
    post_arr = post.to_numpy(str)
    prev_post, prev_urn = np.roll(post_arr, 1), np.roll(urn, 1)
    same_setting = (
        continuous
        & (post_arr != "")
        & (post_arr == prev_post)
        & ((urn == prev_urn) | (urn == "") | (prev_urn == ""))
    )
    new_placement = np.isin(rne, list(PLACEMENT_CHANGE_RNE)) & ~temp & ~returning & ~same_setting
    prev_cat = np.r_[-1, cat[:-1]]
    kind = np.where(
        ~continuous,
        "entry",
        np.where(cat != prev_cat, "move", np.where(new_placement, "change", "none")),
    )
    from_cat = np.where(continuous, prev_cat, -1).astype(np.int8)
    period_start = pd.Series(start).groupby(period).transform("min").to_numpy("datetime64[ns]")
    # a period whose first visible episode, open when the returns begin, is not a start
    # (RNE S) began before the returns we hold: its true start is unknown (left-truncated)
    data_start = history.start
    first_rne = pd.Series(rne).groupby(period).transform("first").to_numpy(str)
    prevalent = (first_rne != "S") & (period_start <= np.datetime64(data_start, "ns"))
    next_continuous = np.r_[continuous[1:], False]
    dob_arr = ep_dob.to_numpy("datetime64[ns]")
    eighteenth = eighteenth_birthdays(dob_arr).to_numpy("datetime64[ns]")
    tolerance = np.timedelta64(_AGE_OUT_TOLERANCE_DAYS, "D")
    end_kind = np.where(
        next_continuous,
        "continue",
        np.where(np.isnat(end), "open", np.where(end >= eighteenth - tolerance, "age_out", "exit")),
    )
    spells = pd.DataFrame(
        {
            "child": child,
            "start": start,
            "end": end,
            "category": cat,
            "from_category": from_cat,
            "kind": kind,
            "period": period,
            "period_start": period_start,
            "prevalent": prevalent,
            "dob": dob_arr,
            "end_kind": end_kind,
            "legal": legal_group_of(ep["LS"]),
        }
    )
    return CareSpells(
        spells=spells, data_start=data_start, data_end=history.end, gaps=tuple(history.gaps())
    )


def tic_days(care: CareSpells, rows: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days in care on ``day`` for spells ``rows``, and whether each is on the prevalent clock.

    A period of care that began before the earliest return held (*prevalent*) has an
    unknown start: guessing one mixes long-stayers with recent arrivals. Its clock
    instead counts the days since the returns begin (``data_start``), so rates for it
    come from other prevalent children observed as long, and fall as that pool thins
    to those who stay (children who have already stayed long tend to stay longer).
    """
    sp = care.spells
    prevalent = sp["prevalent"].to_numpy(bool)[rows]
    origin = sp["period_start"].to_numpy("datetime64[D]").astype(np.int64)[rows]
    data_start = np.datetime64(care.data_start, "D").astype(np.int64)
    origin = np.where(prevalent, data_start, origin)
    return np.asarray(day, dtype=np.int64) - origin, prevalent


def tic_band(tic_days_: np.ndarray, prevalent: np.ndarray, edges_months: np.ndarray) -> np.ndarray:
    """Time-in-care band: ordinary bands from ``edges_months``, then the prevalent ones."""
    dpm = DAYS_PER_MONTH
    ordinary = np.searchsorted(np.asarray(edges_months) * dpm, tic_days_, side="right") - 1
    prev_edges = np.asarray(PREVALENT_TIC_EDGES_MONTHS) * dpm
    prev = len(edges_months) + np.searchsorted(prev_edges, tic_days_, side="right") - 1
    return np.where(prevalent, prev, ordinary).clip(0)


def stock_at(care: CareSpells, dates: list[pd.Timestamp] | pd.DatetimeIndex) -> np.ndarray:
    """Children looked after at the end of each date, by category x age band.

    A child counts on day ``d`` when a spell has ``start <= d < end``, as DfE counts
    children looked after at 31 March. Children aged 18 or over are not counted.

    Returns
    -------
    numpy.ndarray
        Integer array of shape ``(len(dates), num categories, num age bands)``.
    """
    sp = care.spells
    start = sp["start"].to_numpy("datetime64[ns]")
    end = sp["end"].to_numpy("datetime64[ns]")
    cat = sp["category"].to_numpy(np.int64)
    out = np.zeros((len(dates), NUM_CATEGORIES, NUM_AGE_BANDS), dtype=np.int64)
    for i, d in enumerate(pd.DatetimeIndex(dates)):
        d64 = np.datetime64(d, "ns")
        live = (start <= d64) & (np.isnat(end) | (end > d64))
        age_m = age_months_at(sp.loc[live, "dob"], d)
        keep = age_m < LEAVING_AGE_MONTHS
        band = age_band_of_years(age_m[keep] // 12)
        flat = cat[live][keep] * NUM_AGE_BANDS + band
        out[i] = np.bincount(flat, minlength=NUM_CATEGORIES * NUM_AGE_BANDS).reshape(
            NUM_CATEGORIES, NUM_AGE_BANDS
        )
    return out


def stock_seen(care: CareSpells, dates: pd.DatetimeIndex) -> np.ndarray:
    """:func:`stock_at` as floats, ``NaN`` on a day in a missing year: with no return, who
    left then is not known (an episode open before the gap is closed at its end), so a
    count there rose all year and fell at the next return, a peak no child made."""
    out = stock_at(care, dates).astype(float)
    out[care.in_gap(np.asarray(dates, dtype="datetime64[ns]"))] = np.nan
    return out


def month_ends(start: pd.Timestamp, num_months: int) -> pd.DatetimeIndex:
    """``start`` followed by the next ``num_months`` month-end dates."""
    first = pd.Timestamp(start).normalize()
    ends = pd.date_range(first + pd.offsets.MonthEnd(1), periods=num_months, freq="ME")
    return pd.DatetimeIndex([first, *ends])


def flows(care: CareSpells, period_ends: pd.DatetimeIndex) -> pd.DataFrame:
    """Entries, exits, moves and within-category changes per period.

    Parameters
    ----------
    period_ends
        Increasing dates; period ``i`` runs from the day after ``period_ends[i-1]``
        to ``period_ends[i]`` inclusive (the first date only opens the first period).

    Returns
    -------
    pandas.DataFrame
        Columns ``period_end``, ``flow`` (entry, exit, age_out, move_in, move_out,
        change), ``category``, ``count``; zero rows included.
    """
    sp = care.spells
    edges = pd.DatetimeIndex(period_ends)
    rows = []
    starts = sp[sp["kind"].isin(["entry", "move", "change"])]
    ends = sp[sp["end_kind"].isin(["exit", "age_out"])]
    moves = sp[sp["kind"] == "move"]
    parts = [
        ("entry", starts[starts["kind"] == "entry"], "start", "category"),
        ("change", starts[starts["kind"] == "change"], "start", "category"),
        ("move_in", moves, "start", "category"),
        ("move_out", moves, "start", "from_category"),
        ("exit", ends[ends["end_kind"] == "exit"], "end", "category"),
        ("age_out", ends[ends["end_kind"] == "age_out"], "end", "category"),
    ]
    for flow, df, date_col, cat_col in parts:
        idx = edges.searchsorted(pd.DatetimeIndex(df[date_col]), side="left")
        ok = (idx >= 1) & (idx < len(edges))
        flat = (idx[ok] - 1) * NUM_CATEGORIES + df[cat_col].to_numpy(np.int64)[ok]
        counts = np.bincount(flat, minlength=(len(edges) - 1) * NUM_CATEGORIES)
        counts = counts.reshape(len(edges) - 1, NUM_CATEGORIES)
        for i, pe in enumerate(edges[1:]):
            for c, name in enumerate(CATEGORIES):
                rows.append((pe, flow, name, int(counts[i, c])))
    return pd.DataFrame(rows, columns=["period_end", "flow", "category", "count"])
