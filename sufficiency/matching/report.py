"""The 8am match report's content: what page 1 says, a row per child, and the rest.

A team manager reads page 1 in a minute: children placed of referred, urgent children
not placed, every flag with its count and where to look, and the weekly cost in
pounds against today's practice (the greedy baseline). Then one row per placed child
in plain words (who, where, why, the next best option and why not), the children not
placed with their reasons in full, the other options, the inputs set aside, the input
notes and the team's decisions; technical detail (solver, hashes, configuration) last.
:func:`match_report` assembles it; :mod:`.workbook` and :mod:`.html` lay it out (IDs only).

"Urgent" means needed today (``needed_by = today``, PDS "Today"): the solver charges
leaving such a child unplaced more than any other (``unplaced_needed_today``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from sufficiency import vocabulary
from sufficiency.matching import preference as liking
from sufficiency.matching.breaks import NEAREST_COLUMNS, breaks_words, nearest_homes
from sufficiency.matching.by_council import provider_words
from sufficiency.matching.gates import option_words
from sufficiency.matching.report_flags import Flag as Flag
from sufficiency.matching.report_flags import report_flags

if TYPE_CHECKING:
    from sufficiency.matching.run import MatchRun

#: The workbook's sheets, in order (the HTML page follows the same order).
SHEETS: tuple[str, ...] = (
    "Summary", "Children placed", "Not placed", "Other options", "Set aside", "Input notes",
    "Decisions", "Assumptions", "Technical detail",
)  # fmt: skip
#: Columns of the "Children placed" table (words from :mod:`sufficiency.vocabulary`).
CHILD_COLUMNS: tuple[str, ...] = (
    "child_id", "placement_id", "home_type", "provider", "weekly_cost", "miles_from_home",
    "miles_from_school", "why", "next_best", "why_not", "flags",
)  # fmt: skip
#: Columns of the "Not placed" table.
NOT_PLACED_COLUMNS: tuple[str, ...] = ("child_id", "urgent", "reason", *NEAREST_COLUMNS)
#: Columns of the "Other options" table.
OPTION_COLUMNS: tuple[str, ...] = (
    "child_id", "rank", "placement_id", "home_type", "provider", "weekly_cost",
    "weekly_cost_difference", "miles_from_home", "vacancy_left_in_plan", "why_not", "flags",
)  # fmt: skip
#: Miles from home beyond which a placement is flagged (the far-from-home threshold).
FAR_MILES = 20.0
#: What "urgent" means, said on page 1.
URGENT_MEANS = "needed today"


@dataclass(frozen=True, eq=False)
class MatchReport:
    """Everything the 8am match report says, in the order it says it."""

    run_date: dt.date
    referred: int
    placed: int
    urgent_unplaced: tuple[str, ...]
    weekly_cost_gbp: float
    baseline_weekly_cost_gbp: float
    baseline_sentence: str
    status_words: str
    proven_optimal: bool
    flags: tuple[Flag, ...]
    children: pd.DataFrame
    not_placed: pd.DataFrame
    options: pd.DataFrame
    set_aside: pd.DataFrame
    input_notes: pd.DataFrame
    decisions: pd.DataFrame
    assumptions: tuple[str, ...]
    technical: tuple[tuple[str, Any], ...]
    runtime_seconds: float
    #: Referrals set aside for errors: not matched, and whether each is needed today unread.
    set_aside_children: tuple[str, ...] = ()
    #: Of ``urgent_unplaced``, those whose referral was set aside for errors.
    urgent_set_aside: tuple[str, ...] = ()
    councils: pd.DataFrame = field(default_factory=pd.DataFrame)  # set by writers (By council)

    @property
    def title(self) -> str:
        return f"Tonight's matches: {self.run_date.day} {self.run_date:%B %Y}"

    @property
    def cost_difference_gbp(self) -> float:
        """The plan's weekly cost less today's practice's (positive: the plan costs more)."""
        return round(self.weekly_cost_gbp - self.baseline_weekly_cost_gbp, 2)

    @property
    def placed_line(self) -> str:
        if not self.referred:
            return "No child was referred tonight"
        return f"Children placed: {self.placed:,} of {self.referred:,} referred"

    @property
    def urgent_line(self) -> str:
        n = len(self.urgent_unplaced)
        aside_urgent = self.urgent_set_aside
        parts = [", ".join(c for c in self.urgent_unplaced if c not in aside_urgent)]
        parts += [f"set aside for errors: {', '.join(aside_urgent)}"] if aside_urgent else []
        ids = f" ({'; '.join(p for p in parts if p)})" if n else ""
        aside = self.set_aside_children
        if aside:  # they are not placed either, and any of them may be needed today
            ids += (f"; {len(aside)} more referred, set aside for errors and not read for "
                    f"whether needed today ({', '.join(aside)})")  # fmt: skip
        return f"Urgent children not placed: {n}{ids}"

    @property
    def difference_words(self) -> str:
        """The weekly cost against today's practice, in words."""
        d = self.cost_difference_gbp
        if abs(d) < 0.5:
            return "the same as today's practice"
        more = "more" if d > 0 else "less"
        return f"£{abs(d):,.0f} a week {more} than today's practice"

    def headline(self) -> list[dict[str, Any]]:
        """Page 1's headline figures (for :func:`macros.headline`)."""
        return [
            {"figure": f"{self.placed:,} of {self.referred:,}", "label": "children placed",
             "warn": self.placed < self.referred},
            {"figure": str(len(self.urgent_unplaced)),
             "label": f"urgent children ({URGENT_MEANS}) not placed"
             + (f": {', '.join(self.urgent_unplaced)}" if self.urgent_unplaced else ""),
             "warn": bool(self.urgent_unplaced or self.set_aside_children)},
            {"figure": f"£{self.weekly_cost_gbp:,.0f}", "label": "weekly cost of the plan",
             "warn": False},
            {"figure": f"£{self.baseline_weekly_cost_gbp:,.0f}",
             "label": "weekly cost of today's practice", "warn": False},
        ]  # fmt: skip


def _n(count: int, one: str, many: str | None = None) -> str:
    """``1 sibling group``, ``2 sibling groups``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _miles(value: Any) -> str:
    return "not known" if _blank(value) else f"{float(value):.1f} miles"


def _distance_unknown(note: Any) -> bool:
    text = "" if _blank(note) else str(note)
    return "unknown" in text or "charged as far" in text


def _child_flags(row: Any, pinned: bool, not_preferred: bool) -> list[str]:
    flags = []
    if _distance_unknown(row.distance_note):
        flags.append("distance unknown")
    if row.siblings_together is False or (
        not _blank(row.siblings_together) and not bool(row.siblings_together)
    ):
        flags.append("sibling group split")
    flags += [f for f in str(getattr(row, "flags", "") or "").split("; ") if f]  # approvals
    if not _blank(row.miles_from_home) and row.miles_from_home > FAR_MILES:
        flags.append("over 20 miles")
    if not_preferred:  # the referral's own words, whatever the weight
        flags.append(liking.NOT_PREFERRED)
    if pinned:
        flags.append("pinned by the team")
    return list(dict.fromkeys(flags))


def _why(row: Any, better_elsewhere: bool, pinned: bool, school_free: float) -> str:
    """Why this home, in a sentence (not the type or miles: the columns beside it say)."""
    note = "" if _blank(row.distance_note) else str(row.distance_note)
    said = next((p for p in note.split("; ") if "distance from home" in p), "")
    where = "" if not _blank(row.miles_from_home) else f"{said or 'distance not known'}; "
    if pinned:
        why = "agreed by the team (a pin)"
    elif better_elsewhere:
        why = "chosen for the plan as a whole (see Why not)"
    else:
        why = "the best home for this child on cost, distance and school travel"
    parts = [(where + why)[:1].upper() + (where + why)[1:]]
    together = row.siblings_together
    if not _blank(together):
        why_split = getattr(row, "sibling_note", "")
        note = f" ({why_split})" if isinstance(why_split, str) and why_split else ""
        parts.append("keeps the sibling group together" if bool(together)
                     else f"splits the sibling group{note}")  # fmt: skip
    if not _blank(row.miles_from_school) and float(row.miles_from_school) <= school_free:
        parts.append(f"within {school_free:g} miles of school")
    if "key stage 4 school move" in str(getattr(row, "flags", "") or ""):
        parts.append("means a school move in key stage 4")
    return "; ".join(parts) + "."


def _why_not_words(alt: Any, mine: Any) -> str:
    """Why the next best option is not proposed: ``why_not`` where the plan says, else how
    it is worse for the child."""
    if not _blank(alt.why_not) and str(alt.why_not):
        return str(alt.why_not)
    worse = []
    extra = float(alt.weekly_cost) - float(mine.weekly_cost)
    if extra >= 0.5:
        worse.append(f"costs £{extra:,.0f} a week more")
    if not _blank(alt.miles_from_home) and not _blank(mine.miles_from_home):
        further = float(alt.miles_from_home) - float(mine.miles_from_home)
        if further >= 0.05:
            worse.append(f"is {further:.1f} miles further from home")
    if worse:
        return f"Worse for this child: it {' and '.join(worse)}."
    return (
        "Worse for this child on the plan's priorities (school travel, area or type of "
        "home), though not on cost or distance from home."
    )


def _children(run: MatchRun, pins: set[str]) -> pd.DataFrame:
    m, alts = run.matches, liking.with_preference_flags(run.alternatives, run.referrals)
    school_free = float(run.summary.config.matching.weights.school_free_miles)
    none_listed = (
        "No other home meets every rule for this child."
        if run.summary.config.matching.num_alternatives > 0
        else "Not listed: the configuration asks for no other options (num_alternatives = 0)."
    )
    first = alts[alts["rank"] == 1].set_index("child_id")
    cheaper = set(alts.loc[alts["extra_cost_gbp"] < 0, "child_id"].astype(str))
    rows, who = [], provider_words(m, run.placements)
    liked = liking.preferred_settings(run.referrals)
    for k, r in enumerate(m.itertuples(index=False)):
        cid = str(r.child_id)
        home = vocabulary.home_type(str(r.setting), str(r.provider))
        pinned, pref = cid in pins, liking.preference_note(liked.get(cid, ()), str(r.setting))
        if cid in first.index:
            alt = first.loc[cid]
            diff = float(alt["weekly_cost"]) - float(r.weekly_cost)
            nxt = option_words(alt["placement_id"], diff, alt["flags"])
            why_not = _why_not_words(alt, r)
        else:
            nxt, why_not = "None", ("None listed: the team pinned the child here, so the "
                                    "plan considers no other home." if pinned
                                    else none_listed)  # fmt: skip
        rows.append({
            "child_id": cid,
            "placement_id": str(r.placement_id),
            "home_type": home,
            "provider": who[k],
            "weekly_cost": float(r.weekly_cost),
            "miles_from_home": r.miles_from_home,
            "miles_from_school": r.miles_from_school,
            "why": liking.with_preference(_why(r, cid in cheaper, pinned, school_free), pref),
            "next_best": nxt,
            "why_not": why_not,
            "flags": "; ".join(_child_flags(r, pinned, bool(pref))),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(CHILD_COLUMNS))


def urgent_children(run: MatchRun) -> set[str]:
    """IDs of referred children needed today (set aside for errors too, if needed_by read)."""
    aside = {c for c, v in run.set_aside_needed_by.items() if str(v).lower() == "today"}
    refs = run.referrals
    if refs.empty or "needed_by" not in refs or "child_id" not in refs:
        return aside
    today = refs["needed_by"].astype("string").str.lower().eq("today").fillna(False)
    return aside | set(refs.loc[today.to_numpy(bool), "child_id"].astype(str))


def _urgency_read(run: MatchRun) -> set[str]:
    """IDs of the children whose needed_by was read (matched, or set aside with it valid)."""
    return {str(c) for c in run.referrals.get("child_id", [])} | set(run.set_aside_needed_by)


def _not_placed(run: MatchRun, urgent: set[str]) -> pd.DataFrame:
    known = _urgency_read(run)
    u = run.unplaced
    return pd.DataFrame({
        "child_id": u["child_id"].astype(str),
        "urgent": ["Yes" if c in urgent else "No" if c in known else "Not known (set aside)"
                   for c in u["child_id"].astype(str)],
        "reason": u["reason"].astype(str),
        "nearest_placement_id": u["nearest_placement_id"],
        "nearest_miles_from_home": u["nearest_miles_from_home"],
        "nearest_breaks": [breaks_words(t, h) for t, h in zip(
            u["nearest_breaks"], nearest_homes(run.placements, u["nearest_placement_id"]),
            strict=True)],
    }, columns=list(NOT_PLACED_COLUMNS))  # fmt: skip


def _options(run: MatchRun) -> pd.DataFrame:
    a = liking.with_preference_flags(run.alternatives, run.referrals)
    cost = run.matches.set_index("child_id")["weekly_cost"]
    mine = a["child_id"].map(cost).astype(float)
    out = pd.DataFrame({
        "child_id": a["child_id"].astype(str),
        "rank": a["rank"].astype(int),
        "placement_id": a["placement_id"].astype(str),
        "home_type": [vocabulary.home_type(str(s), str(p))
                      for s, p in zip(a["setting"], a["provider"], strict=True)],
        "provider": provider_words(a, run.placements),
        "weekly_cost": a["weekly_cost"].astype(float),
        "weekly_cost_difference": (a["weekly_cost"].astype(float) - mine).round(2),
        "miles_from_home": a["miles_from_home"],
        "vacancy_left_in_plan": ["Yes" if v else "No" for v in a["vacancy_left_in_plan"]],
        "why_not": a["why_not"].astype(object).where(a["why_not"].notna(), ""),
        "flags": a["flags"].astype(object).where(a["flags"].notna(), ""),
    }, columns=list(OPTION_COLUMNS))  # fmt: skip
    return out


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            rows += _flatten(v, f"{prefix}{k}.")
        return rows
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return [(prefix.rstrip("."), value)]


def _gap_words(gap: float | None) -> str:
    if gap is None:
        return "not known"
    return f"{gap:.2%} of the priority score (the plan may be up to this much worse than the best)"


def _technical(run: MatchRun) -> tuple[tuple[str, Any], ...]:
    s = run.summary
    rows: list[tuple[str, Any]] = [
        ("Solver", s.solver),
        ("Status", vocabulary.status(s.status.value)),
        ("Solver message", s.message),
        ("Method", s.method),
        ("Gap between the plan and the best possible", _gap_words(s.gap)),
        ("Priority score (not money)", s.priority_score),
        ("Best possible priority score, bound (not money)", s.bound_gbp),
        ("Today's practice: priority score (not money)", s.greedy_baseline.priority_score),
        ("Children referred", s.children_referred),
        ("Children matched tonight (referrals not set aside for errors)", s.num_children),
        ("Homes on the register", s.num_placements),
        ("Child-home pairs meeting every rule", s.num_candidate_pairs),
        ("Pairs in the final model", s.num_pairs_in_model),
        ("Pruning rounds", s.pruning_rounds),
    ]
    rows += [(f"Input SHA-256: {k}", v) for k, v in s.inputs_sha256.items()]
    config = s.config.model_dump(mode="json")
    used = {k: config[k] for k in ("general", "matching") if k in config}
    rows += [(f"Configuration: {k}", v) for k, v in _flatten(used)]
    rows.append(("Configuration of other jobs", "in summary.json (config)"))
    return tuple(rows)


def _baseline_sentence(run: MatchRun) -> str:
    g, p = run.summary.greedy_baseline, run.summary.plan
    g_split = g.sibling_groups - g.sibling_groups_kept_together
    p_split = p.sibling_groups - p.sibling_groups_kept_together
    ks4 = _n(g.ks4_school_moves, "key stage 4 school move", "key stage 4 school moves")
    return (
        "Today's practice (each child in turn, most urgent first, to the cheapest home "
        f"that can take them) would place {g.children_placed}, cost £{g.weekly_cost_gbp:,.0f} "
        f"a week, place {g.over_20_against(p)} and {g.placed_out_of_area} out of area (plan: "
        f"{p.placed_out_of_area}), need approval for {ks4} "
        f"(plan: {p.ks4_school_moves}) and split {_n(g_split, 'sibling group')} (plan: "
        f"{p_split})."
    )


def match_report(run: MatchRun, assumptions: Sequence[str] = ()) -> MatchReport:
    """The report's content for ``run``."""
    s = run.summary
    urgent = urgent_children(run)
    unplaced_ids = [str(c) for c in run.unplaced["child_id"]]
    urgent_unplaced = tuple(c for c in unplaced_ids if c in urgent)
    read = _urgency_read(run)
    set_aside_children = tuple(c for c in unplaced_ids if c not in read)
    pins = {n.child_id for n in run.decisions.with_status("applied") if n.decision == "pin"}
    content = s.to_dict()
    set_aside = pd.DataFrame(content["set_aside"], columns=["file", "row", "id", "problem"])
    notes = pd.DataFrame(content["input_notes"], columns=["file", "row", "column", "code", "note"])
    decisions = run.decisions.table()
    decisions["status"] = [vocabulary.status(v) for v in decisions["status"]]
    decisions["decision"] = decisions["decision"].map({"pin": "Pin", "exclude": "Exclude"})
    return MatchReport(
        run_date=s.run_date,
        referred=s.children_referred,
        placed=len(run.matches),
        urgent_unplaced=urgent_unplaced,
        urgent_set_aside=tuple(c for c in urgent_unplaced if c in run.set_aside_needed_by),
        set_aside_children=set_aside_children,
        weekly_cost_gbp=float(s.weekly_cost_gbp),
        baseline_weekly_cost_gbp=float(s.greedy_baseline.weekly_cost_gbp),
        baseline_sentence=_baseline_sentence(run),
        status_words=vocabulary.status(s.status.value),
        proven_optimal=s.proven_optimal,
        flags=report_flags(run),
        children=_children(run, pins),
        not_placed=_not_placed(run, urgent),
        options=_options(run),
        set_aside=set_aside,
        input_notes=notes,
        decisions=decisions,
        assumptions=tuple(assumptions),
        technical=_technical(run),
        runtime_seconds=float(s.runtime_seconds),
    )
