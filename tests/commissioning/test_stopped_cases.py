"""Sensitivity cases and the central forecast's plan whose solve stops at the time limit."""

from __future__ import annotations

from types import SimpleNamespace

from sufficiency.commissioning import case, solve
from sufficiency.commissioning.backends import MipOutcome, SolveStatus
from sufficiency.commissioning.evaluate import compare_plans
from sufficiency.commissioning.report import planning_sentence
from sufficiency.commissioning.sensitivity import sensitivity_cases
from sufficiency.commissioning.solve import optimise, status_quo_plan


def _stopping(monkeypatch, stops: dict[int, str]) -> None:
    """The real solve, except call ``n`` (from 1) in ``stops``: ``"none"`` stops at the
    time limit before any plan, ``"plan"`` stops on the real plan without proving it."""
    real = solve.solve_mip
    calls = [0]

    def solve_mip(model, solver, limit, gap):
        calls[0] += 1
        out = real(model, solver, limit, gap)
        how = stops.get(calls[0])
        if how == "none":
            return MipOutcome(SolveStatus.TIME_LIMIT, None, None, None, limit, out.solver)
        if how == "plan":
            bound = out.objective - 0.05 * abs(out.objective)
            return MipOutcome(SolveStatus.TIME_LIMIT, out.values, out.objective, bound, limit,
                              out.solver)  # fmt: skip
        return out

    monkeypatch.setattr(solve, "solve_mip", solve_mip)


def test_a_stopped_sensitivity_case_is_said_and_does_not_stop_the_run(
    tiny_demand, tiny_levers, tiny_params, monkeypatch
):
    """Before: a sensitivity case whose solve found no plan within the time limit raised
    the SolverError and stopped the whole commissioning run, though the recommended plan
    was made; one stopped on a plan was shown as if proven. Now the first is 'not tested'
    with the solver's reason (not the levers' service limits, which the case page had
    blamed for any missing row) and the second says it is not proven the cheapest, in its
    sentence and in the table."""
    params = tiny_params.model_copy(update={"sensitivity_steps": (-0.1, 0.1)})
    base = optimise(tiny_demand, tiny_levers, params)
    _stopping(monkeypatch, {1: "none", 2: "plan"})  # demand -10%: no plan; +10%: unproven
    sens, notes = sensitivity_cases(tiny_demand, tiny_demand, tiny_levers, params, base)
    solve_of = dict(zip(zip(sens["factor"], sens["change"], strict=True), sens["solve"],
                        strict=True))  # fmt: skip
    assert solve_of[("demand", -0.1)] == "not tested"
    assert solve_of[("demand", 0.1)] == "not proven optimal"
    assert set(solve_of.values()) == {"not tested", "not proven optimal", "proven optimal"}
    assert "found no plan within the time limit" in notes[("demand", -0.1)]
    assert "not proven the cheapest" in notes[("demand", 0.1)]
    assert set(notes) == {("demand", -0.1), ("demand", 0.1)}

    quo = status_quo_plan(tiny_demand, tiny_levers, params)
    comp = compare_plans(base, base, quo, tiny_demand, tiny_levers)
    report = SimpleNamespace(sensitivity=sens, levers=tiny_levers, params=params,
                             stochastic=base, comparison=comp)  # fmt: skip
    said = case.sensitivity_sentences(report)  # type: ignore[arg-type]
    untested = [s for s in said if "not tested" in s]
    assert untested == [
        "If demand were 10% lower: not tested, because the highs solver found no plan within "
        f"the time limit ({params.time_limit_seconds:g} s): raise [commissioning] "
        "time_limit_seconds in the configuration file (--config)."
    ]
    higher = [s for s in said if s.startswith("If demand were 10% higher")]
    assert len(higher) == 1
    assert "The plan re-made for this case is not proven the cheapest" in higher[0]
    assert "a plan up to 5.00% cheaper may exist" in higher[0]
    assert not any("not proven" in s for s in said if not s.startswith("If demand"))
    table = case.sensitivity_table(report)  # type: ignore[arg-type]
    assert list(table["Case"]).count("Demand +10% (not proven the cheapest)") == 1
    assert sum("not proven" in c for c in table["Case"]) == 1
    assert list(table["Case"]).count("Demand -10% (not tested)") == 1


def test_the_value_of_planning_says_when_the_central_plan_is_not_proven(
    tiny_demand, tiny_levers, tiny_params, monkeypatch
):
    """Before: the plan made on the central forecast, stopped at the time limit, was taken
    as the central forecast's plan and the value of planning for uncertainty worked out
    against it without a word. Now the sentence says the central plan is not proven."""
    plan = optimise(tiny_demand, tiny_levers, tiny_params)
    quo = status_quo_plan(tiny_demand, tiny_levers, tiny_params)
    proven = optimise(tiny_demand.central(), tiny_levers, tiny_params, name="central forecast")
    _stopping(monkeypatch, {1: "plan"})
    central = optimise(tiny_demand.central(), tiny_levers, tiny_params, name="central forecast")
    assert central.status is SolveStatus.TIME_LIMIT
    comp = compare_plans(plan, central, quo, tiny_demand, tiny_levers)
    said = planning_sentence(comp, central)
    assert "The plan made on the central forecast alone is not proven the cheapest" in said
    assert said.endswith(
        "The value of planning for uncertainty is measured against this "
        "plan, not a plan proven the cheapest on the central forecast."
    )
    assert planning_sentence(comp, proven) == planning_sentence(comp)
    assert "not proven" not in planning_sentence(comp, proven)


def test_a_gap_that_rounds_to_nothing_is_not_said_as_nothing(tiny_demand, tiny_levers,
                                                             tiny_params):  # fmt: skip
    """On the sample with a 0.3 s limit, plans stopped within 0.005% of their bound said
    'a plan up to 0.00% cheaper may exist', which reads as proven and contradicts 'not
    proven the cheapest'. Now such a gap is 'less than 0.01%'."""
    from dataclasses import replace

    plan = optimise(tiny_demand, tiny_levers, tiny_params)
    near = replace(plan, status=SolveStatus.TIME_LIMIT, objective_gbp=1e8, bound_gbp=1e8 - 100)
    assert 0 < near.gap < 0.00005
    assert "a plan less than 0.01% cheaper may exist" in near.proof()
    assert "0.00%" not in near.proof()
    far = replace(near, bound_gbp=0.97e8)
    assert "a plan up to 3.00% cheaper may exist" in far.proof()
