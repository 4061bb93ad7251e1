"""The placement team's decisions, carried forward: pins (an agreed match) and exclusions.

Both are one hard rule, ``decision`` (the last of :data:`~.rules.RULES`): a pair is
ruled out when the team excluded it or pinned the child elsewhere. The rule is read from
two arrays on the :class:`~.problem.MatchProblem`, so it holds on every solver path
(candidate generation, pairs by distance, the greedy baseline).

A pin is obeyed only if it breaks no other rule: the single-pair rules, the placement's
capacity across every pin to it, who may live alongside whom among the children pinned
there, and (with ``siblings = "together"``) one placement per sibling group. A pin that
breaks one is refused with a sentence naming the rule. A valid pin leaves the child one
candidate, and leaving a pinned child unplaced costs more than anything it could free
(:func:`.costs.pin_penalty`), so every solver places them.

Decisions whose child or placement is not in tonight's inputs, or whose ``until`` date
is before the run date, are ignored and listed. A decision made before a night on which
its child was not referred (the run store's :class:`~sufficiency.store.types.ReferralGaps`)
was made for a referral that has ended: its pin is refused, its exclusion noted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from sufficiency.figures import day as said_day
from sufficiency.io.ids import KnownIds, fold_id
from sufficiency.matching.decision_homes import across_home, excluded_rows_note, pin_to_excluded
from sufficiency.matching.decision_ids import LooseIds, rewritten, written_note
from sufficiency.matching.homes import room_with
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.rules import (
    RULE_CODES,
    birth_days,
    broken_text,
    children_conflict,
    rule_breaks,
)
from sufficiency.store.types import ReferralGaps
from sufficiency.vocabulary import listed

Status = Literal["applied", "ignored", "refused"]
#: Columns of the "Decisions" sheet, in order.
DECISION_COLUMNS: tuple[str, ...] = (
    "child_id", "placement_id", "decision", "status", "note", "reason", "decided_by",
    "decided_on", "until",
)  # fmt: skip


@dataclass(frozen=True)
class DecisionNote:
    """One decision and what tonight's run did with it (``note``: a sentence why)."""

    child_id: str
    placement_id: str
    decision: Literal["pin", "exclude"]
    reason: str
    decided_by: str
    until: dt.date | None
    decided_on: dt.date | None
    status: Status
    note: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready fields, dates as ISO strings."""
        out = dataclasses.asdict(self)
        for key in ("until", "decided_on"):
            out[key] = None if out[key] is None else out[key].isoformat()
        return out

    def cause(self) -> str:
        """The decision as a cause, e.g. ``pinned by J Smith on 27/02/2026: agreed at panel``."""
        verb = "pinned" if self.decision == "pin" else f"excluded from {self.placement_id}"
        on = f" on {said_day(self.decided_on)}" if self.decided_on else ""
        return f"{verb} by {self.decided_by}{on}: {self.reason}"


@dataclass(frozen=True)
class DecisionOutcome:
    """Every decision read for a run, sorted by child, placement and decision."""

    notes: tuple[DecisionNote, ...] = ()

    def with_status(self, status: Status) -> tuple[DecisionNote, ...]:
        return tuple(n for n in self.notes if n.status == status)

    def summary(self) -> dict[str, Any]:
        """``applied``, ``ignored`` and ``refused`` lists for ``summary.json``."""
        keep = ("child_id", "placement_id", "decision", "note")
        return {
            s: [{k: n.as_dict()[k] for k in keep} for n in self.with_status(s)]
            for s in ("applied", "ignored", "refused")
        }

    def table(self) -> pd.DataFrame:
        """One row per decision, for the report's "Decisions" sheet."""
        return pd.DataFrame([n.as_dict() for n in self.notes], columns=list(DECISION_COLUMNS))

    def headline(self) -> str | None:
        """One console line (``None`` when there were no decisions)."""
        if not self.notes:
            return None
        a, i, r = (len(self.with_status(s)) for s in ("applied", "ignored", "refused"))
        line = f"Decisions: {a} applied, {i} ignored, {r} refused."
        for n in (*self.with_status("refused"), *self.with_status("ignored")):
            line += f"\n  {n.status} {n.decision} {n.child_id} -> {n.placement_id}: {n.note}"
        return line


def _date(value: Any) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


#: A hard rule's name in a sentence where its code is not a word (``harm_sexual``).
RULE_NAMES: dict[str, str] = {
    "fostering_limit": "fostering limit",
    "harm_sexual": "risk of sexual harm to younger children",
    "harm_animals": "risk to animals",
    "harm_physical": "risk of physical harm to younger children",
}


def rule_label(code: str) -> str:
    """``rule 10 (alongside)``, ``rule 11 (risk of sexual harm to younger children)``: a
    hard rule's number in :data:`~.rules.RULES` and its name in words."""
    return f"rule {RULE_CODES.index(code) + 1} ({RULE_NAMES.get(code, code)})"


def conflict_rule(prob: MatchProblem, a: int, b: int) -> str:
    """Which rule stops referred children ``a`` and ``b`` sharing a placement (given that
    :func:`~.candidates.children_conflict` says they may not): ``harm_sexual`` when one
    may not live with a younger child, ``harm_physical`` when one may not live with a
    child that much younger, else ``alongside`` (the first of :func:`conflict_causes`)."""
    return conflict_causes(prob, a, b)[0][2]


#: Whose restriction it is, in :func:`conflict_causes`, when both children carry it.
BOTH = -1


def conflict_causes(prob: MatchProblem, a: int, b: int) -> list[tuple[int, str, str]]:
    """Every restriction that stops referred children ``a`` and ``b`` sharing a placement
    (given that :func:`~.candidates.children_conflict` says they may not), each as whose
    it is (``a``, ``b``, or :data:`BOTH` when both carry it), in words, and its rule, most
    serious rule first: ``[(a or b, "must be the only child there", "alongside"), ...]``.
    A social worker told only that the two may not live together would look at the wrong
    referral half the time, and one told one rule of two would think changing that
    referral enough."""
    hs, age, along = prob.child_harm_sexual, prob.child_age_years, prob.referrals["alongside"]
    born = prob.derived("_birth_days", birth_days)
    hp, gap = prob.child_harm_physical, prob.harm_physical_years_younger
    pairs = ((a, b), (b, a))
    out = [(x, "may not live with a younger child", "harm_sexual")
           for x, y in pairs if hs[x] and born[y] > born[x]]  # fmt: skip
    out += [(x, f"may not live with a child {gap:g} or more years younger", "harm_physical")
            for x, y in pairs if gap > 0 and hp[x] and age[y] <= age[x] - gap]  # fmt: skip
    words = {
        "solo": "must be the only child there",
        "only_older": "may live only with older children",
        "only_younger": "may live only with younger children",
    }
    for x, y in pairs:
        want = str(along.iloc[x])
        if (
            want == "solo"
            or (want == "only_older" and not age[y] > age[x])
            or (want == "only_younger" and not age[y] < age[x])
        ):
            out.append((x, words[want], "alongside"))
    # a restriction both carry is said once, as both's: "R001 must be the only child there:
    # rule 10; and R002 must be the only child there: rule 10" read as two reasons
    for x, words_, rule in [c for c in out if c[0] == a]:
        if (b, words_, rule) in out:
            out.remove((b, words_, rule))
            out[out.index((x, words_, rule))] = (BOTH, words_, rule)
    return out or [(a, "may not live with this child", "alongside")]


def whose_name(whose: int, a: int, name_a: str, name_b: str) -> str:
    """Whose restriction one of :func:`conflict_causes` is, by name: ``name_a`` (child
    ``a``'s), ``name_b``, or ``both name_a and name_b``."""
    if whose == BOTH:
        return f"both {name_a} and {name_b}"
    return name_a if whose == a else name_b


def _room_for(prob: MatchProblem, p: int, kids: list[int]) -> int:
    """How many of ``kids`` placement ``p`` can take together (the sibling exemption
    lets one sibling group fill an empty foster home up to its vacancies)."""
    grp = prob.child_group
    one_group = grp[kids[0]] >= 0 and all(grp[k] == grp[kids[0]] for k in kids)
    return int(prob.group_room[p] if one_group else prob.place_capacity[p])


_DECISION = RULE_CODES.index("decision")


def _home_room_for(prob: MatchProblem, p: int, group: list[int]) -> int:
    """How many of a sibling group ``p``'s home can take across its rows (one row: as
    :func:`_room_for`): each row's room, and the home's across them (the exemption)."""
    if prob.home_rows[p] <= 1:
        return _room_for(prob, p, group)
    rows = np.nonzero(prob.place_home == prob.place_home[p])[0]
    across = room_with(prob, group[0], p, group[1:])
    return int(min(sum(_room_for(prob, int(q), group) for q in rows), across))


def _siblings_left_out(
    prob: MatchProblem, c: int, p: int, excluded: set[tuple[int, int]], together: bool
) -> str:
    """What a pin of child ``c`` to ``p`` means for siblings who cannot all go there (a
    rule, a team exclusion or too little room): with ``together`` (siblings must stay
    together) they are not placed while it holds; else the pin splits the group. Empty
    when every sibling can join the child."""
    g = int(prob.child_group[c])
    if g < 0:
        return ""
    group = [int(s) for s in np.nonzero(prob.child_group == g)[0]]
    kid = prob.referrals["child_id"].astype(str).to_numpy(object)
    out = []
    rows = np.nonzero(prob.place_home == prob.place_home[p])[0]  # siblings together on any
    for s in (s for s in group if s != c):
        anywhere = ~np.delete(rule_breaks(prob, np.full(len(rows), s), rows), _DECISION, axis=0)
        if any(anywhere[:, i].all() and (s, int(q)) not in excluded for i, q in enumerate(rows)):
            continue  # the sibling may join the child on a row of its home
        broken = rule_breaks(prob, np.array([s]), np.array([p]))[:, 0]
        why = [rule_label(RULE_CODES[i]) for i in np.nonzero(broken)[0]
               if RULE_CODES[i] != "decision"]  # fmt: skip
        why += ["excluded from it by a team decision"] if (s, p) in excluded else []
        if why:
            out.append(f"{kid[s]} ({', '.join(why)})")
    room = _home_room_for(prob, p, group)
    if not out and len(group) <= room:
        return ""
    but = (f"{listed(out)} cannot go there too" if out
           else f"the placement has room for {room} of the {len(group)}")  # fmt: skip
    if not together:  # siblings = "prefer": the others are matched elsewhere, apart
        return f" The child's siblings cannot all join them: {but}, so this pin splits the group."
    return (f" Siblings must stay together, but {but}: while this pin holds, siblings who "
            "cannot join the child are not placed.")  # fmt: skip


def _set_aside_ids(set_aside: pd.DataFrame | None) -> dict[str, set[str]]:
    """The IDs on referral and register rows set aside for errors, by ``file_kind``."""
    out: dict[str, set[str]] = {"referrals": set(), "placements": set()}
    if set_aside is not None and len(set_aside):
        for kind, i in set_aside[["file_kind", "id"]].itertuples(index=False):
            if kind in out and pd.notna(i):
                out[kind].add(str(i))
    return out


def _away_since_made(row: Mapping[str, Any], gaps: ReferralGaps | None) -> dt.date | None:
    """The first earlier night after decision ``row`` was made (``decided_on``, else the
    night the run store first read it) on which its child was not referred; ``None``
    when there is none, or no telling when it was made."""
    if gaps is None:
        return None
    key = (fold_id(row["child_id"]), fold_id(row["placement_id"]), str(row["decision"]))
    made = _date(row.get("decided_on")) or gaps.first_read.get(key)
    away = [d for d in gaps.away.get(key[0], ()) if made is not None and d > made]
    return min(away, default=None)


def _as_written(column: pd.Series, known: set[str]) -> list[tuple[str, str]]:
    """Each ID as tonight's inputs write it, and as the decisions wrote it when they differ.

    An ID not in ``known`` as written is taken as the one known ID it matches ignoring
    case and spaces (a team typing ``r025`` for ``R025`` in Excel): an exclusion is not
    dropped for it; else as the one it matches as a spreadsheet rewrites IDs
    (:mod:`.decision_ids`). An ID matching none, or more than one, is kept as written."""
    ids, loose = KnownIds(known), LooseIds(known)
    out = []
    for value in column.astype(str):
        match = ids.same_as(value) or loose.same_as(value)
        out.append((value, "") if match in (None, value) else (match, value))
    return out


def apply_decisions(
    prob: MatchProblem,
    decisions: pd.DataFrame | None,
    *,
    siblings_together: bool = False,
    set_aside: pd.DataFrame | None = None,
    aliases: Mapping[str, str] | None = None,
    gaps: ReferralGaps | None = None,
) -> tuple[MatchProblem, DecisionOutcome]:
    """The problem with tonight's valid decisions as the ``decision`` rule, and a note on each.

    Parameters
    ----------
    prob
        The problem built from tonight's inputs (without decisions).
    decisions
        The table from :func:`sufficiency.io.decisions.read_decisions`, or ``None``.
    siblings_together
        Sibling groups may use one placement only, so pins splitting one are refused.
    set_aside
        Input rows set aside for errors (``file_kind`` and ``id`` columns): a decision on
        a child or placement whose row was set aside says so, not that it is missing.
    aliases
        Other names of tonight's children, to their IDs: on a pseudonymised night the
        pseudonyms its outputs showed, where the team made the decision.
    gaps
        From the run store (:func:`sufficiency.store.referral_gaps.referral_gaps`), the
        earlier nights each child was not referred: a decision made before such a night
        was made for a referral that has ended (or another child given the same ID). Its
        pin is refused; its exclusion is applied, with a note to check it.
    """
    if decisions is None or decisions.empty:
        return prob, DecisionOutcome()
    kid_row = {str(c): i for i, c in enumerate(prob.referrals["child_id"])}
    place_row = {str(p): i for i, p in enumerate(prob.placements["placement_id"])}
    aside = _set_aside_ids(set_aside)
    other_names = dict(aliases or {})
    kid_ids = [
        (other_names[c], "") if c in other_names and c not in kid_row else (c, w)
        for c, w in _as_written(decisions["child_id"], {*kid_row, *aside["referrals"]})
    ]
    place_ids = _as_written(decisions["placement_id"], {*place_row, *aside["placements"]})
    # the child's ID as typed is not repeated: a pseudonymised night would not hide it
    written = [
        " and ".join(w for w, v in (("the child's ID", cv), (f"{pk} as {pv!r}", pv)) if v)
        for (_, cv), (pk, pv) in zip(kid_ids, place_ids, strict=True)
    ]
    # one decision typed twice in different cases is one decision (a pin is then not
    # "pinned to more than one placement"); the copy typed as tonight's inputs is kept
    table = (
        decisions.assign(
            child_id=[k for k, _ in kid_ids],
            placement_id=[k for k, _ in place_ids],
            written_as=written,
            typed=[bool(w) for w in written],
            rewritten=[rewritten(pair) for pair in zip(kid_ids, place_ids, strict=True)],
        )
        .sort_values(["child_id", "placement_id", "decision", "typed"], kind="stable")
        .drop_duplicates(["child_id", "placement_id", "decision"])
    )
    status: dict[int, tuple[Status, str]] = {}
    pins: list[int] = []
    excluded: set[tuple[int, int]] = set()
    rows = table.to_dict("records")
    for k, r in enumerate(rows):
        until = _date(r.get("until"))
        if until is not None and until < prob.run_date:  # over, whoever is referred tonight
            status[k] = ("ignored", f"it expired on {said_day(until)}.")
        elif r["child_id"] not in kid_row:
            status[k] = ("ignored", f"child {r['child_id']} " + (
                "is in tonight's referrals but their row was set aside for an error; correct "
                "it and re-run." if r["child_id"] in aside["referrals"]
                else "is not in tonight's referrals."))  # fmt: skip
        elif r["placement_id"] not in place_row:
            status[k] = ("ignored", f"placement {r['placement_id']} " + (
                "is on tonight's register but its row was set aside for an error; correct it "
                "and re-run." if r["placement_id"] in aside["placements"]
                else "is not on tonight's register."))  # fmt: skip
        elif (away := _away_since_made(r, gaps)) and r["decision"] == "pin":
            status[k] = ("refused", f"child {r['child_id']} was not referred on {said_day(away)}, "
                         "after this pin was made, and is referred again: it was agreed for "
                         "a referral that has ended (or for another child given the same ID); "
                         "agree it again if it still holds.")  # fmt: skip
        elif r["decision"] == "exclude":
            excluded.add((kid_row[r["child_id"]], place_row[r["placement_id"]]))
            status[k] = ("applied", "the child is not matched to this placement"
                         + excluded_rows_note(prob, place_row[r["placement_id"]]) + "." + (
                f" Check it is about this child: child {r['child_id']} was not referred on "
                f"{said_day(away)}, after it was made (a referral that ended, or another "
                "child given the same ID)." if away else ""))  # fmt: skip
        else:
            pins.append(k)

    via_home = across_home(prob, excluded)  # an exclusion holds on every row of its home
    excluded |= set(via_home)

    def refuse(ks: list[int], why: str) -> None:
        for k in ks:
            status[k] = ("refused", why)

    def where(k: int) -> tuple[int, int]:
        return kid_row[rows[k]["child_id"]], place_row[rows[k]["placement_id"]]

    by_child: dict[int, list[int]] = {}
    for k in pins:
        by_child.setdefault(where(k)[0], []).append(k)
    for ks in by_child.values():
        if len(ks) > 1:
            places = ", ".join(rows[k]["placement_id"] for k in ks)
            refuse(ks, f"the child is pinned to more than one placement ({places}); "
                       "none of these pins is obeyed until the team chooses one.")  # fmt: skip
    for k in (k for k in pins if k not in status):
        c, p = where(k)
        broken = rule_breaks(prob, np.array([c]), np.array([p]))[:, 0]
        codes = [RULE_CODES[i] for i in np.nonzero(broken)[0] if RULE_CODES[i] != "decision"]
        if (c, p) in via_home:
            refuse([k], pin_to_excluded(prob, via_home[(c, p)]))
        elif (c, p) in excluded:
            refuse([k], "the same child and placement are also excluded by a decision.")
        elif codes:
            also = ", ".join(rule_label(code) for code in codes[1:])
            more = f"; it also breaks {also}" if also else ""
            refuse(
                [k],
                f"the placement {broken_text(prob, codes[0], c, p)}: {rule_label(codes[0])}{more}.",
            )
    if siblings_together:
        by_group: dict[int, list[int]] = {}
        for k in (k for k in pins if k not in status):
            g = int(prob.child_group[where(k)[0]])
            if g >= 0:
                by_group.setdefault(g, []).append(k)
        for ks in by_group.values():  # rows of one home are one home: together
            if len({int(prob.place_home[where(k)[1]]) for k in ks}) > 1:
                who = ", ".join(f"{rows[k]['child_id']} to {rows[k]['placement_id']}" for k in ks)
                refuse(ks, f"siblings must stay together but are pinned apart ({who}).")
    by_place: dict[int, list[int]] = {}
    for k in (k for k in pins if k not in status):
        by_place.setdefault(where(k)[1], []).append(k)
    for p, ks in sorted(by_place.items()):
        kids = [where(k)[0] for k in ks]
        room = _room_for(prob, p, kids)
        if len(ks) > room:
            who = ", ".join(rows[k]["child_id"] for k in ks)
            refuse(ks, f"placement {rows[ks[0]]['placement_id']} has room for {room} child(ren) "
                       f"but {len(ks)} are pinned to it ({who}): {rule_label('capacity')}; none "
                       "of these pins is obeyed until the team chooses.")  # fmt: skip
    # who may live alongside whom, over the pins to each home (rows of one home together)
    by_home: dict[int, list[int]] = {}
    for k in (k for k in pins if k not in status):
        by_home.setdefault(int(prob.place_home[where(k)[1]]), []).append(k)
    for _, ks in sorted(by_home.items()):
        kids, rows_of = [where(k)[0] for k in ks], sorted({where(k)[1] for k in ks})
        if len(rows_of) > 1 and len(ks) > (room := room_with(prob, kids[0], rows_of[0], kids[1:])):
            who = ", ".join(f"{rows[k]['child_id']} to {rows[k]['placement_id']}" for k in ks)
            fostering = prob.place_home_room[rows_of[0]] < prob.place_home_places[rows_of[0]]
            limit = "the usual fostering limit of three" if fostering else "its places"
            code = "fostering_limit" if fostering else "capacity"
            refuse(ks, f"{len(ks)} children are pinned to rows of one home ({who}), which "
                       f"has room for {room} across its rows ({limit}): {rule_label(code)}; "
                       "none of these pins is obeyed until the team chooses.")  # fmt: skip
            continue
        for i, ka in enumerate(ks):
            for kb in ks[i + 1 :]:
                a, b = where(ka)[0], where(kb)[0]
                if children_conflict(prob, np.array([a]), np.array([b]))[0]:
                    (whose, words, rule), *others = conflict_causes(prob, a, b)
                    ida, idb = rows[ka]["child_id"], rows[kb]["child_id"]
                    pa, pb = rows[ka]["placement_id"], rows[kb]["placement_id"]
                    to = (f"both pinned to {pa}" if where(ka)[1] == where(kb)[1] else
                          f"pinned to {pa} and {pb}, rows of one home,")  # fmt: skip
                    also = "".join(f"; and {whose_name(w, a, ida, idb)} {t}: {rule_label(r)}"
                                   for w, t, r in others)  # fmt: skip
                    why = (f"{ida} and {idb} are {to} but "
                           f"may not live together ({whose_name(whose, a, ida, idb)} {words}): "
                           f"{rule_label(rule)}{also}.")  # fmt: skip
                    refuse([ka, kb], why)
    pin = np.full(prob.num_children, -1, np.int64)
    for k in (k for k in pins if k not in status):
        c, p = where(k)
        pin[c] = p
        left_out = _siblings_left_out(prob, c, p, excluded, siblings_together)
        status[k] = ("applied", "the child is matched to this placement." + left_out)
    n_p = max(prob.num_placements, 1)
    keys = np.array(sorted(c * n_p + p for c, p in excluded), np.int64)
    notes = tuple(
        DecisionNote(
            child_id=r["child_id"], placement_id=r["placement_id"], decision=r["decision"],
            reason=str(r["reason"]), decided_by=str(r["decided_by"]), until=_date(r.get("until")),
            decided_on=_date(r.get("decided_on")), status=status[k][0],
            note=status[k][1] + written_note(r["written_as"], r["rewritten"]),
        )
        for k, r in enumerate(rows)
    )  # fmt: skip
    out = dataclasses.replace(prob, decision_pin=pin, decision_excluded=keys)
    return out, DecisionOutcome(notes)
