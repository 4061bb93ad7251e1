"""Commissioners' scenarios: create one from a form, run it, save it, compare it with the base.

Saved scenarios are shared by everyone in the authority (one run store per authority);
each keeps its author and history: who created, changed and ran it, and when. A run
repeats the latest forecast run with the scenario (:mod:`.scenario_run`) in the
background; its page waits for the run to end (up to 20 s, then offers to look again),
then shows the scenario and the base side by side. Aggregate figures only: nothing here
names a child.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError
from starlette.responses import Response

from sufficiency.errors import StoreError
from sufficiency.figures import half_up
from sufficiency.forecast import Scenario
from sufficiency.io.tomlfile import validation_message
from sufficiency.pages import fan_chart
from sufficiency.pages.render import chance, count, gbp, tenths, uk_time
from sufficiency.store.accounts import audit
from sufficiency.store.saved_scenarios import (
    ScenarioChanged,
    ScenarioInfo,
    ScenarioRunInfo,
    get_scenario,
    get_scenario_run,
    list_scenarios,
    save_scenario,
    scenario_history,
    scenario_runs,
)
from sufficiency.store.stopped import STOPPED, end_stopped
from sufficiency.web.cost_bases import base_sentence
from sufficiency.web.framework import Ctx, Page, not_found, redirect, render, wait_until
from sufficiency.web.run_words import bases
from sufficiency.web.scenario_form import (
    AGE_BANDS,
    BAND_FIELDS,
    CATEGORY_CHOICES,
    DEFAULTS,
    ScenarioForm,
    describe,
    form_values,
    read_form,
)
from sufficiency.web.scenario_run import AlreadyRunning, BaseNotAvailable, start_run
from sufficiency.web.store_files import drawn

COMMISSIONER = frozenset({"commissioner"})
HEADERS = {
    "category": "Placement category",
    "base_mean": "Base (mean)", "base_p10": "Base P10", "base_p50": "Base P50",
    "base_p90": "Base P90", "scenario_mean": "Scenario (mean)", "scenario_p10": "Scenario P10",
    "scenario_p50": "Scenario P50", "scenario_p90": "Scenario P90",
    "difference": "Difference (scenario - base, mean)",
    "base": "Base: starts a year", "scenario": "Scenario: starts a year",
    "places": "Places", "base_gap": "Base: expected shortfall",
    "scenario_gap": "Scenario: expected shortfall",
    "base_prob": "Base: chance demand exceeds places",
    "scenario_prob": "Scenario: chance demand exceeds places",
    "period": "Financial year", "months": "Months forecast",
}  # fmt: skip


def _form_page(
    ctx: Ctx, form: ScenarioForm, action: str, heading: str, status: int = 200,
    shown: str = "",
) -> Response:  # fmt: skip
    """The scenario form; changing a saved one, it carries when the scenario was last
    changed as shown (``shown``), so a change saved meanwhile is not undone unseen."""
    return render(ctx, "scenario_form.html", status, form=form.values, errors=form.errors,
                  action=action, heading=heading, bands=BAND_FIELDS, age_bands=AGE_BANDS,
                  categories=CATEGORY_CHOICES,
                  shown=shown)  # fmt: skip


def scenarios_list(ctx: Ctx) -> Response:
    end_stopped(ctx.store)
    rows = []
    for s in list_scenarios(ctx.store):
        runs = scenario_runs(ctx.store, s.id, limit=1)
        rows.append({"s": s, "last": runs[0] if runs else None})
    return render(ctx, "scenarios.html", rows=rows, stopped=STOPPED)


def scenario_new(ctx: Ctx) -> Response:
    return _form_page(ctx, ScenarioForm(dict(DEFAULTS)), "/scenarios/new", "New scenario")


def _save(ctx: Ctx, scenario_id: int | None, action: str, heading: str) -> Response:
    form = read_form(ctx.form)
    status, shown = 400, ctx.form.get("shown", "")
    if form.definition is not None:
        try:
            sid = save_scenario(ctx.store, form.values["name"].strip(), form.definition,
                                ctx.username, scenario_id=scenario_id,
                                shown=_shown(shown))  # fmt: skip
        except ScenarioChanged as exc:  # shown again as it is now: to save over it, if meant
            form.errors["changed"], status = str(exc), 409
            shown = _changed_at(get_scenario(ctx.store, scenario_id or 0))
        except StoreError:
            same = [t for t in list_scenarios(ctx.store) if t.name == form.values["name"].strip()]
            if scenario_id is None and same and same[0].definition == form.definition:
                # the form sent twice (a double click): the first saved it; said as saved
                ctx.flash(f"Already saved: the scenario {same[0].name} says this (saved by "
                          f"{same[0].changed_by}); it was not saved twice.")  # fmt: skip
                return redirect(f"/scenarios/{same[0].id}")
            form.errors["name"] = _name_taken(ctx, form.values["name"].strip(), scenario_id)
        else:
            verb = "created" if scenario_id is None else "changed"
            audit(ctx.store, ctx.username, "scenario", detail=f"{verb} scenario {sid}")
            ctx.flash(f"Saved the scenario {form.values['name'].strip()}. Run it to compare "
                      "it with the base.")  # fmt: skip
            return redirect(f"/scenarios/{sid}")
    return _form_page(ctx, form, action, heading, status, shown=shown)


def _name_taken(ctx: Ctx, name: str, scenario_id: int | None) -> str:
    """Why ``name`` is refused: another scenario has it, or has it in other capitals."""
    for t in list_scenarios(ctx.store):
        if t.id != scenario_id and t.name != name and t.name.casefold() == name.casefold():
            return (f"Name: another saved scenario is called '{t.name}', and names that "
                    "differ only in capitals are one name; choose another.")  # fmt: skip
    return "Name: another saved scenario has this name; choose another."


def _changed_at(s: ScenarioInfo | None) -> str:
    return s.changed_at.isoformat() if s is not None else ""


def _shown(text: str) -> dt.datetime | None:
    """When the form's scenario was last changed as its page showed it (``None``: a form
    without it, as a script may send, is saved as before)."""
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def scenario_create(ctx: Ctx) -> Response:
    return _save(ctx, None, "/scenarios/new", "New scenario")


def scenario_page(ctx: Ctx) -> Response:
    s = get_scenario(ctx.store, ctx.int_param("scenario_id"))
    if s is None:
        return not_found(ctx, "There is no such saved scenario.")
    end_stopped(ctx.store)
    runs = scenario_runs(ctx.store, s.id)
    return render(ctx, "scenario.html", s=s, lines=describe(s.definition), runs=runs,
                  history=scenario_history(ctx.store, s.id), stopped=STOPPED,
                  bases=bases(ctx.store, runs))  # fmt: skip


def scenario_edit(ctx: Ctx) -> Response:
    s = get_scenario(ctx.store, ctx.int_param("scenario_id"))
    if s is None:
        return not_found(ctx, "There is no such saved scenario.")
    form = ScenarioForm(form_values(s.definition))
    action, heading = f"/scenarios/{s.id}/edit", f"Change {s.name}"
    return _form_page(ctx, form, action, heading, shown=_changed_at(s))


def scenario_update(ctx: Ctx) -> Response:
    s = get_scenario(ctx.store, ctx.int_param("scenario_id"))
    if s is None:
        return not_found(ctx, "There is no such saved scenario.")
    return _save(ctx, s.id, f"/scenarios/{s.id}/edit", f"Change {s.name}")


def scenario_run(ctx: Ctx) -> Response:
    s = get_scenario(ctx.store, ctx.int_param("scenario_id"))
    if s is None:
        return not_found(ctx, "There is no such saved scenario.")
    try:
        scenario = Scenario.model_validate(s.definition)
    except ValidationError as exc:  # saved before a check it now fails
        ctx.flash(f"Not run: {validation_message(exc)}. Change the scenario, then run it.")
        return redirect(f"/scenarios/{s.id}")
    try:
        run_id = start_run(ctx.store, s.id, scenario, s.definition, ctx.username)
    except AlreadyRunning as exc:  # "Run" clicked twice: one run, its page
        at = uk_time(exc.run.started_at, "%H:%M:%S")
        ctx.flash(f"Already running: {exc.run.started_by} started this run at {at}; it was "
                  "not started twice.")  # fmt: skip
        return redirect(f"/scenarios/runs/{exc.run.id}")
    except BaseNotAvailable as exc:
        ctx.flash(f"Not run: {exc}")
        return redirect(f"/scenarios/{s.id}")
    audit(ctx.store, ctx.username, "scenario", detail=f"ran scenario {s.id} (scenario run "
          f"{run_id})")  # fmt: skip
    return redirect(f"/scenarios/runs/{run_id}")


def _frame(rows: list[dict[str, Any]], cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=cols)


def _as_said(frame: pd.DataFrame, base: str, scenario: str, said: Any) -> None:
    """``frame``'s difference column as the page's rounded figures (``said``) give it."""
    if len(frame):
        frame["difference"] = [
            d if pd.isna(b) or pd.isna(s) else said(s) - said(b)
            for b, s, d in zip(frame[base], frame[scenario], frame["difference"], strict=True)
        ]


def comparison(run: ScenarioRunInfo, name: str) -> dict[str, Any]:
    """The run's figures as the comparison page's chart and tables."""
    r = run.results or {}
    t = r["totals"]
    chart = drawn(f"scenario run {run.id} {run.started_at.isoformat()}", lambda: fan_chart(
        "Children looked after: base and scenario", list(pd.to_datetime(t["month"])),
        np.array(t["base_p10"]), np.array(t["base_p50"]), np.array(t["base_p90"]),
        scenario=np.array(t["scenario_p50"]), scenario_name=name, base="the base",
    ))  # fmt: skip
    cats = _frame(r["by_category"], ["category", "base_mean", "base_p10", "base_p90",
                                     "scenario_mean", "scenario_p10", "scenario_p90",
                                     "difference"])  # fmt: skip
    starts = _frame(r["starts"], ["category", "base", "scenario", "difference"])
    shortfall = _frame(r["shortfall"], ["category", "places", "base_gap", "scenario_gap",
                                        "base_prob", "scenario_prob"])  # fmt: skip
    cost = _frame(r["cost"]["financial_year"], ["period", "months", "base_mean", "base_p10",
                                                "base_p90", "scenario_mean", "scenario_p10",
                                                "scenario_p90", "difference"])  # fmt: skip
    # each difference as the page's own figures give it: 132 beside 124 was said to differ
    # by 9 (the means' difference, 8.6, rounded), a subtraction the reader could not make
    _as_said(cats, "base_mean", "scenario_mean", lambda v: float(f"{v:.0f}"))
    _as_said(starts, "base", "scenario", lambda v: float(f"{v:.1f}"))
    _as_said(cost, "base_mean", "scenario_mean", half_up)
    total = cats[cats["category"] == "All children looked after"]
    return {
        "chart": chart, "by_category": cats, "starts": starts,
        "shortfall": shortfall if len(shortfall) else None, "cost": cost,
        "horizon": pd.Timestamp(r["horizon"]), "start": pd.Timestamp(r["start"]),
        "total": total.iloc[0].to_dict() if len(total) else None, "results": r,
        "money": {c: gbp for c in cost.columns if c not in ("period", "months")},
        "counts": {c: count for c in cats.columns if c != "category"},
        # said as forecast.html says them: places whole, means over the futures to tenths
        # ('160' beside '53.0' before), a chance under 1% not as '0%'
        "shortfall_formats": {"places": count, "base_gap": tenths, "scenario_gap": tenths,
                              "base_prob": chance, "scenario_prob": chance},
        "starts_formats": dict.fromkeys(("base", "scenario", "difference"), tenths),
    }  # fmt: skip


def scenario_run_page(ctx: Ctx) -> Response:
    run_id = ctx.int_param("run_id")

    def ended() -> bool:
        end_stopped(ctx.store)
        r = get_scenario_run(ctx.store, run_id)
        return r is None or r.status != "running"

    wait_until(ended)
    run = get_scenario_run(ctx.store, run_id)
    s = get_scenario(ctx.store, run.scenario_id) if run is not None else None
    if run is None or s is None:
        return not_found(ctx, "There is no such scenario run.")
    name = str(run.definition.get("name", s.name))
    context: dict[str, Any] = {"run": run, "s": s, "name": name, "headers": HEADERS,
                               "lines": describe(run.definition),
                               "stopped": run.failure_reason == STOPPED,
                               "bases": bases(ctx.store, [run])}  # fmt: skip
    if run.status == "succeeded" and run.results:
        context.update(comparison(run, name), base_sentence=base_sentence(ctx.store, run))
    return render(ctx, "scenario_run.html", **context)


ROUTES = [
    Page("/scenarios", scenarios_list, roles=COMMISSIONER),
    Page("/scenarios/new", scenario_new, roles=COMMISSIONER),
    Page("/scenarios/new", scenario_create, roles=COMMISSIONER, methods=("POST",)),
    Page("/scenarios/{scenario_id:int}", scenario_page, roles=COMMISSIONER),
    Page("/scenarios/{scenario_id:int}/edit", scenario_edit, roles=COMMISSIONER),
    Page(
        "/scenarios/{scenario_id:int}/edit", scenario_update, roles=COMMISSIONER, methods=("POST",)
    ),
    Page("/scenarios/{scenario_id:int}/run", scenario_run, roles=COMMISSIONER, methods=("POST",)),
    Page("/scenarios/runs/{run_id:int}", scenario_run_page, roles=COMMISSIONER),
]
