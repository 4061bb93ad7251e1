"""The placement team's pages: tonight's proposals, a page per child, decisions, changes.

Tonight's proposals are the latest successful matching run in the store, as its 8am
match report gives them (:mod:`sufficiency.web.tonight`). Children are named by ID only;
every view of a child's page, of tonight's list, of what changed and of the decisions,
and every decision, goes into the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from starlette.responses import Response

from sufficiency import clock
from sufficiency.errors import StoreError
from sufficiency.matching.gates import weekly_difference
from sufficiency.pages.render import gbp, miles, uk_time
from sufficiency.store.accounts import audit
from sufficiency.store.team_decisions import (
    AlreadyRecorded,
    Busy,
    DecisionsChanged,
    Withdrawn,
    add_decision,
    decisions_in_force,
    register_vacancies,
    replaced_by,
    withdraw_decision,
)
from sufficiency.web import come_back, flash, rerun, sibling_pin
from sufficiency.web.framework import (
    PLACEMENT,
    Ctx,
    Page,
    child_url,
    not_found,
    redirect,
    render,
)
from sufficiency.web.overtaken import newer_matching
from sufficiency.web.store_files import newer_failure
from sufficiency.web.tonight import NoRun, Tonight, latest_match_run, tonight

#: A child ID in a URL: any text but control characters (IDs are the case system's own;
#: the check that matters is that the child is in tonight's run).
CHILD_ID = re.compile(r"^[^\x00-\x1f\x7f]{1,100}$")
MAX_REASON = 500


#: The "Other options" sheet's columns as the child's page shows them: money in pounds as
#: the proposal above it says it (``£73 a week more``), miles to one decimal place.
OPTION_FORMATS = {
    "Weekly cost (£)": gbp,
    "Weekly cost against the proposal (£)": lambda v: (
        "" if pd.isna(v) else weekly_difference(float(v))
    ),
    "Miles from home": miles,
}
OPTION_HEADERS = {
    "Weekly cost (£)": "Weekly cost",
    "Weekly cost against the proposal (£)": "Weekly cost against the proposal",
}


def _none_blank(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


# --- pages ---------------------------------------------------------------------------


def _audit_child(ctx: Ctx, run_id: int, child_id: str, event: str, detail: str) -> None:
    """Record in the audit trail what a user did with one child's record."""
    audit(ctx.store, ctx.username, event, child_id=child_id, run_id=run_id, detail=detail)


def proposals(ctx: Ctx) -> Response:
    run = latest_match_run(ctx.store)
    stale = newer_failure(ctx.store, "match", run)
    try:
        t = tonight(ctx.store, run)
    except NoRun as exc:
        return render(ctx, "matching.html", t=None, problem=str(exc), rows=[], unplaced=[],
                      stale=stale)  # fmt: skip
    in_force = decisions_in_force(ctx.store)
    rows = _none_blank(t.children).to_dict("records")
    unplaced = _none_blank(t.not_placed).to_dict("records")
    audit(ctx.store, ctx.username, "view_matching", run_id=t.run_id,
          detail=f"opened tonight's proposals of matching run {t.run_id} "
          f"({len(t.child_ids())} children)")  # fmt: skip
    state = rerun.current(ctx.store)
    return render(
        ctx,
        "matching.html",
        t=t,
        problem="",
        rows=rows,
        unplaced=unplaced,
        decided={t.taken_as(d.child_id) for d in in_force},
        num_decisions=len(in_force),
        rerunning=state is not None and state.running and rerun.still_holds(state),
        stale=stale,
    )


def child(ctx: Ctx) -> Response:
    child_id = ctx.path_param("child_id")
    if not CHILD_ID.match(child_id):
        return not_found(ctx, "There is no child with that ID in tonight's run.")
    try:
        t = tonight(ctx.store)
    except NoRun as exc:
        return render(ctx, "error.html", 404, title="No matching run", sentence=str(exc))
    if child_id not in t.child_ids():
        return not_found(ctx, "There is no child with that ID in tonight's run.")
    opened = f"opened the page of child {child_id} (matching run {t.run_id})"
    _audit_child(ctx, t.run_id, child_id, "view_child", opened)
    return _child_page(ctx, t, child_id, *come_back.kept_form(ctx.request))


def _child_page(
    ctx: Ctx, t: Tonight, child_id: str, status: int = 200, errors: tuple[str, ...] = (),
    form: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    """A child's page: the proposal, the other options, the decisions in force and the
    forms, which carry the run shown and the decisions listed (a decision made on a page
    another run or decision has overtaken is refused with a sentence, not recorded). A
    refusal to a browser's POST is shown by the GET it is sent to (Back, Reload)."""
    if errors and (away := come_back.refused(ctx.request, child_url(child_id), status, errors,
                                             form or {})):  # fmt: skip
        return away
    placed = _none_blank(t.children[t.children["Child"] == child_id]).to_dict("records")
    unplaced = _none_blank(t.not_placed[t.not_placed["Child"] == child_id]).to_dict("records")
    in_force = t.decisions_of(child_id, decisions_in_force(ctx.store))
    return render(
        ctx,
        "child.html",
        status,
        t=t,
        child_id=child_id,
        placed=placed[0] if placed else None,
        unplaced=unplaced[0] if unplaced else None,
        options=t.options_for(child_id),
        option_formats=OPTION_FORMATS,
        option_headers=OPTION_HEADERS,
        decisions=in_force,
        seen=" ".join(str(d.id) for d in in_force),
        homes=t.placements_for(child_id),
        errors=list(errors),
        today=clock.today().isoformat(),
        form=form or {},
        sibling_note=sibling_pin.form_note(ctx.store, t, child_id),  # before a pin, not after
    )


def _seen(text: str) -> set[int] | None:
    """The decision IDs a form says its page listed (``None``: the form did not say)."""
    try:
        return {int(w) for w in text.split()}
    except ValueError:
        return None


def _overtaken(ctx: Ctx, t: Tonight, child_id: str, shown: str) -> Response | None:
    """A 409 page when the form was on a page of another matching run than the latest."""
    if not (newer := newer_matching(ctx.store, t, shown)):
        return None
    if child_id not in t.child_ids():
        return render(ctx, "error.html", 409, title="A newer matching",
                      sentence=f"{newer}: {child_id} is not in it (placed, or the referral "
                      "closed). See tonight's matches.")  # fmt: skip
    return _child_page(ctx, t, child_id, 409, (
        f"{newer}. The page below shows the newer matching: check the proposal and the "
        "decisions, then decide again.",), ctx.form)  # fmt: skip


def decide(ctx: Ctx) -> Response:
    """Pin or exclude a home for a child, with a reason (POST)."""
    child_id = ctx.path_param("child_id")
    try:
        t = tonight(ctx.store)
    except NoRun as exc:
        return render(ctx, "error.html", 404, title="No matching run", sentence=str(exc))
    f = ctx.form
    if CHILD_ID.match(child_id) and (late := _overtaken(ctx, t, child_id, f.get("run_id", ""))):
        return late
    if not CHILD_ID.match(child_id) or child_id not in t.child_ids():
        return not_found(ctx, "There is no child with that ID in tonight's run.")
    errors = []
    kind = f.get("decision", "")
    home = f.get("placement_id", "")
    reason = " ".join(f.get("reason", "").split())
    until_text = f.get("until", "").strip()
    until = None
    if kind not in ("pin", "exclude"):
        errors.append("Choose pin or exclude.")
    if home not in t.placements_for(child_id):
        errors.append("Choose one of this child's homes.")
    if not reason:
        errors.append("Say why, in a sentence (no personal details beyond IDs).")
    elif len(reason) > MAX_REASON:
        errors.append(f"Keep the reason to {MAX_REASON} characters or fewer ({len(reason)} now).")
    if until_text:
        try:
            until = dt.date.fromisoformat(until_text)
        except ValueError:
            errors.append("Give the last day as a date, e.g. 2026-04-30, or leave it blank.")
        else:
            if until < clock.today():
                errors.append("The last day cannot be in the past.")
    if not errors and (ask := sibling_pin.confirm_split(ctx, t, child_id)):
        return ask  # a pin that may split a sibling group: confirmed before it is recorded
    status = 400
    if not errors:
        vacancies = register_vacancies(ctx.store, t.run_id, home)
        try:
            d = add_decision(ctx.store, child_id, home, kind, reason, ctx.username, until,
                             seen=_seen(f.get("seen", "")),
                             room=None if vacancies is None else (t.run_id, vacancies))  # fmt: skip
        except AlreadyRecorded as exc:
            ctx.flash(str(exc))
            return redirect(child_url(child_id))
        except DecisionsChanged as exc:
            errors.append(str(exc))
            status = 409
        except Busy as exc:
            errors.append(str(exc))
            status = 503
        except StoreError as exc:
            errors.append(str(exc))
    if errors:
        return _child_page(ctx, t, child_id, status, tuple(errors), f)
    _audit_child(ctx, t.run_id, child_id, "decision", f"decision {d.id}: {d.sentence}")
    replaced = "".join(
        f" It replaces decision {old.id}, {flash.short(old.sentence)} ({old.decided_by}, "
        f"{uk_time(old.decided_at)})."
        for old in replaced_by(ctx.store, d)
    )
    ctx.flash(f"Recorded: {flash.short(d.sentence)}. The next matching run will use it.{replaced}")
    return redirect(child_url(child_id))


def withdraw(ctx: Ctx) -> Response:
    try:
        decision_id = int(ctx.path_param("decision_id"))
        d = withdraw_decision(ctx.store, decision_id, ctx.username)
    except Withdrawn as exc:  # two users at once, or the form sent twice: say who did it
        return render(ctx, "error.html", 409, title="Already withdrawn", sentence=str(exc))
    except Busy as exc:
        return render(ctx, "error.html", 503, title="Not withdrawn", sentence=str(exc))
    except (ValueError, StoreError):
        return not_found(ctx, "There is no such decision in force.")
    audit(ctx.store, ctx.username, "withdraw_decision", child_id=d.child_id,
          detail=f"withdrew decision {d.id}: {d.sentence}")  # fmt: skip
    ctx.flash(f"Withdrawn: {flash.short(d.sentence)}.")
    back = ctx.form.get("back", "")
    return redirect(back if back in ("/decisions", child_url(d.child_id)) else "/decisions")


def decisions(ctx: Ctx) -> Response:
    """The decisions in force; a child not in the latest run is not linked (no page)."""
    try:
        t = tonight(ctx.store)
        last, children = t.last_run, t.taken_as
    except NoRun:
        last, children = None, None
    in_force = decisions_in_force(ctx.store)
    audit(ctx.store, ctx.username, "view_decisions",
          detail=f"opened the decisions in force ({len(in_force)})")  # fmt: skip
    return render(ctx, "decisions.html", decisions=in_force, last_run=last, children=children)


def changes(ctx: Ctx) -> Response:
    """What changed between the last two matching runs, and why (``runs diff``)."""
    runs = ctx.store.list_runs(limit=2, kind="match", status="succeeded")
    if len(runs) < 2:
        nothing = "only one matching run so far" if runs else "no matching run in the store yet"
        return render(ctx, "changes.html", rows=[], before=None, after=None, summary={},
                      problem=f"There is {nothing}: nothing to compare.")  # fmt: skip
    after, before = runs[0], runs[1]
    rows = ctx.store.diff(int(before["id"]), int(after["id"]))
    summary = ctx.store.get(int(after["id"]))["summary"] or {}
    audit(ctx.store, ctx.username, "view_changes", run_id=int(after["id"]),
          detail=f"opened what changed from matching run {before['id']} to {after['id']} "
          f"({len(rows)} row{'' if len(rows) == 1 else 's'})")  # fmt: skip
    return render(
        ctx,
        "changes.html",
        rows=rows,
        before=before,
        after=after,
        problem="",
        summary=summary,  # who re-ran it, and the team's decisions it did not apply
    )


ROUTES = [
    Page("/matching", proposals, roles=PLACEMENT),
    Page("/matching/changes", changes, roles=PLACEMENT),
    Page("/matching/children/{child_id:path}", child, roles=PLACEMENT),
    Page(
        "/matching/children/{child_id:path}/decisions", decide, roles=PLACEMENT, methods=("POST",)
    ),
    Page("/decisions", decisions, roles=PLACEMENT),
    Page("/decisions/{decision_id:int}/withdraw", withdraw, roles=PLACEMENT, methods=("POST",)),
]
