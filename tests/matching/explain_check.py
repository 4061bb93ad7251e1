"""An independent check of every reason a matching run gives (``alternatives.csv``,
``unplaced.csv``, the split sibling groups' notes on ``matches.csv``).

Each claim is read back from the sentence (the children it names, the rules, the places
and figures) and re-derived from the inputs and the plan alone, with the rules as
docs/matching.md states them (``reference.py``'s plain restatement of the single-pair
rules, completed here for the current household and the team's decisions). Nothing here
calls the code that wrote the sentences. :func:`false_claims` returns one line per claim
that does not hold; an empty list is a run whose explanations hold up.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pandas as pd
from reference import _age, _na, _upper_tier, home_view, miles, pair_breaks, pair_cost

from sufficiency.config import MatchingParams
from sufficiency.geo import council_name

#: The hard rules in docs/matching.md's order: rule N is ``RULES[N - 1]``; the team's
#: decisions are the last rule.
RULES = (
    "capacity",
    "fostering_limit",
    "age",
    "setting",
    "sex",
    "risks",
    "pets",
    "communication",
    "adaptations",
    "alongside",
    "harm_sexual",
    "availability",
    "harm_animals",
    "harm_physical",
    "unlocatable",
    "decision",
)
#: A restriction between two referred children, as the sentences word it: (rule, kind).
RESTRICTION_WORDS = {
    "must be the only child there": ("alongside", "solo"),
    "may live only with older children": ("alongside", "only_older"),
    "may live only with younger children": ("alongside", "only_younger"),
    "may not live with a younger child": ("harm_sexual", "younger"),
    "may not live with a child 3 or more years younger": ("harm_physical", "3 years"),
}
RULE_NAMES = {
    "alongside": "alongside",
    "harm_sexual": "risk of sexual harm to younger children",
    "harm_physical": "risk of physical harm to younger children",
}


def _items(text: str) -> list[str]:
    """``a``, ``a and b``, ``a, b and c`` back to the items."""
    head, _, last = text.rpartition(" and ")
    return [*(head.split(", ") if head else []), last]


class World:
    """The inputs and the plan, read plainly: children and homes by ID, who is where."""

    def __init__(
        self, run: Any, params: MatchingParams, refs: pd.DataFrame, plcs: pd.DataFrame
    ) -> None:
        self.day: dt.date = run.summary.run_date
        self.params = params
        self.w = params.weights
        self.together = params.siblings == "together"
        self.optimal = str(run.summary.status.value) == "optimal"
        self.kids = {str(r["child_id"]): r for r in refs.to_dict("records")}
        self.homes = {str(r["placement_id"]): r for r in plcs.to_dict("records")}
        plan = run.result.plan
        self.at: dict[str, str | None] = {
            str(c): (None if _na(p) else str(p))
            for c, p in zip(plan["child_id"], plan["placement_id"], strict=True)
        }
        self.pins: dict[str, str] = {}
        self.excluded: set[tuple[str, str]] = set()
        for n in run.decisions.with_status("applied"):
            if n.decision == "pin":
                self.pins[n.child_id] = n.placement_id
            else:
                self.excluded.add((n.child_id, n.placement_id))
        self._breaks: dict[tuple[str, str], frozenset[str]] = {}
        self._views: dict[str, dict] = {}

    # --- the children ---
    def age(self, c: str) -> int:
        return _age(self.kids[c]["dob"], self.day)

    def sibling(self, a: str, b: str) -> bool:
        g = self.kids[a]["sibling_group"]
        return a != b and not _na(g) and g == self.kids[b]["sibling_group"]

    def siblings(self, c: str) -> list[str]:
        return [s for s in self.kids if self.sibling(c, s)]

    def there(self, p: str, but: str | None = None) -> list[str]:
        return sorted(o for o, q in self.at.items() if q == p and o != but)

    # --- the rules ---
    def breaks(self, c: str, p: str) -> frozenset[str]:
        """Every single-pair hard rule child ``c`` breaks at ``p`` (docs/matching.md)."""
        key = (c, p)
        if key not in self._breaks:
            kid, h = self.kids[c], self.household(p)
            out = set(pair_breaks(kid, self.homes[p], self.day, h))
            known, age = h["known"], self.age(c)
            if h["now"] > 0:  # rules 10 and 11 against the current household, any row's
                need = kid["alongside"]
                if (
                    need == "solo"
                    or (need == "only_older" and (not known or h["lo"] <= age))
                    or (need == "only_younger" and (not known or h["hi"] >= age))
                ):
                    out.add("alongside")
                if "harm_sexual" in kid["risks"] and (not known or h["lo"] <= age):
                    out.add("harm_sexual")
            if (c, p) in self.excluded or (c in self.pins and self.pins[c] != p):
                out.add("decision")
            self._breaks[key] = frozenset(out)
        return self._breaks[key]

    def household(self, p: str) -> dict:
        """``p``'s home read across its rows (reference.home_view): its current children,
        sex, risks excluded, pets and whether it is a foster household."""
        if p not in self._views:
            self._views[p] = home_view([self.homes[q] for q in self.rows_of(p)])
        return self._views[p]

    def lawful(self, c: str) -> list[str]:
        return [p for p in self.homes if not self.breaks(c, p)]

    def restrictions(self, a: str, b: str) -> set[tuple[str, str, str]]:
        """Every restriction keeping referred children ``a`` and ``b`` apart, as (whose,
        rule, kind); none between siblings."""
        if self.sibling(a, b):
            return set()
        out = set()
        for x, y in ((a, b), (b, a)):
            kx, ax, ay = self.kids[x], self.age(x), self.age(y)
            need = kx["alongside"]
            if need == "solo":
                out.add((x, "alongside", "solo"))
            if need == "only_older" and not ay > ax:
                out.add((x, "alongside", "only_older"))
            if need == "only_younger" and not ay < ax:
                out.add((x, "alongside", "only_younger"))
            if "harm_sexual" in kx["risks"] and pd.Timestamp(self.kids[y]["dob"]) > pd.Timestamp(
                kx["dob"]
            ):
                out.add((x, "harm_sexual", "younger"))
            gap = self.params.harm_physical_years_younger
            if gap > 0 and "harm_physical" in kx["risks"] and ay <= ax - gap:
                out.add((x, "harm_physical", "3 years"))
        return out

    def room(self, c: str, p: str) -> int:
        """Places ``p`` has for child ``c`` alongside those the plan puts there: its
        vacancies, at most three children in a foster home, except a sibling group alone
        in an empty foster home (the sibling exemption)."""
        home, h = self.homes[p], self.household(p)
        vac, now = int(home["vacancies"]), h["now"]
        if not h["foster"]:
            return vac
        usual = max(min(vac, 3 - now), 0)
        there = self.there(p, but=c)
        if now == 0 and self.siblings(c) and all(self.sibling(c, o) for o in there):
            return max(usual, vac)
        return usual

    def full(self, c: str, p: str) -> bool:
        return len(self.there(p, but=c)) >= self.room(c, p)

    # --- one home on several rows (docs/matching.md, "One home on several rows") ---
    def rows_of(self, p: str) -> list[str]:
        """The rows of ``p``'s home: rows of a children's home or supported accommodation
        with the same URN and postcode, or one home_id, and rows linked through either."""

        def key(v: object) -> str | None:
            return None if _na(v) else re.sub(r"\s+", "", str(v)).upper() or None

        def links(r: dict[str, Any]) -> set[str]:
            out = set()
            if r["setting"] != "foster" and key(r.get("urn")) and key(r["postcode"]):
                out.add(f"u{key(r['urn'])}|{key(r['postcode'])}")
            if key(r.get("home_id")):
                out.add(f"h{key(r['home_id'])}")
            return out

        home, seen = {p}, set(links(self.homes[p]))
        while True:
            more = {q for q, r in self.homes.items() if links(r) & seen} - home
            if not more:
                return sorted(home)
            home |= more
            for q in more:
                seen |= links(self.homes[q])

    def home(self, p: str | None) -> str | None:
        """``p``'s home, as its first row by ID (``None`` for no placement): siblings on
        rows of one home live together."""
        return None if p is None else self.rows_of(p)[0]

    def home_room(self, c: str, p: str) -> tuple[int, bool]:
        """Children ``p``'s home may take across its rows with the plan's there and ``c``
        joining, and whether the usual fostering limit of three is what holds it."""
        rows = [self.homes[q] for q in self.rows_of(p)]
        given = [int(r["home_places"]) for r in rows if not _na(r.get("home_places"))]
        places = min(given) if given else max(int(r["vacancies"]) for r in rows)
        if not any(r["setting"] == "foster" for r in rows):
            return places, False
        now = max(int(r["current_children"]) for r in rows)
        there = [o for q in self.rows_of(p) for o in self.there(q, but=c)]
        if now == 0 and self.siblings(c) and all(self.sibling(c, o) for o in there):
            return places, False
        return max(min(places, 3 - now), 0), 3 - now < places

    def home_full(self, c: str, p: str) -> bool:
        rows = self.rows_of(p)
        there = [o for q in rows for o in self.there(q, but=c)]
        return len(rows) > 1 and len(there) >= self.home_room(c, p)[0]

    def mates(self, c: str, p: str) -> list[str]:
        """The children the plan puts on any row of ``p``'s home, ``c`` aside."""
        return sorted(o for q in self.rows_of(p) for o in self.there(q, but=c))

    def clashing(self, c: str, p: str) -> list[str]:
        """Children on any row of ``p``'s home who may not live with ``c``."""
        return [o for o in self.mates(c, p) if self.restrictions(c, o)]

    def open_to(self, c: str, p: str) -> bool:
        """``p`` meets every rule for ``c``, has a place for them and nobody there clashes."""
        return (not self.breaks(c, p) and not self.full(c, p) and not self.home_full(c, p)
                and not self.clashing(c, p))  # fmt: skip

    def splits(self, c: str, p: str) -> bool:
        """Whether moving ``c`` to ``p`` spreads the placed siblings over more homes (or,
        siblings together, leaves them in more than one)."""
        placed = [s for s in self.siblings(c) if self.at[s] is not None]
        if not placed:
            return False
        mine = {self.home(self.at[s]) for s in placed}
        before = mine | ({self.home(self.at[c])} if self.at[c] is not None else set())
        after = mine | {self.home(p)}
        return len(after) > len(before) or (self.together and len(after) > 1)

    # --- distances and costs ---
    def miles(self, c: str, p: str) -> float | None:
        return miles(self.kids[c]["home_postcode"], self.homes[p]["postcode"])

    def cost(self, c: str, p: str) -> float:
        return pair_cost(self.kids[c], self.homes[p], self.w)

    def unplaced_cost(self, c: str) -> float:
        w = self.w
        base = w.unplaced_needed_today if self.kids[c]["needed_by"] == "today" else w.unplaced
        return float(base)

    def nearest(self, c: str, among: list[str]) -> str | None:
        """The nearest of ``among`` to the child's home (then cheapest, then by ID); the
        cheapest when the home is not known."""
        if not among:
            return None

        def key(p: str) -> tuple[float, float, str]:
            m = self.miles(c, p)
            return (math.inf if m is None else m, float(self.homes[p]["weekly_cost"]), p)

        return min(among, key=key)


# ---------------------------------------------------------------------------------------
# the reasons between two referred children, and what in the plan stops an option


def _check_conflict(world: World, c: str, p: str, sentence: str) -> list[str]:
    """``X is placed there[, and this child| and|, and both X and this child] <words>:
    rule N (name)[; and <whose> <words>: rule N (name)]...``: X is at ``p`` and the
    restrictions said are exactly those keeping X and ``c`` apart, each whose it is."""
    bad: list[str] = []
    m = re.fullmatch(r"(\S+) is placed (there|in the same home \(its row (\S+)\))(.*)\.",
                     sentence)  # fmt: skip
    if not m:
        return [f"{c}@{p}: unreadable conflict sentence {sentence!r}"]
    other, rest, row = m.group(1), m.group(4), m.group(3) or p
    if (
        world.at.get(other) != row
        or row not in world.rows_of(p)
        or (row == p) != (m.group(3) is None)
    ):
        bad.append(
            f"{c}@{p}: names {other} as placed {m.group(2)}, but {other} is at "
            f"{world.at.get(other)}"
        )
    said: set[tuple[str, str, str]] = set()
    parts = rest.split("; and ")
    for k, part in enumerate(parts):
        if k == 0:
            if part.startswith(" and "):
                whose, words = [other], part[len(" and ") :]
            elif part.startswith(", and this child "):
                whose, words = [c], part[len(", and this child ") :]
            elif part.startswith(f", and both {other} and this child "):
                whose, words = [other, c], part[len(f", and both {other} and this child ") :]
            else:
                return [*bad, f"{c}@{p}: unreadable conflict clause {part!r}"]
        elif part.startswith("this child "):
            whose, words = [c], part[len("this child ") :]
        elif part.startswith(f"both {other} and this child "):
            whose, words = [other, c], part[len(f"both {other} and this child ") :]
        elif part.startswith(f"{other} "):
            whose, words = [other], part[len(f"{other} ") :]
        else:
            return [*bad, f"{c}@{p}: unreadable conflict clause {part!r}"]
        mm = re.fullmatch(r"(.+): rule (\d+) \((.+)\)", words)
        if not mm or mm.group(1) not in RESTRICTION_WORDS:
            return [*bad, f"{c}@{p}: unreadable restriction {words!r}"]
        rule, kind = RESTRICTION_WORDS[mm.group(1)]
        if int(mm.group(2)) != RULES.index(rule) + 1 or mm.group(3) != RULE_NAMES[rule]:
            bad.append(f"{c}@{p}: {mm.group(1)!r} labelled rule {mm.group(2)} ({mm.group(3)})")
        said |= {(x, rule, kind) for x in whose}
    truth = world.restrictions(c, other)
    for x, rule, kind in sorted(said - truth):
        bad.append(f"{c}@{p}: says {x} {kind} ({rule}) keeps {c} and {other} apart: it does not")
    for x, rule, kind in sorted(truth - said):
        bad.append(f"{c}@{p}: leaves out that {x} {kind} ({rule}) keeps {c} and {other} apart")
    return bad


def _check_home_full(world: World, c: str, p: str, sentence: str) -> list[str]:
    """``Its home is full: rows A and B of the register are one home, and <it has N
    place(s) across its rows, ... to X at A ... in the plan | the household is at the usual
    fostering limit of three ([N children living there now and ]X at A ... proposed in the
    plan)>.``: the rows are the home's, the children named are those the plan puts on
    them, and the room said holds it full."""
    m = re.fullmatch(
        r"Its home is full: rows (.+) of the register are one home, and (?:it has (\d+) "
        r"places? across its rows, (?:its only place going|all going) to (.+) in the plan"
        r"|the household is at the usual fostering limit of three \((?:(\d+) child(?:ren)? "
        r"living there now and )?(.+) proposed in the plan\))\.",
        sentence,
    )
    if not m:
        return [f"{c}@{p}: unreadable home reason {sentence!r}"]
    bad = []
    rows = world.rows_of(p)
    if sorted(_items(m.group(1))) != rows:
        bad.append(f"{c}@{p}: names the home's rows {m.group(1)}; they are {rows}")
    named = sorted(_items(m.group(3) or m.group(5)))
    truth = sorted(f"{o} at {q}" for q in rows for o in world.there(q, but=c))
    if named != truth:
        bad.append(f"{c}@{p}: names {named} on the home's rows; the plan puts {truth} there")
    room, limit = world.home_room(c, p)
    if m.group(2) is not None and (int(m.group(2)) != room or limit):
        bad.append(f"{c}@{p}: says {m.group(2)} places across its rows; it has {room}")
    if m.group(2) is None and not limit:
        bad.append(f"{c}@{p}: blames the fostering limit; the home's places hold it")
    now = world.household(p)["now"]
    if m.group(2) is None and int(m.group(4) or 0) != now:
        bad.append(f"{c}@{p}: says {m.group(4) or 0} children live there now; {now} do")
    if not world.home_full(c, p):
        bad.append(f"{c}@{p}: says its home is full; it has room for {c}")
    return bad


def _check_plan_reasons(world: World, c: str, p: str, text: str) -> tuple[list[str], set[str]]:
    """The sentences saying what in the plan stops ``c`` going to ``p``; each checked, and
    which kinds were said (``taken``, ``home_full``, ``siblings``, ``conflict``)."""
    bad: list[str] = []
    kinds: set[str] = set()
    conflicts: set[str] = set()
    for s in re.split(r"(?<=\.) (?=[A-Z])", text):
        s = s[0].upper() + s[1:] if s else s
        if m := re.fullmatch(r"Its (?:only place goes|(\d+) places go) to (.+) in the plan\.", s):
            kinds.add("taken")
            named = [
                re.sub(r" \(pinned there by a team decision\)$", "", x) for x in _items(m.group(2))
            ]
            if sorted(named) != world.there(p, but=c):
                bad.append(
                    f"{c}@{p}: says its places go to {named}; the plan puts "
                    f"{world.there(p, but=c)} there"
                )
            n = 1 if m.group(1) is None else int(m.group(1))
            if n != len(named):
                bad.append(f"{c}@{p}: says {n} places go to {len(named)} children")
            if not world.full(c, p):
                bad.append(
                    f"{c}@{p}: says its places are taken, but it has "
                    f"{world.room(c, p)} places for {c} and "
                    f"{len(world.there(p, but=c))} children there"
                )
            for x in _items(m.group(2)):
                pinned = x.endswith("(pinned there by a team decision)")
                kid = x.split(" ")[0]
                if pinned != (world.pins.get(kid) == p):
                    bad.append(f"{c}@{p}: says {kid} is{'' if pinned else ' not'} pinned there")
        elif m := re.fullmatch(r"It would split the sibling group \((.+)\)\.", s):
            kinds.add("siblings")
            said = sorted(_items(m.group(1)))
            truth = sorted(
                f"{x} at {world.at[x]}"
                for x in world.siblings(c)
                if world.at[x] is not None and world.at[x] != p
            )
            if said != truth:
                bad.append(f"{c}@{p}: names the siblings {said}; they are {truth}")
            if not world.splits(c, p):
                bad.append(f"{c}@{p}: says it would split the sibling group: it would not")
        elif s.startswith("Its home is full: "):
            kinds.add("home_full")
            bad += _check_home_full(world, c, p, s)
        elif re.match(r"\S+ is placed (there|in the same home)", s):
            kinds.add("conflict")
            conflicts.add(s.split(" ")[0])
            bad += _check_conflict(world, c, p, s)
        else:
            bad.append(f"{c}@{p}: unreadable reason {s!r}")
    # every reason that applies is said
    if "taken" not in kinds and world.full(c, p):
        bad.append(f"{c}@{p}: does not say its places are taken ({world.there(p, but=c)})")
    if "taken" not in kinds and "home_full" not in kinds and world.home_full(c, p):
        bad.append(f"{c}@{p}: does not say its home is full across its rows")
    if "siblings" not in kinds and world.splits(c, p):
        bad.append(f"{c}@{p}: does not say the move splits the sibling group")
    for o in world.clashing(c, p):
        if o not in conflicts:
            bad.append(f"{c}@{p}: does not say {o}, placed there, may not live with {c}")
    return bad, kinds


# ---------------------------------------------------------------------------------------
# how an option compares for the child


def _terms(world: World, c: str, p: str) -> dict[str, float]:
    """The pair's weighted terms that the comparison words stand for."""
    w, kid, home = world.w, world.kids[c], world.homes[p]
    near = world.miles(c, p) or 0.0
    school = miles(kid["school_postcode"], home["postcode"]) or 0.0
    tier = _upper_tier(str(home["postcode"]))
    ks4 = not _na(kid["school_year"]) and int(kid["school_year"]) in (10, 11)
    suits = [kid[f"{s}_suitability"] for s in ("foster", "residential", "supported")]
    rating = home.get("ofsted_rating")
    return {
        "far": w.far_from_home if near > w.far_from_home_miles else 0.0,
        "area": w.out_of_area if tier is not None and tier != kid["responsible_la"] else 0.0,
        "school": w.per_mile_from_school * max(school - w.school_free_miles, 0.0),
        "ks4": w.ks4_school_move if ks4 and school > w.school_free_miles else 0.0,
        "preferred": w.not_preferred_setting
        if "preferred" in suits and kid[f"{home['setting']}_suitability"] != "preferred"
        else 0.0,
        "ofsted": w.ofsted_inadequate
        if not _na(rating) and str(rating).strip().lower() == "inadequate"
        else 0.0,
    }


_PHRASES = {  # term: (worse, better)
    "far": ("over {far} miles from home", "within {far} miles of home"),
    "school": ("further from school", "nearer school"),
    "ks4": ("a key stage 4 school move", "no key stage 4 school move"),
    "preferred": ("not the preferred type of home", "the preferred type of home"),
    "ofsted": ("rated inadequate by Ofsted", "not rated inadequate by Ofsted"),
}


def _check_compared(world: World, c: str, p: str, extra: float, head: str, aside: str) -> list[str]:
    """The first sentence (``As good ...``, ``Worse ...: A and B, though C.``) and the
    differences not weighed: every difference said is true and on the right side."""
    bad: list[str] = []
    own = world.at[c]
    assert own is not None
    worse: list[str] = []
    better: list[str] = []
    if m := re.fullmatch(
        r"As good for this child as the proposal on the plan's priorities"
        r"(?: \((.+)\))?\.",
        head,
    ):
        if extra >= 0.005:
            bad.append(
                f"{c}@{p}: called as good, but its score is {extra:.2f} above the proposal's"
            )
        said = m.group(1).split(", ") if m.group(1) else []
        mixed = said  # a tie lists both sides in one list
    elif m := re.fullmatch(
        r"(Slightly w|W)orse for this child on the plan's priorities"
        r"(?:: (.+?))?(?:, though (.+))?\.",
        head,
    ):
        if extra < 0.005:
            bad.append(f"{c}@{p}: called worse, but its score is {extra:.2f} above the proposal's")
        worse = _items(m.group(2)) if m.group(2) else []
        better = _items(m.group(3)) if m.group(3) else []
        if (m.group(1) == "W") != bool(worse):
            bad.append(f"{c}@{p}: {head!r}: 'slightly' and the differences said disagree")
        mixed = []
    else:
        return [f"{c}@{p}: unreadable comparison {head!r}"]
    unweighed = _items(aside) if aside else []
    fee = float(world.homes[p]["weekly_cost"]) - float(world.homes[own]["weekly_cost"])
    m_p, m_own = world.miles(c, p), world.miles(c, own)
    far = f"{world.w.far_from_home_miles:g}"
    t_p, t_own = _terms(world, c, p), _terms(world, c, own)
    expected: dict[str, str] = {}  # phrase -> side
    if abs(fee) >= 0.5:
        side = "unweighed" if world.w.weekly_cost <= 0 else "worse" if fee > 0 else "better"
        expected[f"£{abs(fee):,.0f} a week {'dearer' if fee > 0 else 'cheaper'}"] = side
    if m_p is not None and m_own is not None and abs(m_p - m_own) >= 0.05:
        d = m_p - m_own
        side = "unweighed" if world.w.per_mile_from_home <= 0 else "worse" if d > 0 else "better"
        expected[f"{abs(d):.1f} miles {'further from' if d > 0 else 'nearer'} home"] = side
    for term, (w_words, b_words) in _PHRASES.items():
        d = t_p[term] - t_own[term]
        if abs(d) >= 0.005:
            expected[(w_words if d > 0 else b_words).format(far=far)] = (
                "worse" if d > 0 else "better"
            )
    d = t_p["area"] - t_own["area"]
    if abs(d) >= 0.005:
        expected["__area__"] = "worse" if d > 0 else "better"
    got: dict[str, str] = {}
    for side, phrases in (("worse", worse), ("better", better), ("unweighed", unweighed)):
        for ph in phrases:
            key = "__area__" if ph.startswith("out of area for ") or ph.endswith("'s area") else ph
            got[key] = side
            if key == "__area__":
                got[key] = "worse" if ph.startswith("out of area") else "better"
    for ph in mixed:
        key = "__area__" if ph.startswith("out of area for ") or ph.endswith("'s area") else ph
        got[key] = expected.get(key, "?")
        if key not in expected:
            got[key] = "said"
    for ph, side in got.items():
        if ph not in expected:
            bad.append(f"{c}@{p}: says {ph!r} ({side}): not so (own {own})")
        elif expected[ph] != side:
            bad.append(f"{c}@{p}: says {ph!r} is {side}; it is {expected[ph]}")
    for ph, side in expected.items():
        if ph not in got:
            bad.append(f"{c}@{p}: leaves out {ph} ({side})")
    return bad


# ---------------------------------------------------------------------------------------
# alternatives.csv


def _check_alternatives(world: World, alternatives: pd.DataFrame) -> list[str]:
    bad: list[str] = []
    k = world.params.num_alternatives
    listed_by: dict[str, list[str]] = {}
    for r in alternatives.to_dict("records"):
        c, p, extra = str(r["child_id"]), str(r["placement_id"]), float(r["extra_cost_gbp"])
        own = world.at.get(c)
        listed_by.setdefault(c, []).append(p)
        if own == p or (c not in world.at):
            bad.append(f"{c}@{p}: listed as an alternative, but the child is at {own}")
            continue
        if world.breaks(c, p):
            bad.append(f"{c}@{p}: listed as an option, but it breaks {sorted(world.breaks(c, p))}")
        if own is None:  # a child not placed: a home meeting every rule the team may pin
            bad += _check_unplaced_option(world, c, p, r)
            continue
        cost_p, cost_own = world.cost(c, p), world.cost(c, own)
        if abs(float(r["pair_cost_gbp"]) - cost_p) > 0.011:
            bad.append(f"{c}@{p}: pair_cost_gbp {r['pair_cost_gbp']} against {cost_p:.2f}")
        if abs(extra - (cost_p - cost_own)) > 0.011:
            bad.append(f"{c}@{p}: extra_cost_gbp {extra} against {cost_p - cost_own:.2f}")
        m = world.miles(c, p)
        got_m = r["miles_from_home"]
        if (m is None) != _na(got_m) or (m is not None and abs(float(got_m) - m) > 0.051):
            bad.append(f"{c}@{p}: miles_from_home {got_m} against {m}")
        if bool(r["vacancy_left_in_plan"]) != (not world.full(c, p) and not world.home_full(c, p)):
            bad.append(
                f"{c}@{p}: vacancy_left_in_plan {r['vacancy_left_in_plan']}, but "
                f"{len(world.there(p, but=c))} there of {world.room(c, p)} places"
            )
        text = str(r["why_not"])
        # the child's council by name ("St. Helens", "Bournemouth, Christchurch and Poole"),
        # as a token, so its full stops and commas read as no sentence or list of their own
        name = council_name(str(world.kids[c]["responsible_la"]))
        if ("out of area for " in text or "'s area" in text) and not (
            f"out of area for {name}" in text or f"in {name}'s area" in text
        ):
            bad.append(f"{c}@{p}: an area named that is not the child's council, {name}")
        text = text.replace(f"for {name}", "for COUNCIL").replace(f"in {name}'s", "in COUNCIL's")
        if extra < 0:
            if text.startswith("Nothing in the plan stops it"):
                bad += _check_nothing_stops(world, c, p, text, cost_p - cost_own)
            else:
                bad += _check_plan_reasons(world, c, p, text)[0]
            continue
        head, sep, tail = text.partition(". ")
        head += "." if sep else ""
        aside = ""
        if tail.startswith("Not weighed by the plan's priorities: "):
            aside, _, tail = tail[len("Not weighed by the plan's priorities: ") :].partition(". ")
            aside = aside.removesuffix(".")
        if "Not weighed by the plan's priorities: " in head:  # the last sentence
            head, _, aside = head.partition(" Not weighed by the plan's priorities: ")
            aside = aside.removesuffix(".")
        bad += _check_compared(world, c, p, extra, head, aside)
        if tail == "Nothing in the plan stops it: either would do.":
            if extra >= 0.005:
                bad.append(f"{c}@{p}: 'either would do' for an option scoring {extra:.2f} more")
            stops = world.full(c, p) or world.splits(c, p) or world.clashing(c, p)
            if stops:
                bad.append(f"{c}@{p}: 'nothing in the plan stops it', but something does")
        elif tail:
            lead = "But " if extra < 0.005 else "Also, "
            if not tail.startswith(lead):
                bad.append(f"{c}@{p}: unreadable sequel {tail!r}")
            else:
                bad += _check_plan_reasons(world, c, p, tail[len(lead) :])[0]
        elif world.full(c, p) or world.splits(c, p) or world.clashing(c, p):
            bad.append(f"{c}@{p}: says nothing of what in the plan stops it")
    # the options listed are the child's cheapest that meet the hard rules
    for c, own in world.at.items():
        if k <= 0:
            continue
        options = sorted((round(world.cost(c, p), 6), p) for p in world.lawful(c) if p != own)
        want = [p for _, p in options[:k]]
        got = listed_by.get(c, [])
        if len(got) != len(want) or (
            want and max(world.cost(c, p) for p in got) > world.cost(c, want[-1]) + 0.011
        ):
            bad.append(f"{c}: alternatives {got}, the cheapest lawful options are {want}")
    return bad


def _check_unplaced_option(world: World, c: str, p: str, r: dict) -> list[str]:
    """An option of a child not placed: its cost, miles and room as the plan has them, no
    cost against a proposal the child does not have, and what in the plan stops it (its
    places go to others...), or, when nothing does, the child's reason says why."""
    bad = []
    if not _na(r["extra_cost_gbp"]):
        bad.append(f"{c}@{p}: extra_cost_gbp {r['extra_cost_gbp']} for a child not placed")
    if abs(float(r["pair_cost_gbp"]) - world.cost(c, p)) > 0.011:
        bad.append(f"{c}@{p}: pair_cost_gbp {r['pair_cost_gbp']} against {world.cost(c, p):.2f}")
    m, got_m = world.miles(c, p), r["miles_from_home"]
    if (m is None) != _na(got_m) or (m is not None and abs(float(got_m) - m) > 0.051):
        bad.append(f"{c}@{p}: miles_from_home {got_m} against {m}")
    free = not world.full(c, p) and not world.home_full(c, p)
    if bool(r["vacancy_left_in_plan"]) != free:
        bad.append(f"{c}@{p}: vacancy_left_in_plan {r['vacancy_left_in_plan']}")
    text = str(r["why_not"])
    if text.startswith("Nothing else in the plan stops it"):
        if world.full(c, p) or world.splits(c, p) or world.clashing(c, p):
            bad.append(f"{c}@{p}: 'nothing else in the plan stops it', but something does")
    else:
        bad += _check_plan_reasons(world, c, p, text)[0]
    return bad


def _check_nothing_stops(world: World, c: str, p: str, text: str, extra: float) -> list[str]:
    """``Nothing in the plan stops it ...``: nothing does, and for an optimal plan the
    knock-on sentence holds only if moving the child alone is no better."""
    bad = []
    own = world.at[c]
    if world.full(c, p) or world.splits(c, p) or world.clashing(c, p):
        bad.append(f"{c}@{p}: says nothing stops it, but something does")
    if text.startswith("Nothing in the plan stops it on its own") and not world.optimal:
        bad.append(f"{c}@{p}: knock-on effects claimed for a plan not proven optimal")
    if "the plan is not proven optimal" in text and world.optimal:
        bad.append(f"{c}@{p}: 'not proven optimal' for an optimal plan")
    if text.startswith("Nothing in the plan stops it on its own") and extra < -0.01:
        bad.append(
            f"{c}@{p}: knock-on effects claimed, but moving {c} alone from {own} to "
            f"{p} breaks no rule and scores {-extra:.2f} less"
        )
    return bad


# ---------------------------------------------------------------------------------------
# unplaced.csv


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _check_unplaced(world: World, unplaced: pd.DataFrame) -> list[str]:
    bad: list[str] = []
    for r in unplaced.to_dict("records"):
        c = str(r["child_id"])
        if c not in world.kids:  # set aside for errors: not matched
            continue
        if world.at.get(c) is not None:
            bad.append(f"{c}: listed unplaced, but placed at {world.at[c]}")
            continue
        text, breaks = (
            str(r["reason"]),
            "" if _na(r["nearest_breaks"]) else str(r["nearest_breaks"]),
        )
        near_id = None if _na(r["nearest_placement_id"]) else str(r["nearest_placement_id"])
        if near_id is not None and near_id not in world.homes:
            bad.append(f"{c}: names {near_id}, which is not on the register")
            continue
        lawful = world.lawful(c)
        if int(r["num_suitable_placements"]) != len(lawful):
            bad.append(
                f"{c}: num_suitable_placements {r['num_suitable_placements']}, "
                f"{len(lawful)} meet every rule"
            )
        for i, rule in enumerate(RULES):
            n = sum(rule in world.breaks(c, p) for p in world.homes)
            if int(r[f"excluded_{rule}"]) != n:
                bad.append(
                    f"{c}: excluded_{rule} {r[f'excluded_{rule}']}, rule {i + 1} excludes {n}"
                )
        if near_id is not None:
            m = world.miles(c, near_id)
            got = r["nearest_miles_from_home"]
            if (m is None) != _na(got) or (m is not None and abs(float(got) - m) > 0.051):
                bad.append(f"{c}: nearest_miles_from_home {got} against {m} to {near_id}")
        said_n = re.match(r"(\d[\d,]*) placements? meets?", text)
        if said_n and _num(said_n.group(1)) != len(lawful):
            bad.append(f"{c}: says {said_n.group(1)} placements meet every rule; {len(lawful)} do")
        if not world.homes:
            continue
        if breaks == "decision":
            team = [p for p in world.homes if world.breaks(c, p) == {"decision"}]
            if lawful or not team:
                bad.append(f"{c}: blames the team's decisions; lawful {lawful}, ruled out {team}")
            m = re.search(r"(\d+) placements? \((.+?)\) meets? every other rule", text)
            if not m or sorted(_items(m.group(2))) != sorted(team):
                bad.append(f"{c}: names {m and m.group(2)} as ruled out by the team; {team}")
            if near_id != world.nearest(c, team):
                bad.append(f"{c}: nearest of those {near_id}, it is {world.nearest(c, team)}")
            continue
        if not lawful:
            p = world.nearest(c, list(world.homes))
            if near_id != p:
                bad.append(f"{c}: nearest option {near_id}, the nearest is {p}")
                continue
            truth = world.breaks(c, p)
            said = set(breaks.split("; ")) if breaks else set()
            if said != truth:
                bad.append(f"{c}: {p} said to break {sorted(said)}; it breaks {sorted(truth)}")
            if m := re.search(r"\(and breaks (\d+) other rules?\)", text):
                if int(m.group(1)) != len(truth) - 1:
                    bad.append(f"{c}: says {p} breaks {m.group(1)} other rules; {len(truth) - 1}")
            elif len(truth) > 1:
                bad.append(f"{c}: does not say {p} breaks {len(truth) - 1} other rules")
            if m := re.search(
                r", takes children aged (\d+) to (\d+) and the child (?:is|will be)"
                r" (\d+)",
                text,
            ):
                home, age = world.homes[p], world.age(c)
                opens = home["available_from"]
                if not _na(opens) and pd.Timestamp(opens).date() > world.day:
                    age = _age(world.kids[c]["dob"], pd.Timestamp(opens).date())
                if (int(m.group(1)), int(m.group(2)), int(m.group(3))) != (
                    int(home["age_min"]),
                    int(home["age_max"]),
                    age,
                ):
                    bad.append(
                        f"{c}: {m.group(0)!r}: the home takes {home['age_min']}-"
                        f"{home['age_max']}, the child is {age}"
                    )
            for name, n in re.findall(
                r"(?:limiting (?:was|were) |and )([a-z ,()0-9]+?) "
                r"\((\d[\d,]*) placements?\)",
                text,
            ):
                del name  # the rule's name; its count is checked among the excluded counts
                if _num(n) not in {
                    sum(rule in world.breaks(c, q) for q in world.homes) for rule in RULES
                }:
                    bad.append(f"{c}: a limiting rule's count {n} is no rule's count")
            continue
        # a lawful home exists: the nearest is taken, clashes, or has a place left
        p = world.nearest(c, lawful)
        opens = [q for q in lawful if world.open_to(c, q)]
        q_open = world.nearest(c, opens)
        if breaks == "taken":
            if near_id != p:
                bad.append(f"{c}: nearest lawful option {near_id}, the nearest is {p}")
            m = re.search(
                r"is proposed for (?:another child|other children)(?: \((.+?)\))?\. ", text
            )
            named = sorted(_items(m.group(1))) if m and m.group(1) else []
            if named != world.there(near_id or "", but=c):
                bad.append(
                    f"{c}: says {near_id} is proposed for {named}; the plan puts "
                    f"{world.there(near_id or '', but=c)} there"
                )
            if near_id and not world.full(c, near_id):
                bad.append(f"{c}: says {near_id} is taken, but it has a place left for {c}")
            m = re.search(r"\. Also, (.+?) No exemption lifts", text)
            said = re.split(r"(?<=\.) (?=[A-Z])", m.group(1)) if m else []
            for s in said:
                bad += _check_conflict(world, c, near_id or "", s)
            for o in world.clashing(c, near_id or ""):
                if not any(s.startswith(f"{o} is placed ") for s in said):
                    bad.append(f"{c}: does not say {o}, placed at {near_id}, may not live with {c}")
            if opens:
                bad.append(
                    f"{c}: says every home is needed or cannot take {c}, but {opens} "
                    "have a place left and nobody there who clashes"
                )
        elif breaks == "conflict":
            if near_id != p:
                bad.append(f"{c}: nearest lawful option {near_id}, the nearest is {p}")
            if near_id and world.full(c, near_id):
                bad.append(f"{c}: says {near_id} has a place left; it is full")
            m = re.search(r"has a place left, but (.+?) Consider another home", text)
            if not m:
                bad.append(f"{c}: unreadable conflict reason {text!r}")
            else:
                for s in re.split(r"(?<=\.) (?=[A-Z])", m.group(1)):
                    bad += _check_conflict(world, c, near_id or "", s)
            if opens:
                bad.append(
                    f"{c}: says every home is needed or cannot take {c}, but {opens} "
                    "have a place left and nobody there who clashes"
                )
        elif breaks == "home_full":
            if near_id != p:
                bad.append(f"{c}: nearest lawful option {near_id}, the nearest is {p}")
            m = re.search(r"has a place left on its row, but (.+?\.)(?: Also,| For| If| Consider)",
                          text)  # fmt: skip
            if not m:
                bad.append(f"{c}: unreadable home reason {text!r}")
            else:
                bad += _check_home_full(world, c, near_id or "", "I" + m.group(1)[1:])
            if opens:
                bad.append(f"{c}: says every home is needed or cannot take {c}, but {opens} "
                           "have a place left and nobody there who clashes")  # fmt: skip
        elif breaks in ("siblings_together", "not_proven", "cost"):
            # the option named has a place for the child, and nobody there clashes
            if near_id is None or not world.open_to(c, near_id):
                bad.append(f"{c}: says {near_id} has a place left for {c}; it has not")
            elif f"siblings' home, {near_id}," in text:  # siblings together, one is there
                if not world.together or near_id not in {world.at[s] for s in world.siblings(c)}:
                    bad.append(f"{c}: calls {near_id} the siblings' home; it is not")
            elif near_id not in (p, q_open):
                bad.append(f"{c}: names {near_id}; the nearest is {p}, the nearest open {q_open}")
            elif near_id != p and not world.full(c, p) and not world.clashing(c, p):
                bad.append(f"{c}: names {near_id}, but the nearest, {p}, is open to {c}")
            if breaks == "siblings_together":
                bad += _check_siblings_together(world, c, near_id, text)
            elif breaks == "not_proven":
                within_gap = "optimal only within its gap" in text
                if world.optimal != within_gap:
                    bad.append(
                        f"{c}: 'not proven optimal'/'within its gap' wrong for an "
                        f"{'optimal' if world.optimal else 'unproven'} plan"
                    )
                if within_gap and near_id is not None:
                    score = world.cost(c, near_id) + _split(world, c, near_id)
                    if score >= world.unplaced_cost(c):
                        bad.append(
                            f"{c}: 'within its gap', but placing them scores {score:.0f} "
                            f"against {world.unplaced_cost(c):.0f}"
                        )
            else:
                bad += _check_cost(world, c, near_id, text)
        else:
            bad.append(f"{c}: nearest_breaks {breaks!r} with {len(lawful)} lawful homes")
        bad += _check_routes(world, c, near_id, text)
    return bad


def _check_routes(world: World, c: str, p: str | None, text: str) -> list[str]:
    """A lawful route offered to a home (the named-child exemption to the usual fostering
    limit, a foster carer's emergency route) opens it to the child: a foster home, nobody
    the plan puts there who may not live with the child, and for the exemption a vacancy
    left that only the usual limit of three keeps from the child."""
    bad: list[str] = []
    if p is None:
        return bad
    home = world.homes[p]
    limit = "named-child exemption to the usual fostering limit" in text
    emergency = "outside their terms of approval only in an emergency" in text and (
        f"For {p}, " in text or "For this option, " in text
    )
    if not (limit or emergency):
        return bad
    if not world.household(p)["foster"]:
        bad.append(f"{c}: a foster carer's route offered for {p}, a {home['setting']} home")
    if clash := world.clashing(c, p):
        bad.append(
            f"{c}: a route to {p} offered, but {clash} placed there may not live with {c}"
            " (no exemption lifts that)"
        )
    there, now = len(world.there(p, but=c)), world.household(p)["now"]
    if limit and (there >= int(home["vacancies"]) or now + there < 3):
        bad.append(
            f"{c}: the fostering limit's exemption offered for {p}, but the limit is not "
            f"what keeps {c} out ({home['vacancies']} vacancies, {now} children now, "
            f"{there} placed there)"
        )
    if emergency and world.kids[c]["needed_by"] == ">5 days":
        bad.append(f"{c}: the emergency route offered for a child needed in more than 5 days")
    return bad


def _split(world: World, c: str, p: str) -> float:
    """The sibling split placing ``c`` at ``p`` adds, siblings placed elsewhere."""
    apart = [s for s in world.siblings(c) if world.at[s] is not None
             and world.home(world.at[s]) != world.home(p)]  # fmt: skip
    if not apart:
        return 0.0
    used = {world.home(world.at[s]) for s in world.siblings(c) if world.at[s] is not None}
    return world.w.sibling_split * (len(used | {world.home(p)}) - len(used))


def _check_cost(world: World, c: str, p: str | None, text: str) -> list[str]:
    bad = []
    if not world.optimal:
        bad.append(f"{c}: the weights blamed for a plan not proven optimal")
    m = re.search(
        r"unplaced \(([\d,.]+)(?: plus the sibling split's ([\d,.]+))?, against "
        r"([\d,.]+);",
        text,
    )
    if not m or p is None:
        return [*bad, f"{c}: unreadable cost reason {text!r}"]
    score, split, left = _num(m.group(1)), _num(m.group(2) or "0"), _num(m.group(3))
    if abs(score - world.cost(c, p)) > 0.6:
        bad.append(f"{c}: says placing at {p} scores {score}; it scores {world.cost(c, p):.2f}")
    if abs(split - _split(world, c, p)) > 0.6:
        bad.append(f"{c}: says the sibling split adds {split}; it adds {_split(world, c, p)}")
    if abs(left - world.unplaced_cost(c)) > 0.6:
        bad.append(f"{c}: says leaving them unplaced scores {left}; {world.unplaced_cost(c)}")
    if world.cost(c, p) + _split(world, c, p) < world.unplaced_cost(c):
        bad.append(
            f"{c}: says placing at {p} scores no less than leaving them unplaced: it scores less"
        )
    return bad


def _check_siblings_together(world: World, c: str, p: str | None, text: str) -> list[str]:
    bad = []
    if not world.together:
        bad.append(f"{c}: 'siblings must stay together' with siblings = prefer")
    m = re.search(
        r"siblings must stay together \((.+?)\) and (the team excluded this child "
        r"from it|that placement cannot take this child as well); the",
        text,
    )
    if not m:
        return [*bad, f"{c}: unreadable siblings reason {text!r}"]
    said = sorted(_items(m.group(1).replace(", pinned there by the team", "")))
    placed = [s for s in world.siblings(c) if world.at[s] is not None]
    truth = sorted(f"{s} at {world.at[s]}" for s in placed)
    if said != truth:
        bad.append(f"{c}: names the siblings {said}; they are {truth}")
    for q in {world.at[s] for s in placed}:
        assert q is not None
        if m.group(2).startswith("the team") and "decision" not in world.breaks(c, q):
            bad.append(f"{c}: says the team excluded {c} from {q}: it did not")
        if world.open_to(c, q):
            bad.append(f"{c}: says the siblings' home {q} cannot take {c} as well: it can")
    if p is not None and not world.splits(c, p):
        bad.append(f"{c}: says {p} would split the group: it would not")
    return bad


# ---------------------------------------------------------------------------------------
# matches.csv: why a sibling group is split


def _check_sibling_notes(world: World, matches: pd.DataFrame) -> list[str]:
    bad: list[str] = []
    notes = {str(c): n for c, n in zip(matches["child_id"], matches["sibling_note"], strict=True)}
    groups: dict[str, list[str]] = {}
    for c, kid in world.kids.items():
        if not _na(kid["sibling_group"]) and c in world.at:
            groups.setdefault(str(kid["sibling_group"]), []).append(c)
    for g, members in groups.items():
        if len(members) < 2:
            continue
        homes = {world.home(world.at[c]) for c in members}  # rows of one home: together
        split = len(homes) > 1 and homes != {None}
        for c in members:
            note = notes.get(c)
            if note is None:
                continue  # unplaced: no row on matches.csv
            if not split and not _na(note) and str(note):
                bad.append(f"{g}: a note on {c} for a group not split: {note!r}")
        if not split:
            continue
        note = next((str(notes[c]) for c in members if c in notes), "")
        n = len(members)

        def fits(p: str, rules_but_decision: bool, members: list[str] = members) -> bool:
            vac, h = int(world.homes[p]["vacancies"]), world.household(p)
            now = h["now"]
            room = (
                vac if not h["foster"] else (max(min(vac, 3 - now), 0) if now else vac)
            )  # a group alone: the exemption
            if room < len(members):
                return False
            for c in members:
                b = world.breaks(c, p)
                if rules_but_decision:
                    b = b - {"decision"}
                # a whole group's home: rules 1-2 are judged by the room above
                if b - {"capacity", "fostering_limit"}:
                    return False
            return True

        whole = [p for p in world.homes if fits(p, True)]
        lawful = [p for p in whole if fits(p, False)]
        if note.startswith("no home on tonight's register has room"):
            if whole:
                bad.append(
                    f"{g}: says no home has room for all {n} under the hard rules; {whole} have"
                )
            if m := re.search(r": (.+) must live with pets \(rule 7\) and (.+), so no home", note):
                must = _items(m.group(1))
                for x in must:
                    if world.kids[x]["pets"] != "must":
                        bad.append(f"{g}: says {x} must live with pets: not so")
        elif m := re.match(
            r"(\d[\d,]*) homes? could take (?:both|all \d+) under the other hard "
            r"rules, but the team's decisions rule them out",
            note,
        ):
            if lawful or _num(m.group(1)) != len(whole):
                bad.append(
                    f"{g}: says {m.group(1)} homes are ruled out by the team; lawful "
                    f"{lawful}, under the other rules {whole}"
                )
        elif m := re.match(
            r"(\d[\d,]*) homes? could take (?:both|all \d+) under the hard rules, "
            r"the nearest (\S+) \(",
            note,
        ):
            if _num(m.group(1)) != len(lawful):
                bad.append(f"{g}: says {m.group(1)} homes could take them all; {lawful}")
            near = world.nearest(members[0], lawful)
            if m.group(2) != near:
                bad.append(f"{g}: names {m.group(2)} the nearest home for all; it is {near}")
        else:
            bad.append(f"{g}: split, with the note {note!r}")
    return bad


def false_claims(
    run: Any,
    params: MatchingParams,
    refs: pd.DataFrame | None = None,
    plcs: pd.DataFrame | None = None,
) -> list[str]:
    """Every claim of ``run``'s explanations that the inputs and its plan do not bear out
    (``refs`` and ``plcs``: the tables it matched, default the run's own)."""
    world = World(
        run,
        params,
        run.referrals if refs is None else refs,
        run.placements if plcs is None else plcs,
    )
    return (
        _check_alternatives(world, run.alternatives)
        + _check_unplaced(world, run.unplaced)
        + _check_sibling_notes(world, run.matches)
    )
