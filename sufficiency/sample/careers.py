"""Care careers: one child's sequence of SSDA903 episodes, built event by event.

A :class:`Career` keeps the open episode and starts a new one whenever the legal
status or the placement changes (RNE ``L``/``P``/``T``/``B``), chaining episodes
(the next DECOM is the previous DEC, REC ``X1``) and recording the reason for a
placement change on the ceasing episode. A child who reaches 18 leaves care on
the birthday itself. Dates are proleptic Gregorian ordinals (``date.toordinal``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from sufficiency.sample.places import Estate, Setting, pick_near, pick_setting

#: Ofsted registration of supported accommodation: H5 placements from this date carry a URN.
H5_URN_FROM = date(2023, 10, 28).toordinal()
#: K3 (registered supported accommodation) is used for placements starting on or after this.
#: DfE introduced K3 for 2024-25, but csc-validator-be-903 0.1.17 lists it as "k3" for
#: 2024-25 (so rejects it) and rejects H5 from 2025-26, so the sample uses H5 up to
#: 31 March 2025 and K3 from 1 April 2025; an H5 placement open on 1 April 2025 carries
#: on as the same episode, coded K3 in returns from 2025-26 (``ssda903.H5_AS_K3_FROM``).
K3_FROM = date(2025, 4, 1).toordinal()
#: Grid reference used in place of a home address for unaccompanied children (Worcester).
WORCESTER_EN = (385_000.0, 255_000.0)

FOSTER = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
_CHANGE_REASONS = ["CARPL", "OTHER", "CREQB", "CREQO", "CHILD", "LAREQ", "STAND", "ALLEG", "CLOSE"]
_CHANGE_WEIGHTS = np.array([0.42, 0.2, 0.12, 0.09, 0.06, 0.04, 0.03, 0.02, 0.02])


@dataclass(frozen=True)
class Placement:
    """Where a child lives: 903 placement type, provider, postcode and URN."""

    place: str
    provider: str | None
    postcode: str
    urn: str | None
    carer: str  # identifies the carer or setting, for "same carer" changes


@dataclass
class Episode:
    """One 903 episode; ``dec`` is None while open."""

    decom: int
    rne: str
    ls: str
    placement: Placement
    dec: int | None = None
    rec: str | None = None
    reason_change: str | None = None


@dataclass
class Child:
    """A fictional looked-after child and their episodes."""

    child_id: str
    sex: int  # 1 male, 2 female
    dob: date
    ethnic: str
    upn: str  # a UPN, or UN2 for some unaccompanied children
    home_post: str | None
    home_en: tuple[float, float]
    uasc: bool
    cin: str
    episodes: list[Episode] = field(default_factory=list)


def add_years(d: date, years: int) -> date:
    """Same day and month ``years`` later (28 February for 29 February)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


class Career:
    """Builds one child's episodes forward in time."""

    def __init__(self, rng: np.random.Generator, estate: Estate, child: Child, start: int) -> None:
        self.rng = rng
        self.estate = estate
        self.child = child
        self.t = start
        self.turn16 = add_years(child.dob, 16).toordinal()
        self.turn18 = add_years(child.dob, 18).toordinal()
        self.done = False
        self._carers = 0
        # Carer labels carry the number of episodes before this period of care, so a
        # child who comes back into care never meets a new carer under an old label.
        self._carer_prefix = f"{child.child_id}-{len(child.episodes)}"

    # --- state ---------------------------------------------------------------

    @property
    def current(self) -> Episode:
        return self.child.episodes[-1]

    def age(self, t: int | None = None) -> float:
        """Age in years at ``t`` (default: the current episode's start)."""
        return ((self.t if t is None else t) - self.child.dob.toordinal()) / 365.25

    def _new_carer(self) -> str:
        self._carers += 1
        return f"{self._carer_prefix}-{self._carers}"

    # --- placements ----------------------------------------------------------

    def _near(self, lo: float, hi: float, county_only: bool = False) -> str:
        pool = self.estate.county if county_only else self.estate.everywhere
        e, n = self.child.home_en
        return str(pool.postcode[pick_near(self.rng, pool, e, n, lo, hi, self.child.home_post)])

    def foster(self, kind: str, long_term: bool) -> Placement:
        """A foster placement: ``kind`` is kin, in_house or ifa."""
        r = self.rng.random()
        if kind in ("kin", "in_house"):  # the council's own carers: kinship or in-house
            if kind == "kin":
                post = self._near(0.2, 8) if r < 0.65 else self._near(8, 50)
                long_code, short_code = "U1", "U3"
            else:
                post = self._near(0.3, 12, True) if r < 0.75 else self._near(12, 35, True)
                long_code, short_code = "U4", "U6"
            code = long_code if long_term else short_code
            return Placement(code, "PR1", post, self.estate.la_fostering_urn, self._new_carer())
        urn, prov = self.estate.ifa_agencies[int(self.rng.integers(len(self.estate.ifa_agencies)))]
        post = (
            self._near(0.3, 12)
            if r < 0.5
            else self._near(12, 20)
            if r < 0.65
            else self._near(20, 70)
        )
        return Placement("U4" if long_term else "U6", prov, post, urn, self._new_carer())

    def home(self) -> Placement:
        """A children's home (K2): a few in-house homes in the county, the rest external."""
        e, n = self.child.home_en
        if self.rng.random() < 0.18:
            s = pick_setting(self.rng, self.estate.homes_in_house, e, n, 0, 40)
        elif self.rng.random() < 0.3:
            s = pick_setting(self.rng, self.estate.homes_external, e, n, 0.5, 20)
        else:
            s = pick_setting(self.rng, self.estate.homes_external, e, n, 20, 160)
        return self._at(s, "K2")

    def supported(self, t: int) -> Placement:
        """Supported accommodation: H5 before April 2025 (URN from 28 October 2023), then K3."""
        e, n = self.child.home_en
        s = pick_setting(self.rng, self.estate.supported, e, n, 0.5, 40)
        p = self._at(s, "K3" if t >= K3_FROM else "H5")
        if p.place == "H5" and t < H5_URN_FROM:
            p = Placement("H5", p.provider, p.postcode, None, p.carer)
        return p

    def school(self) -> Placement:
        e, n = self.child.home_en
        return self._at(pick_setting(self.rng, self.estate.schools, e, n, 10, 200), "S1")

    def _at(self, s: Setting, place: str) -> Placement:
        post = s.postcode
        if post == self.child.home_post:  # practically never, but 903 rule 392d forbids it
            post = self._near(1, 10)
        return Placement(place, s.provider_903, post, s.urn, s.urn)

    def parents(self) -> Placement:
        assert self.child.home_post is not None
        return Placement("P1", "PR0", self.child.home_post, None, "parents")

    def adoption(self) -> Placement:
        """Placed for adoption under a placement order: with the foster carer (A5) or not (A6)."""
        cur = self.current.placement
        if cur.place in FOSTER and self.rng.random() < 0.15:
            return Placement("A5", cur.provider, cur.postcode, cur.urn, cur.carer)
        if self.rng.random() < 0.8:
            prov, urn = "PR1", self.estate.raa_urn
        else:
            prov, urn = "PR5", self.estate.vaa_urns[int(self.rng.integers(3))]
        return Placement("A6", prov, self._near(3, 60), urn, self._new_carer())

    def any_foster(self, long_term: bool, kin_share: float = 0.22) -> Placement:
        r = self.rng.random()
        kind = (
            "kin"
            if r < kin_share
            else "in_house"
            if r < kin_share + (1 - kin_share) * 0.54
            else "ifa"
        )
        return self.foster(kind, long_term)

    # --- events --------------------------------------------------------------

    def begin(self, ls: str, placement: Placement) -> None:
        """Start to be looked after (RNE S)."""
        self.child.episodes.append(Episode(self.t, "S", ls, placement))

    def step(
        self,
        days: float,
        ls: str | None = None,
        placement: Placement | None = None,
        reason: str | None = None,
    ) -> bool:
        """After ``days``, change legal status and/or placement; False once the career has ended."""
        if self.done:
            return False
        t_new = self.t + max(1, int(days))
        if t_new >= self.turn18:
            self.leave_at_18()
            return False
        cur = self.current
        if placement is not None and (placement.carer, placement.place) == (
            cur.placement.carer,
            cur.placement.place,
        ):
            placement = None  # same carer and type: not a move (URNs are set afterwards)
        new_ls = ls or cur.ls
        ls_changed = new_ls != cur.ls
        pl_changed = placement is not None and placement != cur.placement
        if not (ls_changed or pl_changed):
            return True
        new_pl = placement if placement is not None and pl_changed else cur.placement
        same_carer = new_pl.carer == cur.placement.carer
        if ls_changed and pl_changed:
            rne = "U" if same_carer else "B"
        elif ls_changed:
            rne = "L"
        else:
            rne = "T" if same_carer else "P"
        cur.dec, cur.rec = t_new, "X1"
        if pl_changed:
            cur.reason_change = reason or ("PLACE" if same_carer else self._reason())
        self.child.episodes.append(Episode(t_new, rne, new_ls, new_pl))
        self.t = t_new
        return True

    def _reason(self) -> str:
        return str(self.rng.choice(_CHANGE_REASONS, p=_CHANGE_WEIGHTS / _CHANGE_WEIGHTS.sum()))

    def cease(self, days: float, rec: str) -> None:
        """Stop being looked after after ``days`` (or at 18, whichever comes first)."""
        if self.done:
            return
        t_new = self.t + max(1, int(days))
        if t_new >= self.turn18:
            self.leave_at_18()
            return
        self.current.dec, self.current.rec = t_new, rec
        self.done = True

    def leave_at_18(self) -> None:
        """Cease on the 18th birthday: staying put, or independent living."""
        cur = self.current
        if cur.placement.place in FOSTER and self.rng.random() < 0.55:
            rec = "E17"
        else:
            rec = "E5" if self.rng.random() < 0.75 else "E6"
        if self.turn18 <= cur.decom:  # cannot happen with step(), kept for safety
            self.turn18 = cur.decom + 1
        cur.dec, cur.rec = self.turn18, rec
        self.done = True

    def stay(self, days: float, mover: str, mean_stint: float) -> float:
        """Remain looked after about ``days`` with placement moves every ~``mean_stint`` days.

        ``mover`` is foster, home or mixed. Returns the days left from the current
        episode's start to the end of the stay (at least 7), or -1 once the career ended.
        """
        end = self.t + max(14, int(days))
        while not self.done:
            gap = max(21, int(self.rng.exponential(mean_stint)))
            if self.t + gap >= end - 7:
                break
            if not self.step(gap, placement=self.next_placement(mover, self.t + gap)):
                return -1
        return -1 if self.done else max(7, end - self.t)

    def next_placement(self, mover: str, t: int) -> Placement:
        """A plausible next placement for a move at ``t``."""
        age = self.age(t)
        r = self.rng.random()
        if t > self.turn16 + 10 and (
            mover == "supported" or r < (0.2 if mover == "foster" else 0.5)
        ):
            return self.supported(t)
        if mover == "home" or (age >= 10 and r > (0.85 if mover == "foster" else 0.5)):
            return self.home()
        if age >= 8 and 0.45 < r < (0.5 if mover == "mixed" else 0.47):
            return self.school()
        return self.any_foster(long_term=self.rng.random() < 0.45)
