"""One synthetic child's 903 episodes, for the calibration family (:mod:`.family`).

A child's care is driven by their legal status, as it is in practice: police protection
lasts days; section 20 accommodation (V2) often ends within weeks; an interim care order
(C1) lasts for the months of care proceedings and then becomes a full care order (C2),
a placement order (E1, young children) or ends; a placement order leads to a placement
with adopters (A5/A6) and then adoption; a care order ends with special guardianship,
a return home or the 18th birthday. Placements change on their own clock (an emergency
placement soon, a settled one rarely); some changes keep the carers (short-term foster
care becoming long-term, RNE U or T). A child may return to care after leaving.

Dates are days since 1970-01-01 (``int``); the caller turns them into timestamps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

#: 2023-10-28 (supported accommodation registered with Ofsted) and 2024-04-01 / 2025-04-01
#: (K3 allowed, then H5 withdrawn), as days since 1970-01-01.
URN_FROM_DAY = 19658
K3_ALLOWED_DAY = 19814
H5_GONE_DAY = 20179
_YEAR = 365.25
#: Legal statuses a child moves between (anything else that ends a status is a REC code).
_LEGAL_STATUSES = frozenset({"L1", "J1", "V2", "C1", "C2", "E1"})
#: Mean months in placements that are short by nature (secure, mother-and-baby unit).
_SHORT_MONTHS = {"K1": 3.0, "R3": 4.0}
#: Mean length of other placements relative to a foster placement's.
_SETTLED_FACTOR = {"K2": 0.6, "K3": 0.6, "H5": 0.6, "S1": 0.8, "Z1": 0.3}


class Draws:
    """Uniform random numbers drawn in blocks (scalar generator calls are slow)."""

    def __init__(self, rng: np.random.Generator, block: int = 1 << 16) -> None:
        self.rng = rng
        self.block = block
        self.buf = rng.random(block)
        self.i = 0

    def u(self) -> float:
        """One uniform number in [0, 1)."""
        if self.i == self.block:
            self.buf = self.rng.random(self.block)
            self.i = 0
        self.i += 1
        return float(self.buf[self.i - 1])

    def exp(self, mean: float) -> float:
        """An exponential duration with this mean."""
        return -mean * math.log1p(-self.u())

    def erlang(self, mean: float, shape: int) -> float:
        """A gamma duration with an integer shape (less spread than exponential)."""
        return sum(self.exp(mean / shape) for _ in range(shape))

    def pick(self, options: list[tuple[str, float]]) -> str:
        """One of ``options`` (label, weight) with probability proportional to weight."""
        total = sum(w for _, w in options)
        x = self.u() * total
        for label, w in options:
            x -= w
            if x < 0:
                return label
        return options[-1][0]


@dataclass(frozen=True)
class Practice:
    """How an authority places and looks after children (drawn per authority).

    Shares are probabilities; ``exit_speed`` multiplies the rate of leaving care from
    accommodation and care orders; ``placement_months`` is the mean length of a settled
    placement.
    """

    kinship: float
    in_house: float  # of mainstream fostering
    residential: float  # of 10-17-year-olds' placements
    supported: float  # of 16-17-year-olds' placements
    with_parents: float
    placement_order: float  # of under-5s on interim orders
    exit_speed: float
    placement_months: float
    reentry: float
    temporary: float  # chance a placement has a temporary (T0-T4) interruption


@dataclass
class Ids:
    """Counters for carers' postcodes and settings' URNs, unique within an authority."""

    carers: int = 0
    homes: list[str] = field(default_factory=list)

    def postcode(self) -> str:
        """A new, unique postcode-like string (not a real postcode)."""
        self.carers += 1
        k = self.carers
        letters = chr(65 + k % 26) + chr(65 + k // 26 % 26)
        return f"ZZ{1 + k // 6760} {k // 676 % 10}{letters}"


#: One episode: DECOM, DEC (None = still open), RNE, LS, PLACE, PLACE_PROVIDER,
#: PL_POST, URN, REC, REASON_PLACE_CHANGE.
Episode = list


def _setting(
    d: Draws, age: float, ls: str, uasc: bool, pr: Practice, long_term: bool
) -> tuple[str, str | None]:
    """Placement type and provider for a child of ``age`` on legal status ``ls``."""
    foster = "U4" if long_term else "U6"
    kin = "U1" if long_term else "U3"
    ifa = "PR4" if d.u() < 0.85 else "PR5"
    if uasc and age >= 16:
        return ("K3", "PR4") if d.u() < 0.6 else (foster, ifa)
    if uasc:
        return (foster, ifa) if d.u() < 0.75 else (foster, "PR1")
    opts: list[tuple[str, float]] = [("kin", pr.kinship), ("foster", 1.0 - pr.kinship)]
    if ls in ("C1", "C2") and age < 16:
        opts.append(("parents", pr.with_parents))
    if age < 1:
        opts.append(("mbu", 0.04))
    if age >= 10:
        opts += [("home", pr.residential), ("secure", 0.01), ("school", 0.01)]
    if age >= 16:
        opts.append(("supported", pr.supported))
    opts.append(("other", 0.01))
    kind = d.pick(opts)
    if kind == "kin":
        return kin, "PR1"
    if kind == "foster":
        return (foster, "PR1") if d.u() < pr.in_house else (foster, ifa)
    if kind == "parents":
        return "P1", "PR0"
    if kind == "mbu":
        return "R3", "PR4"
    if kind == "home":
        return ("K2", "PR1") if d.u() < 0.2 else ("K2", ifa)
    if kind == "secure":
        return "K1", "PR1" if d.u() < 0.5 else "PR2"
    if kind == "school":
        return "S1", "PR4"
    if kind == "supported":
        return "K3", ifa
    return "Z1", None


def _urn(place: str, provider: str | None, start: int, d: Draws) -> str | None:
    if place in ("K1", "K2", "S1", "R3") or (place == "K3" and start >= URN_FROM_DAY):
        return f"SC{int(d.u() * 900_000) + 100_000}"
    if place[0] in ("U", "A") and provider not in (None, "PR0"):
        # foster and adoption agencies: one URN per agency, shared by its carers
        return f"SC{100_000 + int(d.u() * 40)}"
    return None


def _legal_step(
    d: Draws, ls: str, age: float, uasc: bool, pr: Practice, speed: float
) -> tuple[float, str]:
    """Days until the legal status ``ls`` ends, and what follows (a status or a REC)."""
    if ls == "L1":
        return 1 + d.exp(5), d.pick([("C1", 0.4), ("V2", 0.3), ("E4A", 0.3)])
    if ls == "J1":
        return 1 + d.exp(60), "E14" if d.u() < 0.8 else "V2"
    if ls == "V2":
        if uasc:
            return (d.exp(250), "E15") if d.u() < 0.08 else (math.inf, "")
        mean = 40 if d.u() < 0.45 else (500 if age < 16 else 2000)
        leave = d.pick([("E4A", 0.5), ("E13", 0.25), ("E8", 0.1), ("C1", 0.15)])
        return 1 + d.exp(mean / speed), leave
    if ls == "C1":
        if age < 5:
            nxt = d.pick([("E1", pr.placement_order), ("C2", 0.4), ("E4A", 0.15), ("E47", 0.1)])
        else:
            nxt = d.pick([("C2", 0.7), ("E4A", 0.2), ("E41", 0.1)])
        return 30 + d.erlang(280, 4), nxt
    if ls == "C2":
        mean_years = 3.0 if age < 5 else (6.0 if age < 10 else 12.0)
        young = age < 10
        nxt = d.pick([("E45", 0.3 if young else 0.1), ("E47", 0.3 if young else 0.1),
                      ("E4A", 0.3), ("E41", 0.1), ("E1", 0.05 if age < 4 else 0.0)])  # fmt: skip
        return d.exp(mean_years * _YEAR / speed), nxt
    # E1: adoption follows placement with adopters; some orders are revoked
    if d.u() < 0.12:
        return 540.0, "C2"
    return 0.0, "adopt"


def career(
    d: Draws,
    ids: Ids,
    pr: Practice,
    dob: int,
    start: int,
    ls: str,
    uasc: bool,
    speed_at: np.ndarray,
    day0: int,
) -> list[Episode]:
    """Episodes of one child from entry on day ``start`` (with any return to care).

    ``speed_at[(day - day0) / 30.44]`` (one value a month) multiplies the rate of
    leaving care on ``day``: the authority's practice drifts over the years.
    """
    episodes: list[Episode] = []
    turn18 = dob + round(18 * _YEAR)
    t = start
    while True:
        rec = _one_period(d, ids, pr, dob, t, ls, uasc, speed_at, day0, turn18, episodes)
        last = episodes[-1][1]
        returns = rec in ("E4A", "E13", "E41", "E8", "E14") and d.u() < pr.reentry
        if not returns:
            return episodes
        t = last + 1 + int(d.exp(400))
        if t >= turn18 - 60:
            return episodes
        ls = "C1" if d.u() < 0.5 else "V2"


def _one_period(
    d: Draws,
    ids: Ids,
    pr: Practice,
    dob: int,
    t: int,
    ls: str,
    uasc: bool,
    speed_at: np.ndarray,
    day0: int,
    turn18: int,
    out: list[Episode],
) -> str:
    """Append one period of care's episodes to ``out``; return how it ended (REC)."""

    def age(day: float) -> float:
        return (day - dob) / _YEAR

    def speed(day: float) -> float:
        return float(speed_at[min(max(int((day - day0) / 30.44), 0), len(speed_at) - 1)])

    def new_placement(day: int, long_term: bool, same_carer: bool = False) -> list:
        if same_carer:
            place, provider, post, urn = out[-1][4:8]
            return [place, provider, post, urn]
        place, provider = _setting(d, age(day), ls, uasc, pr, long_term)
        return [place, provider, ids.postcode(), _urn(place, provider, day, d)]

    def placement_days(place: str, first: bool) -> float:
        if first and d.u() < 0.35:
            return 1 + d.exp(30)  # an emergency placement
        if place in _SHORT_MONTHS:
            return 1 + d.exp(_SHORT_MONTHS[place] * 30.44)
        return 1 + d.exp(_SETTLED_FACTOR.get(place, 1.0) * pr.placement_months * 30.44)

    placement = new_placement(t, long_term=False)
    out.append([t, None, "S", ls, *placement, None, None])
    dur, nxt = _legal_step(d, ls, age(t), uasc, pr, speed(t))
    legal_end = t + dur
    adopt_at = math.inf
    if nxt == "adopt":
        adopt_at, legal_end = t + 30 + d.erlang(200, 3), math.inf
    move_at = t + placement_days(placement[0], first=True)
    while True:
        when = min(legal_end, move_at, adopt_at, turn18)
        day = math.ceil(when)
        if day <= out[-1][0]:
            day = out[-1][0] + 1
        if day >= turn18:
            out[-1][1], out[-1][8] = turn18, "E17" if out[-1][4][0] == "U" else "E5"
            return "E17"
        if when == adopt_at:
            # placed with adopters: the foster carers themselves (A5) or new ones (A6)
            same = out[-1][4] in ("U6", "U5", "U4") and d.u() < 0.2
            place = "A5" if same else "A6"
            provider = "PR1" if d.u() < 0.7 else "PR5"
            post = out[-1][6] if same else ids.postcode()
            out[-1][1], out[-1][8], out[-1][9] = day, "X1", "CARPL"
            out.append([day, None, "T" if same else "P", ls, place, provider, post,
                        _urn(place, provider, day, d), None, None])  # fmt: skip
            adopt_at, move_at = math.inf, math.inf
            legal_end = day + 20 + d.erlang(220, 3)
            nxt = "E11" if d.u() < 0.7 else "E12"
            continue
        if when == legal_end:
            if nxt not in _LEGAL_STATUSES:
                out[-1][1], out[-1][8] = day, nxt
                return nxt
            # a new legal status: with the same placement (RNE L), or a short-term foster
            # placement becoming long-term with the same carers (RNE U)
            ls = nxt
            cur = out[-1]
            rne, place = "L", cur[4]
            if ls == "C2" and place in ("U6", "U3") and d.u() < 0.4:
                rne, place = "U", "U4" if place == "U6" else "U1"
            cur[1], cur[8] = day, "X1"
            out.append([day, None, rne, ls, place, *cur[5:8], None, None])
            dur, nxt = _legal_step(d, ls, age(day), uasc, pr, speed(day))
            legal_end = day + dur
            if nxt == "adopt":
                adopt_at, legal_end = day + 30 + d.erlang(200, 3), math.inf
            continue
        # a new placement
        cur = out[-1]
        placement = new_placement(day, long_term=ls == "C2" and d.u() < 0.6)
        cur[1], cur[8] = day, "X1"
        cur[9] = d.pick([("CARPL", 0.45), ("OTHER", 0.2), ("CREQB", 0.12), ("CREQO", 0.1),
                         ("CHILD", 0.06), ("LAREQ", 0.07)])  # fmt: skip
        out.append([day, None, "P", ls, *placement, None, None])
        move_at = day + placement_days(placement[0], first=False)
        room = min(move_at, legal_end, adopt_at, turn18) - day
        if d.u() < pr.temporary and room > 60:
            _temporary(d, out, day + 10 + int(d.u() * (room - 40)))


def _temporary(d: Draws, out: list[Episode], at: int) -> None:
    """Interrupt the open placement with a short temporary one (T0-T4), then return."""
    cur = out[-1]
    back = at + 2 + min(int(d.exp(6)), 20)
    place = d.pick([("T4", 0.5), ("T2", 0.25), ("T3", 0.15), ("T1", 0.1)])
    cur[1], cur[8], cur[9] = at, "X1", None
    out.append([at, back, "P", cur[3], place, None, None, None, "X1", None])
    out.append([back, None, "P", cur[3], *cur[4:8], None, None])


def _setting_urn(postcode: str) -> str:
    """A URN for a setting that gains one, fixed by its postcode (deterministic)."""
    return f"SC{sum(ord(ch) * 31**i for i, ch in enumerate(postcode)) % 900_000 + 100_000}"


def recode(episodes: list[Episode], urn_split: bool) -> list[Episode]:
    """Apply the 903's code changes to supported accommodation.

    Placements in supported accommodation use H5 before April 2024, K3 from April 2025
    and either in between; an H5 placement open on 1 April 2025 is recoded to K3 as a new
    episode with the same carers (RNE T). With ``urn_split`` (some authorities did this),
    an H5 placement open on 28 October 2023 gains its URN as a new episode too.
    """
    out: list[Episode] = []
    for ep in episodes:
        ep = list(ep)
        if ep[4] == "K3" and ep[0] < K3_ALLOWED_DAY + (ep[0] % 2) * 365:
            ep[4] = "H5"
        if ep[4] == "H5" and ep[0] < URN_FROM_DAY:
            ep[7] = None
        pieces = [ep]
        for day, split in ((URN_FROM_DAY, urn_split), (H5_GONE_DAY, True)):
            cur = pieces[-1]
            if (
                not split
                or cur[4] != "H5"
                or not (cur[0] < day and (cur[1] is None or cur[1] > day))
            ):
                continue
            nxt = [*cur]
            nxt[0], nxt[2] = day, "T"
            if day == URN_FROM_DAY:
                nxt[7] = _setting_urn(cur[6])
            else:
                nxt[4] = "K3"
                nxt[7] = nxt[7] or _setting_urn(cur[6])
            cur[1], cur[8], cur[9] = day, "X1", None
            pieces.append(nxt)
        out += pieces
    return out
