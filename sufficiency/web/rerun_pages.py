"""The re-run pages: start matching again on the latest run's inputs with the decisions
in force, and follow it until it ends."""

from __future__ import annotations

import datetime as dt

from starlette.responses import Response

from sufficiency.errors import StoreError
from sufficiency.store.accounts import audit
from sufficiency.web import rerun
from sufficiency.web.framework import PLACEMENT, Ctx, Page, redirect, render, wait_until
from sufficiency.web.placement import latest_match_run


def rerun_start(ctx: Ctx) -> Response:
    """Re-run matching now on the latest run's inputs with today's decisions (POST)."""
    run = latest_match_run(ctx.store)
    try:
        if run is None:
            raise rerun.Refused("There is no matching run in the store to re-run.")
        state = rerun.start(ctx.store, run, ctx.username)
    except rerun.Refused as exc:
        audit(ctx.store, ctx.username, "rerun_refused", run_id=run["id"] if run else None,
              detail=str(exc))  # fmt: skip
        return _rerun_page(ctx, 409, problem=str(exc))
    audit(ctx.store, ctx.username, "rerun_started", run_id=state.based_on,
          detail=f"started re-running matching run {state.based_on} with the decisions "
          "in force")  # fmt: skip
    ctx.request.session["rerun_wait"] = state.started_at
    return redirect("/matching/rerun")


def rerun_status(ctx: Ctx) -> Response:
    """The latest re-run: running, finished or failed. The page waits for a running re-run
    to end (up to 20 s); the user who started it is then taken to "What changed"."""

    def ended() -> bool:
        s = rerun.current(ctx.store)
        return s is None or not s.running or not rerun.still_holds(s)

    wait_until(ended)
    state = rerun.current(ctx.store)
    waiting = ctx.request.session.get("rerun_wait")
    if state is not None and not state.running and waiting == state.started_at:
        ctx.request.session.pop("rerun_wait", None)
        if state.state == "succeeded":
            ctx.flash(f"Matching re-run with the decisions in force: {state.message}. "
                      "Below, what changed and why.")  # fmt: skip
            return redirect("/matching/changes")
    return _rerun_page(ctx, 200)


def _rerun_page(ctx: Ctx, status: int, problem: str = "") -> Response:
    state = rerun.current(ctx.store)
    interrupted = state is not None and state.running and not rerun.still_holds(state)
    return render(ctx, "rerun.html", status, state=state, interrupted=interrupted,
                  problem=problem, based_on_started=_started(ctx, state))  # fmt: skip


def _started(ctx: Ctx, state: rerun.RerunState | None) -> dt.datetime | None:
    """When the matching a re-run re-uses the inputs of started: the page says it so,
    not by its run store number (which counts the forecast and spend runs too)."""
    if state is None:
        return None
    try:
        return ctx.store.get(state.based_on)["started_at"]  # type: ignore[no-any-return]
    except StoreError:  # deleted since (retention): the page says the store number
        return None


ROUTES = [
    Page("/matching/rerun", rerun_status, roles=PLACEMENT),
    Page("/matching/rerun", rerun_start, roles=PLACEMENT, methods=("POST",), name="rerun_start"),
]
