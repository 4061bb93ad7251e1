"""A matching run's summary as typed, immutable figures (``summary.json`` is its ``to_dict``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sufficiency.config import Params
from sufficiency.errors import Problem
from sufficiency.matching.backends import SolveStatus
from sufficiency.matching.by_council import CouncilFigures
from sufficiency.matching.decisions import DecisionOutcome
from sufficiency.results import BriefRepr
from sufficiency.vocabulary import DISTANCE_NOT_KNOWN, listed


@dataclass(frozen=True)
class PlanFigures:
    """Headline figures of one plan (the optimiser's, or the greedy baseline's)."""

    objective_gbp: float
    weekly_cost_gbp: float
    children_placed: int
    children_unplaced: int
    sibling_groups: int
    sibling_groups_kept_together: int
    placed_over_20_miles: int
    placed_out_of_area: int
    ks4_school_moves: int
    total_weekly_cost_gbp: float
    #: Proposals in a home rated inadequate, or a registered setting with no URN.
    ofsted_checks: int = 0
    #: Children placed whose distance from home is not known, so ``placed_over_20_miles``
    #: leaves them out (DfE counts them "not known"), by why: no home postcode (allowed
    #: for an unaccompanied child), a home postcode not located, or (rule 15's
    #: ``assume_far``) a placement whose postcode is not located.
    placed_no_home_postcode: int = 0
    placed_home_not_located: int = 0
    placed_placement_not_located: int = 0

    @property
    def priority_score(self) -> float:
        """The objective under its plain name: weekly costs plus weighted penalties."""
        return self.objective_gbp

    @property
    def distance_not_known(self) -> dict[str, int]:
        """Children placed at a distance from home not known, by why (the keys of
        :data:`sufficiency.vocabulary.DISTANCE_NOT_KNOWN`)."""
        return {
            "no_home_postcode": self.placed_no_home_postcode,
            "home_postcode_not_located": self.placed_home_not_located,
            "placement_postcode_not_located": self.placed_placement_not_located,
        }

    @property
    def placed_distance_not_known(self) -> int:
        """Children placed whose distance from home is not known (every reason)."""
        return sum(self.distance_not_known.values())

    def not_counted(self) -> str:
        """What ``placed_over_20_miles`` leaves out and why, as a clause to follow it ("" when
        it leaves nobody out)."""
        n = self.placed_distance_not_known
        if not n:
            return ""
        why = [f"{k:,} {DISTANCE_NOT_KNOWN[w]}" for w, k in self.distance_not_known.items() if k]
        who = "1 child" if n == 1 else f"{n:,} children"
        return f", not counting {who} placed at a distance from home not known ({listed(why)})"

    def over_20_against(self, plan: PlanFigures) -> str:
        """These figures' children placed over 20 miles from home against ``plan``'s, with
        (where either has any) those placed at a distance not known, which neither counts."""
        if not (self.placed_distance_not_known or plan.placed_distance_not_known):
            return (
                f"{self.placed_over_20_miles} over 20 miles from home (plan: "
                f"{plan.placed_over_20_miles})"
            )
        return (
            f"{self.placed_over_20_miles} over 20 miles from home and "
            f"{self.placed_distance_not_known} at a distance from home not known (plan: "
            f"{plan.placed_over_20_miles} and {plan.placed_distance_not_known})"
        )

    @classmethod
    def from_figures(cls, figures: Mapping[str, Any]) -> PlanFigures:
        """From :func:`sufficiency.matching.plan.plan_figures`' mapping."""
        return cls(**{k: v for k, v in figures.items() if k != "priority_score"})

    def to_dict(self) -> dict[str, Any]:
        """The figures as ``summary.json`` gives them, in its order."""
        return {
            "objective_gbp": self.objective_gbp,
            "priority_score": self.priority_score,
            "weekly_cost_gbp": self.weekly_cost_gbp,
            "children_placed": self.children_placed,
            "children_unplaced": self.children_unplaced,
            "sibling_groups": self.sibling_groups,
            "sibling_groups_kept_together": self.sibling_groups_kept_together,
            "placed_over_20_miles": self.placed_over_20_miles,
            "placed_distance_not_known": self.placed_distance_not_known,
            "distance_not_known_why": self.distance_not_known,
            "placed_out_of_area": self.placed_out_of_area,
            "ks4_school_moves": self.ks4_school_moves,
            "total_weekly_cost_gbp": self.total_weekly_cost_gbp,
            "ofsted_checks": self.ofsted_checks,
        }


@dataclass(frozen=True)
class SetAsideRow:
    """An input row left out for errors, or a placement set aside by rule 15."""

    file: str
    row: int | None
    id: str | None
    problem: str
    file_kind: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "id": self.id, "problem": self.problem,
                "file_kind": self.file_kind}  # fmt: skip


@dataclass(frozen=True)
class InputNote:
    """One warning about the inputs, kept in the summary and the report."""

    file: str
    row: int | None
    column: str | None
    code: str
    note: str

    @classmethod
    def from_problem(cls, problem: Problem) -> InputNote:
        return cls(problem.file, problem.row, problem.column, problem.code, problem.describe())

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "column": self.column, "code": self.code,
                "note": self.note}  # fmt: skip


@dataclass(frozen=True, repr=False)
class MatchSummary(BriefRepr):
    """What a matching run reports: the solve, the plan's figures, the greedy baseline,
    what the inputs made the run do, and the team's decisions.

    :meth:`to_dict` is the content of ``summary.json`` (same keys, order and values).
    """

    run_date: dt.date
    inputs_sha256: Mapping[str, str]
    config: Params
    solver: str
    status: SolveStatus
    message: str
    method: str
    objective_gbp: float
    bound_gbp: float | None
    gap: float | None
    runtime_seconds: float
    #: Children matched tonight (placed or unplaced); see :attr:`children_referred`.
    num_children: int
    num_placements: int
    num_candidate_pairs: int
    num_pairs_in_model: int
    pruning_rounds: int
    plan: PlanFigures
    greedy_baseline: PlanFigures
    set_aside: tuple[SetAsideRow, ...] = ()
    distance_unknown: int = 0
    input_notes: tuple[InputNote, ...] = ()
    decisions: DecisionOutcome = field(default_factory=DecisionOutcome)
    #: Referrals set aside for errors (one per child ID, or per row without an ID): these
    #: children were referred but not matched, so ``num_children`` leaves them out.
    children_set_aside: int = 0
    #: Seconds per stage of the run (reading, problem, greedy baseline, candidates,
    #: costs, pricing and its LPs, each MIP round, explanations, ...): where the time went.
    stage_seconds: Mapping[str, float | Sequence[float]] = field(default_factory=dict)
    #: The plan's figures per responsible authority (a regional night's councils).
    by_council: tuple[CouncilFigures, ...] = ()

    @property
    def proven_optimal(self) -> bool:
        """Whether the solver proved the plan optimal."""
        return self.status.value == "optimal"

    @property
    def priority_score(self) -> float:
        """The objective the solver minimises (not money)."""
        return self.objective_gbp

    @property
    def weekly_cost_gbp(self) -> float:
        """The proposed placements' weekly fees, summed."""
        return self.plan.weekly_cost_gbp

    @property
    def children_placed(self) -> int:
        return self.plan.children_placed

    @property
    def children_unplaced(self) -> int:
        return self.plan.children_unplaced

    @property
    def children_referred(self) -> int:
        """Every child referred tonight: those matched (``num_children``, placed or
        unplaced) and those whose referral was set aside for errors."""
        return self.num_children + self.children_set_aside

    @property
    def rows_set_aside(self) -> int:
        """How many input rows (and unlocatable placements) were set aside."""
        return len(self.set_aside)

    def to_dict(self) -> dict[str, Any]:
        """The summary as ``summary.json`` holds it."""
        plan = self.plan.to_dict()
        return {
            "run_date": self.run_date.isoformat(),
            "inputs_sha256": dict(self.inputs_sha256),
            "config": self.config.model_dump(mode="json"),
            "solver": self.solver,
            "status": self.status.value,
            "proven_optimal": self.proven_optimal,
            "message": self.message,
            "method": self.method,
            "objective_gbp": self.objective_gbp,
            "priority_score": self.priority_score,
            "weekly_cost_gbp": self.weekly_cost_gbp,
            "bound_gbp": self.bound_gbp,
            "gap": self.gap,
            "runtime_seconds": self.runtime_seconds,
            "stage_seconds": dict(self.stage_seconds),
            "num_children": self.num_children,
            "children_referred": self.children_referred,
            "children_set_aside": self.children_set_aside,
            "num_placements": self.num_placements,
            "num_candidate_pairs": self.num_candidate_pairs,
            "num_pairs_in_model": self.num_pairs_in_model,
            "pruning_rounds": self.pruning_rounds,
            **{k: v for k, v in plan.items() if k not in _KEPT_ABOVE},
            "greedy_baseline": self.greedy_baseline.to_dict(),
            "rows_set_aside": self.rows_set_aside,
            "set_aside": [a.to_dict() for a in self.set_aside],
            "distance_unknown": self.distance_unknown,
            "input_notes": [n.to_dict() for n in self.input_notes],
            "decisions": self.decisions.summary(),
            "by_responsible_authority": [c.to_dict() for c in self.by_council],
        }

    def to_store(self) -> dict[str, Any]:
        """:meth:`to_dict` without the configuration and input hashes (the run store keeps
        those in their own columns)."""
        return {k: v for k, v in self.to_dict().items() if k not in ("config", "inputs_sha256")}


#: Plan figures the summary gives earlier under its own keys.
_KEPT_ABOVE = ("objective_gbp", "priority_score", "weekly_cost_gbp")


def input_notes(notes: Sequence[Problem]) -> tuple[InputNote, ...]:
    """The inputs' warnings (errors are reported as rows set aside instead)."""
    return tuple(InputNote.from_problem(n) for n in notes if n.severity == "warning")
