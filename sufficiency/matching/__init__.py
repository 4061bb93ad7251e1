"""Nightly placement matching: hard rules, objective, solver-neutral MIP, explanations.

The public entry point is :func:`match` (read, optimise, explain; returns a
:class:`MatchRun` with a typed :class:`MatchSummary` and ``write(out_dir)``); the parts
are :func:`build_problem`, :func:`solve`, :func:`greedy_plan`, :func:`run_matching` and
:func:`write_match_outputs`.
"""

from sufficiency.matching.backends import SolveStatus, available_backends
from sufficiency.matching.candidates import RULES, Candidates, generate_candidates
from sufficiency.matching.greedy import greedy_plan
from sufficiency.matching.plan import evaluate_plan, plan_objective
from sufficiency.matching.problem import MatchProblem, build_problem
from sufficiency.matching.run import MatchRun, match, run_matching
from sufficiency.matching.solver import MatchResult, Method, solve
from sufficiency.matching.summary import MatchSummary, PlanFigures
from sufficiency.matching.writers import write_match_outputs

__all__ = [
    "RULES",
    "Candidates",
    "MatchProblem",
    "MatchResult",
    "MatchRun",
    "MatchSummary",
    "Method",
    "PlanFigures",
    "SolveStatus",
    "available_backends",
    "build_problem",
    "evaluate_plan",
    "generate_candidates",
    "greedy_plan",
    "match",
    "plan_objective",
    "run_matching",
    "solve",
    "write_match_outputs",
]
