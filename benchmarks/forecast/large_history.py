"""Write the 903 history of a large authority: ten yearly returns, ~100,000 episode rows.

About 5,000 children looked after at any time (DfE's count: no short breaks, under
18), ~2,000 starting each year, a placement move every two to three years on average
and a third of legal status changes coming with a move, legal status changes
(police protection to s20 or an interim order, interim to full care orders, placement
orders and adoptions), some unaccompanied asylum-seeking children and a few per cent
short-break episodes (LS V3/V4). Each return holds every episode open during its
collection year, DEC blank when still open on 31 March, as real returns do; folders
``<YYYY>/{header,episodes,uasc}.csv`` named by the year each collection ends.
Placement codes are valid for each return's year: H5 and P2 end at 31 March 2025 (an
open H5/P2 placement becomes K3 that day), K3 starts 1 April 2024. Postcodes are drawn
from the bundled sample's, so they are real. Deterministic for the seed; all synthetic.

Run: .venv/bin/python benchmarks/forecast/large_history.py --out /tmp/large903
     [--children 5000 --years 10 --seed 1]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

import numpy as np
import pandas as pd
from bench_args import out_folder, random_seed, run, whole

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "ssda903"
EPOCH = np.datetime64("1970-01-01", "D")

_BAND_YEARS = np.array([(0.0, 1.0), (1.0, 5.0), (5.0, 10.0), (10.0, 16.0), (16.0, 17.9)])
_ENTRY_AGE_WEIGHTS = np.array([0.16, 0.14, 0.15, 0.27, 0.28])
_MEAN_STAY_DAYS = np.array([1300.0, 1150.0, 1250.0, 1000.0, 480.0])
_MEAN_DAYS_BETWEEN_MOVES = 1000.0
_H5_LAST_DAY = int((np.datetime64("2025-03-31") - EPOCH).astype(int))  # H5, P2 end 2024-25
_K3_FIRST_DAY = int((np.datetime64("2024-04-01") - EPOCH).astype(int))  # K3 from 2024-25
_STATUSES = np.array(["C1", "C2", "E1", "V2", "L1", "L2", "J1"], dtype=object)
C1, C2, E1, V2, L1, L2, J1 = range(7)
_NEVER = 10**7

#: (PLACE, PLACE_PROVIDER, weight) by age band; "SA" is supported accommodation,
#: H5/P2 before 1 April 2024, H5 or K3 in 2024-25 and K3 from 2025-26.
_SETTINGS = {
    0: [("U3", "PR1", 0.2), ("U6", "PR1", 0.4), ("U6", "PR4", 0.25), ("P1", "PR0", 0.1),
        ("R3", "PR1", 0.05)],
    1: [("U1", "PR1", 0.12), ("U3", "PR1", 0.1), ("U4", "PR1", 0.15), ("U6", "PR1", 0.25),
        ("U6", "PR4", 0.25), ("U5", "PR1", 0.05), ("P1", "PR0", 0.08)],
    2: [("U1", "PR1", 0.15), ("U4", "PR1", 0.3), ("U4", "PR4", 0.3), ("U6", "PR5", 0.1),
        ("K2", "PR4", 0.05), ("P1", "PR0", 0.1)],
    3: [("U1", "PR1", 0.1), ("U4", "PR1", 0.25), ("U4", "PR4", 0.25), ("U6", "PR5", 0.1),
        ("K2", "PR4", 0.15), ("K2", "PR1", 0.05), ("K1", "PR2", 0.01), ("S1", "PR5", 0.02),
        ("P1", "PR0", 0.07)],
    4: [("U1", "PR1", 0.05), ("U4", "PR1", 0.15), ("U6", "PR4", 0.2), ("K2", "PR4", 0.15),
        ("SA", "PR4", 0.4), ("P1", "PR0", 0.05)],
    # Unaccompanied children (bands 3 and 4).
    5: [("U6", "PR4", 0.5), ("U4", "PR1", 0.2), ("K2", "PR4", 0.3)],
    6: [("SA", "PR4", 0.6), ("U6", "PR4", 0.3), ("K2", "PR4", 0.1)],
}  # fmt: skip
_NO_URN = ("P1", "P2", "R3")  # placements with no Ofsted URN
_REASONS = (["CARPL", "CREQB", "CREQO", "CHILD", "LAREQ", "CLOSE", "STAND", "ALLEG", "OTHER"],
            [0.4, 0.15, 0.1, 0.1, 0.07, 0.07, 0.04, 0.03, 0.04])  # fmt: skip
_ETHNIC = (["WBRI", "WOTH", "WIRT", "MWBC", "MWBA", "MOTH", "BAFR", "BCRB", "APKN", "AOTH"],
           [0.64, 0.05, 0.01, 0.05, 0.03, 0.04, 0.05, 0.04, 0.04, 0.05])  # fmt: skip


@dataclass(frozen=True)
class LargeHistory:
    """What :func:`write_large_history` wrote."""

    out: Path
    years: tuple[int, ...]
    num_episode_rows: int
    num_children: int
    num_looked_after: int  # DfE's count on the last 31 March


def _day(year: int, month: int, day: int) -> int:
    """A date as a day number (days since 1 January 1970)."""
    return int((np.datetime64(f"{year:04d}-{month:02d}-{day:02d}", "D") - EPOCH).astype(int))


def _dmy(days: np.ndarray) -> np.ndarray:
    """Day numbers as DD/MM/YYYY strings."""
    iso = pd.Series(np.datetime_as_string(days.astype("timedelta64[D]") + EPOCH), dtype=object)
    return (iso.str[8:10] + "/" + iso.str[5:7] + "/" + iso.str[0:4]).to_numpy(object)


def _eighteenth(dob: np.ndarray) -> np.ndarray:
    """18th birthdays as day numbers."""
    born = pd.DatetimeIndex(pd.to_datetime(dob, unit="D"))
    return np.asarray((born + pd.DateOffset(years=18) - pd.Timestamp(0)).days, dtype=np.int64)


def _pick(rng: np.random.Generator, options: tuple[list, list], n: int) -> np.ndarray:
    return rng.choice(np.array(options[0], dtype=object), size=n, p=options[1])


def _draw(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Children entering care, relative to their entry day: age, stay, legal statuses.

    ``statuses[:, k]`` is the legal status from day ``times[:, k]`` of the stay
    (``_NEVER`` if it never comes): police protection turns into s20 or an interim
    order within days, most interim orders into full care orders, some s20 into interim
    orders; children on the adoption path get a placement order and are placed for
    adoption, then adopted.
    """
    band = rng.choice(5, size=n, p=_ENTRY_AGE_WEIGHTS)
    age_days = (rng.uniform(_BAND_YEARS[band, 0], _BAND_YEARS[band, 1]) * 365.25).astype(int)
    uasc = (band >= 3) & (rng.random(n) < np.where(band == 4, 0.4, 0.06))
    adoption = (band <= 1) & (rng.random(n) < 0.3)
    first = rng.choice([V2, C1, L1, L2, C2, J1], size=n, p=[0.5, 0.33, 0.08, 0.03, 0.05, 0.01])
    first = np.where((first == J1) & (band < 3), V2, first)
    first = np.where(uasc, V2, np.where(adoption, C1, first))
    statuses, times = [first], [np.zeros(n, dtype=np.int64)]
    for _ in range(3):
        now, since = statuses[-1], times[-1]
        nxt = now.copy()
        wait = np.full(n, _NEVER, dtype=np.int64)
        police = (now == L1) | (now == L2)
        nxt[police] = np.where(rng.random(police.sum()) < 0.5, C1, V2)
        wait[police] = rng.integers(1, 9, police.sum())
        interim = (now == C1) & ((rng.random(n) < 0.85) | adoption)
        nxt[interim], wait[interim] = C2, rng.integers(60, 300, interim.sum())
        s20 = (now == V2) & ~uasc & (rng.random(n) < 0.1)
        nxt[s20], wait[s20] = C1, rng.integers(30, 400, s20.sum())
        order = (now == C2) & adoption
        nxt[order], wait[order] = E1, rng.integers(100, 250, order.sum())
        statuses.append(nxt)
        times.append(np.minimum(since + wait, _NEVER))
    stacked_status, stacked_time = np.stack(statuses, axis=1), np.stack(times, axis=1)
    order_day = np.where(stacked_status == E1, stacked_time, _NEVER).min(axis=1)
    placed = np.where(adoption, order_day + rng.integers(30, 120, n), _NEVER)
    stay = rng.exponential(_MEAN_STAY_DAYS[band]).astype(np.int64) + 1
    stay = np.where(adoption, placed + rng.integers(150, 350, n), stay)
    return {
        "band": band,
        "age_days": age_days,
        "uasc": uasc,
        "adoption": adoption,
        "statuses": stacked_status,
        "times": stacked_time,
        "placed": placed,
        "stay": stay,
    }


def _postcodes() -> np.ndarray:
    """Real postcodes from the bundled (synthetic) sample, in a fixed order."""
    found: set[str] = set()
    for path in sorted(SAMPLE.glob("*/episodes.csv")):
        df = pd.read_csv(path, dtype=str, usecols=["HOME_POST", "PL_POST"])
        found |= set(df.stack().dropna())
    if not found:
        raise FileNotFoundError(f"no postcodes found under {SAMPLE}")
    return np.array(sorted(found), dtype=object)


def _urns(rng: np.random.Generator, places: np.ndarray, providers: np.ndarray) -> np.ndarray:
    """Ofsted URNs: the council's fostering and adoption services, IFAs, homes, SA providers."""
    sizes = {"council": 3, "IFA": 30, "K2": 150, "K1": 5, "K3": 40, "H5": 30, "S1": 10}
    numbers = rng.choice(900_000, sum(sizes.values()), replace=False) + 100_000
    pool = np.array([f"SC{v}" for v in numbers], dtype=object)
    start = np.cumsum([0, *sizes.values()])[:-1]
    offsets = dict(zip(sizes, start, strict=True))
    kinds = np.select(
        [
            np.isin(places, list(_NO_URN)),
            (providers == "PR1") & (places != "K2"),
            np.char.startswith(places.astype(str), "U"),
        ],
        ["none", "council", "IFA"],
        places.astype(str),
    )
    urn = np.full(len(places), "", dtype=object)
    for kind, size in sizes.items():
        mask = kinds == kind
        urn[mask] = pool[offsets[kind] + rng.integers(0, size, mask.sum())]
    return urn


def _segments(rng: np.random.Generator, kids: dict[str, np.ndarray], postcodes) -> pd.DataFrame:
    """Placements: one from entry, one per move, placed for adoption, and K3 conversions."""
    n = len(kids["entry"])
    entry, leave, dob = kids["entry"], kids["leave"], kids["dob"]
    moves = rng.poisson((leave - entry) / _MEAN_DAYS_BETWEEN_MOVES)
    who = np.repeat(np.arange(n), moves)
    span = leave[who] - entry[who]
    at = entry[who] + 1 + (rng.random(len(who)) * np.maximum(span - 1, 0)).astype(np.int64)
    # A third of legal status changes come with a move (RNE B).
    ls_kid = np.repeat(np.arange(n), kids["times"].shape[1] - 1)
    ls_day = entry[ls_kid] + kids["times"][:, 1:].ravel()
    with_move = (ls_day < leave[ls_kid]) & (rng.random(len(ls_kid)) < 0.33)
    who, at = np.concatenate([who, ls_kid[with_move]]), np.concatenate([at, ls_day[with_move]])
    adopted = np.flatnonzero(kids["placed_day"] < leave)
    seg = pd.DataFrame(
        {
            "kid": np.concatenate([np.arange(n), who, adopted]),
            "start": np.concatenate([entry, at, kids["placed_day"][adopted]]),
            "kind": np.concatenate([np.zeros(n), np.ones(len(who)), np.full(len(adopted), 2)]),
        }
    )
    seg = seg[seg["start"].to_numpy() < leave[seg["kid"]]]
    seg = seg.sort_values(["kid", "start", "kind"]).drop_duplicates(["kid", "start"], keep="last")
    # No moves after a placement for adoption: the child stays until adopted.
    seg = seg[(seg["start"].to_numpy() < kids["placed_day"][seg["kid"]]) | (seg["kind"] == 2)]
    seg = seg.reset_index(drop=True)
    kid, start = seg["kid"].to_numpy(), seg["start"].to_numpy()
    band = np.searchsorted(_BAND_YEARS[:, 1], (start - dob[kid]) / 365.25, side="right")
    band = band.clip(0, 4)
    table = np.where(kids["uasc"][kid] & (band >= 3), band + 2, band)
    places = np.empty(len(seg), dtype=object)
    providers = np.empty(len(seg), dtype=object)
    for t in np.unique(table):
        options = _SETTINGS[int(t)]
        weights = np.array([w for *_, w in options])
        mask = table == t
        pick = rng.choice(len(options), size=mask.sum(), p=weights / weights.sum())
        places[mask] = np.array([p for p, *_ in options], dtype=object)[pick]
        providers[mask] = np.array([p for _, p, _ in options], dtype=object)[pick]
    supported = places == "SA"
    early = np.where(rng.random(len(seg)) < 0.8, "H5", "P2")
    mid = np.where(rng.random(len(seg)) < 0.5, "H5", "K3")
    chosen = np.select([start < _K3_FIRST_DAY, start < _H5_LAST_DAY], [early, mid], "K3")
    places[supported] = chosen[supported]
    adoption = seg["kind"].to_numpy() == 2
    places[adoption] = np.where(rng.random(adoption.sum()) < 0.6, "A6", "A5")
    providers[adoption] = "PR1"
    urn = _urns(rng, places, providers)
    pl_post = postcodes[rng.integers(0, len(postcodes), len(seg))]
    homes = np.isin(places, ["K1", "K2", "K3", "H5", "S1"])
    # A home's postcode is fixed by its URN.
    pl_post[homes] = postcodes[[int(u[2:]) % len(postcodes) for u in urn[homes]]]
    home_post = kids["home_post"][kid]
    pl_post = np.where((places == "P1") & (home_post != ""), home_post, pl_post)
    seg = seg.assign(place=places, provider=providers, urn=urn, pl_post=pl_post)
    # An H5/P2 placement still open at the end of 2024-25 carries on as K3 from 31 March
    # 2025 (same carers, new status), so no H5 or P2 episode reaches the 2025-26 return.
    end = seg.groupby("kid")["start"].shift(-1).to_numpy()
    end = np.where(np.isnan(end), leave[kid], end)
    crossing = np.isin(places, ["H5", "P2"]) & (start < _H5_LAST_DAY) & (end > _H5_LAST_DAY)
    k3 = seg[crossing].assign(start=_H5_LAST_DAY, kind=3, place="K3")
    k3["urn"] = _urns(rng, k3["place"].to_numpy(), k3["provider"].to_numpy())
    return pd.concat([seg, k3]).sort_values(["kid", "start"], kind="stable")


def _episodes(rng: np.random.Generator, kids: dict[str, np.ndarray], seg: pd.DataFrame):
    """A new episode at every placement change and every legal status change."""
    n = len(kids["entry"])
    entry, leave, times = kids["entry"], kids["leave"], kids["times"]
    ls_kid = np.repeat(np.arange(n), times.shape[1] - 1)
    ls_day = entry[ls_kid] + times[:, 1:].ravel()
    keep = ls_day < leave[ls_kid]
    starts = pd.concat(
        [
            pd.DataFrame({"kid": seg["kid"], "start": seg["start"], "is_seg": 1, "is_ls": 0}),
            pd.DataFrame({"kid": ls_kid[keep], "start": ls_day[keep], "is_seg": 0, "is_ls": 1}),
        ]
    )
    ep = starts.groupby(["kid", "start"], as_index=False)[["is_seg", "is_ls"]].max()
    ep = pd.merge_asof(
        ep.sort_values("start", kind="stable"),
        seg.sort_values("start", kind="stable"),
        on="start",
        by="kid",
    ).sort_values(["kid", "start"], kind="stable")
    kid, start = ep["kid"].to_numpy(), ep["start"].to_numpy()
    phase = ((start - entry[kid])[:, None] >= times[kid, 1:]).sum(axis=1)
    is_seg, is_ls = ep["is_seg"].to_numpy() == 1, ep["is_ls"].to_numpy() == 1
    first = start == entry[kid]
    same_carers = ep["kind"].to_numpy() == 3
    nxt = ep.groupby("kid")["start"].shift(-1).to_numpy()
    last = np.isnan(nxt)
    next_is_move = np.append(is_seg[1:], False) & ~last
    next_same = np.append(same_carers[1:], False)
    reason = rng.choice(_REASONS[0], size=len(ep), p=_REASONS[1]).astype(object)
    return pd.DataFrame(
        {
            "kid": kid,
            "start": start,
            "end": np.where(last, leave[kid], np.nan_to_num(nxt)).astype(np.int64),
            "RNE": np.select(
                [first, is_seg & is_ls & same_carers, is_seg & is_ls, is_seg & same_carers, is_seg],
                ["S", "U", "B", "T", "P"],
                "L",
            ),
            "LS": _STATUSES[kids["statuses"][kid, phase]],
            "CIN": kids["cin"][kid],
            "PLACE": ep["place"].to_numpy(),
            "PLACE_PROVIDER": ep["provider"].to_numpy(),
            "REC": np.where(last, kids["rec"][kid], "X1"),
            "REASON_PLACE_CHANGE": np.where(next_is_move, np.where(next_same, "PLACE", reason), ""),
            "HOME_POST": kids["home_post"][kid],
            "PL_POST": ep["pl_post"].to_numpy(),
            "URN": ep["urn"].to_numpy(),
        }
    )


def _short_breaks(
    rng: np.random.Generator, num: int, first: int, last: int
) -> tuple[dict, pd.DataFrame]:
    """Disabled children on agreed series of short breaks: V3 (each break an episode,
    every month or so) and V4 (one episode per year-long agreement)."""
    v4 = rng.random(num) < 0.35
    agreed = rng.integers(first - 730, last, num)
    age_days = (rng.uniform(5, 14, num) * 365.25).astype(np.int64)
    length = rng.integers(365, 1100, num)
    per_child = np.where(v4, length // 365 + 1, length // 25 + 2)
    kid = np.repeat(np.arange(num), per_child)
    step = np.where(v4[kid], 365, 20 + rng.exponential(12, len(kid)).astype(np.int64))
    within = pd.Series(step).groupby(kid).cumsum().to_numpy() - step
    start = agreed[kid] + within
    nights = np.where(v4[kid], 364, rng.integers(1, 4, len(kid)))
    keep = within < length[kid]
    kid, start, nights = kid[keep], start[keep], nights[keep]
    unit = rng.random(num) < 0.6
    episodes = pd.DataFrame(
        {
            "kid": kid,
            "start": start,
            "end": start + nights,
            "RNE": "S",
            "LS": np.where(v4[kid], "V4", "V3"),
            "CIN": "N2",
            "PLACE": np.where(unit[kid], "K2", "U6"),
            "PLACE_PROVIDER": "PR1",
            "REC": "E13",
            "REASON_PLACE_CHANGE": "",
            "HOME_POST": "",
            "PL_POST": "",
            "URN": np.where(unit[kid], "SC512873", "SC508211"),
        }
    )
    kids = {"dob": agreed - age_days, "uasc": np.zeros(num, dtype=bool)}
    return kids, episodes


def write_large_history(
    out: Path | str,
    num_children: int = 5000,
    num_years: int = 10,
    seed: int = 1,
    end_year: int = 2026,
) -> LargeHistory:
    """Write ``num_years`` yearly 903 returns of an authority of ``num_children``.

    Parameters
    ----------
    out
        Folder to write ``<YYYY>/{header,episodes,uasc}.csv`` into (created if absent).
    num_children
        Children looked after at any time, approximately (short breaks not counted).
    num_years
        Collection years, the last ending 31 March ``end_year``.
    seed
        Seed of the generator; the same seed gives byte-identical files.
    end_year
        The year the last collection ends.

    Returns
    -------
    LargeHistory
        Where it wrote, how many episode rows, and DfE's count on the last 31 March.
    """
    out = Path(out)
    rng = np.random.default_rng(seed)
    first_day, last_day = _day(end_year - num_years, 4, 1), _day(end_year, 3, 31)
    burn_in = first_day - 19 * 366  # long enough for the oldest starter to have left

    # Entries at a constant rate, calibrated so the stock is about num_children.
    sample = _draw(np.random.default_rng([seed, 1]), 50_000)
    to_eighteen = 18 * 365.25 - sample["age_days"]
    mean_stay = float(np.minimum(sample["stay"], to_eighteen).mean())
    num_entries = int(rng.poisson(num_children / mean_stay * (last_day - burn_in)))
    drawn = _draw(rng, num_entries)
    entry = np.sort(rng.integers(burn_in, last_day + 1, num_entries))
    dob = entry - drawn["age_days"]
    eighteenth = _eighteenth(dob)
    leave = np.minimum(entry + drawn["stay"], eighteenth)
    keep = leave > first_day
    kids = {key: value[keep] for key, value in drawn.items()}
    kids |= {"entry": entry[keep], "dob": dob[keep], "leave": leave[keep]}
    kids["placed_day"] = np.where(kids["adoption"], kids["entry"] + kids["placed"], _NEVER)
    n = len(kids["entry"])
    reached_18 = kids["leave"] >= eighteenth[keep]
    rec = _pick(rng, (["E4A", "E13", "E41", "E45", "E46", "E47", "E48", "E4B", "E3", "E8"],
                      [0.38, 0.12, 0.05, 0.1, 0.04, 0.08, 0.03, 0.06, 0.04, 0.1]), n)  # fmt: skip
    rec = np.where(kids["statuses"][:, -1] == J1, "E14", rec)
    rec = np.where(
        reached_18, _pick(rng, (["E17", "E5", "E6", "E8"], [0.3, 0.45, 0.15, 0.1]), n), rec
    )
    kids["rec"] = np.where(kids["adoption"], np.where(rng.random(n) < 0.85, "E11", "E12"), rec)
    cin = _pick(rng, (["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"],
                      [0.65, 0.03, 0.04, 0.07, 0.12, 0.04, 0.01, 0.04]), n)  # fmt: skip
    kids["cin"] = np.where(kids["uasc"], "N8", cin)
    postcodes = _postcodes()
    home = postcodes[rng.integers(0, len(postcodes), n)]
    kids["home_post"] = np.where(kids["uasc"], "", home)

    episodes = _episodes(rng, kids, _segments(rng, kids, postcodes))
    num_breaks = max(1, round(num_children * 0.012 * (num_years + 2) / 3))
    breaks, break_episodes = _short_breaks(rng, num_breaks, first_day, last_day)
    break_episodes["kid"] += n
    episodes = pd.concat([episodes, break_episodes], ignore_index=True)

    # Everyone's own fields: IDs, sex, ethnicity, pupil numbers.
    dob_all = np.concatenate([kids["dob"], breaks["dob"]])
    uasc_all = np.concatenate([kids["uasc"], breaks["uasc"]])
    total = len(dob_all)
    child_id = (rng.choice(9_000_000, size=total, replace=False) + 1_000_000).astype(str)
    male = rng.random(total) < np.where(uasc_all, 0.92, 0.56)
    ethnic = np.where(
        uasc_all,
        _pick(rng, (["AOTH", "BAFR", "OOTH", "BOTH", "MOTH"], [0.35, 0.3, 0.2, 0.1, 0.05]), total),
        _pick(rng, _ETHNIC, total),
    )
    letters = rng.choice(list("ABCDEFGHJKLMNPRTUVWXYZ"), total)
    digits = rng.integers(10**11, 10**12, total).astype(str)
    people = pd.DataFrame(
        {
            "CHILD": child_id,
            "SEX": np.where(male, "1", "2"),
            "DOB": _dmy(dob_all),
            "ETHNIC": ethnic,
            "upn": np.char.add(letters.astype(str), digits),
            "MOTHER": "",
            "MC_DOB": "",
            "DUC": _dmy(_eighteenth(dob_all)),
            "uasc": uasc_all,
            "dob_day": dob_all,
        }
    )

    episodes = episodes.assign(CHILD=child_id[episodes["kid"].to_numpy()])
    episodes["DECOM"] = _dmy(episodes["start"].to_numpy())
    episodes["dec"] = _dmy(episodes["end"].to_numpy())
    episodes = episodes.sort_values(["CHILD", "start"], kind="stable").reset_index(drop=True)
    years = tuple(range(end_year - num_years + 1, end_year + 1))
    num_rows = 0
    for year in years:
        start, end = _day(year - 1, 4, 1), _day(year, 3, 31)
        rows = episodes[(episodes["start"] <= end) & (episodes["end"] >= start)].copy()
        still_open = (rows["end"] > end).to_numpy()
        rows["DEC"] = np.where(still_open, "", rows["dec"])
        rows.loc[still_open, ["REC", "REASON_PLACE_CHANGE"]] = ""
        kids_in = people.iloc[np.unique(rows["kid"].to_numpy())]
        kids_in = kids_in.sort_values("CHILD", kind="stable")
        under_five = (end - kids_in["dob_day"]) < 5 * 365.25
        upn = np.where(kids_in["uasc"], "UN2", np.where(under_five, "UN1", kids_in["upn"]))
        header = kids_in.assign(UPN=upn)
        folder = out / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        header[["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]].to_csv(
            folder / "header.csv", index=False
        )
        rows[list(_EPISODE_COLUMNS)].to_csv(folder / "episodes.csv", index=False)
        kids_in[kids_in["uasc"]][["CHILD", "SEX", "DOB", "DUC"]].to_csv(
            folder / "uasc.csv", index=False
        )
        num_rows += len(rows)

    at_end = episodes[(episodes["start"] <= last_day) & (episodes["end"] > last_day)]
    at_end = at_end[~at_end["LS"].isin(["V3", "V4"])]
    adults = _eighteenth(dob_all) <= last_day
    looked_after = len(set(at_end["kid"]) - set(np.flatnonzero(adults)))
    return LargeHistory(out, years, num_rows, total, looked_after)


_EPISODE_COLUMNS = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=out_folder, required=True, help="folder to write into")
    parser.add_argument("--children", type=whole(1), default=5000, help="looked after at any time")
    parser.add_argument("--years", type=whole(1), default=10, help="collection years")
    parser.add_argument("--seed", type=random_seed, default=1)
    args = parser.parse_args()
    t0 = time.perf_counter()
    result = write_large_history(args.out, args.children, args.years, args.seed)
    print(
        f"{result.num_episode_rows:,} episode rows in {len(result.years)} returns "
        f"({result.years[0] - 1}-{result.years[0] % 100:02d} to "
        f"{result.years[-1] - 1}-{result.years[-1] % 100:02d}), "
        f"{result.num_children:,} children; {result.num_looked_after:,} looked after on "
        f"31 March {result.years[-1]}; written to {result.out} in "
        f"{time.perf_counter() - t0:.1f} s"
    )


if __name__ == "__main__":
    run(main)
