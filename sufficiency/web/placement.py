"""The placement team's pages: tonight's proposals, a page per child, decisions, changes.

Tonight's proposals are the latest successful matching run in the store. The pages read
the run's 8am match report (``match_report.xlsx``, the sheets the team already knows)
from the output folder the store recorded, after checking each file's SHA-256 against
the store, so a page shows exactly what the run wrote. Children are named by ID only;
every view of a child's page, of tonight's list, of what changed and of the decisions,
and every decision, goes into the audit trail.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from starlette.responses import Response

from sufficiency import clock
from sufficiency.errors import StoreError
from sufficiency.io.atomic import sha256_file
from sufficiency.matching.gates import weekly_difference
from sufficiency.pages.render import gbp, miles, uk_time
from sufficiency.store import RunStore
from sufficiency.store.accounts import audit
from sufficiency.store.store import utc
from sufficiency.store.team_decisions import (
    AlreadyRecorded,
    Busy,
    Decision,
    DecisionsChanged,
    Withdrawn,
    add_decision,
    decisions_in_force,
    register_vacancies,
    replaced_by,
    withdraw_decision,
)
from sufficiency.web import rerun
from sufficiency.web.framework import (
    PLACEMENT,
    Ctx,
    Page,
    child_url,
    long_date,
    not_found,
    redirect,
    render,
)
from sufficiency.web.inputs_age import as_at, as_at_sentence, run_date_note
from sufficiency.web.store_files import latest_run, newer_failure

#: A child ID in a URL: any text but control characters (IDs are the case system's own;
#: the check that matters is that the child is in tonight's run).
CHILD_ID = re.compile(r"^[^\x00-\x1f\x7f]{1,100}$")
MAX_REASON = 500


class NoRun(Exception):
    """There is no matching run to show, or its outputs cannot be read (a sentence)."""


@dataclass(frozen=True)
class Tonight:
    """What a matching run proposed, as the 8am report's sheets."""

    run_id: int
    run_date: str
    finished_at: dt.datetime | None
    summary: dict[str, Any]
    children: pd.DataFrame  # "Children placed"
    not_placed: pd.DataFrame  # "Not placed"
    options: pd.DataFrame  # "Other options"
    started_at: dt.datetime | None = None  # decisions made later were not read by it
    as_at: str = ""  # when its register and referrals were last written, in a sentence

    def age_note(self) -> str:
        """A sentence when the run is for a day before yesterday (read today)."""
        return run_date_note(self.run_date)

    def last_run(self, d: Decision) -> str:
        """What this run did with decision ``d`` (made in the application), in a sentence:
        the team sees a pin refused or a decision ignored beside the decision itself."""
        if self.started_at is not None and d.decided_at > self.started_at:
            return f"Made after matching run {self.run_id} started: the next run uses it."
        for status, rows in (self.summary.get("decisions") or {}).items():
            for r in rows:
                if (r["child_id"], r["placement_id"], r["decision"]) == (
                    d.child_id, d.placement_id, d.decision,
                ):  # fmt: skip
                    return f"Matching run {self.run_id} {status} it: {r['note']}"
        return f"Matching run {self.run_id} did not read it (it was not run with these decisions)."

    def child_ids(self) -> list[str]:
        return sorted(set(self.children["Child"]) | set(self.not_placed["Child"]))

    def placements_for(self, child_id: str) -> list[str]:
        """Homes the team may pin or exclude for a child: the proposal, the other options
        and the nearest option of a child not placed."""
        out: list[str] = []
        out += list(self.children.loc[self.children["Child"] == child_id, "Home"])
        out += list(self.options.loc[self.options["Child"] == child_id, "Home"])
        if "Nearest option" in self.not_placed:
            out += list(
                self.not_placed.loc[self.not_placed["Child"] == child_id, "Nearest option"].dropna()
            )
        return list(dict.fromkeys(str(p) for p in out if str(p)))


#: Read once per run (keyed by store too: a process may serve more than one store).
_cache: dict[tuple[str, int], Tonight] = {}
#: Runs kept read: the pages show the latest; a server up for weeks kept every night's.
MAX_TONIGHTS = 4
_lock = threading.Lock()
SHEETS = ("Children placed", "Not placed", "Other options")


def latest_match_run(store: RunStore) -> dict[str, Any] | None:
    """The latest successful matching run, with its files."""
    return latest_run(store, "match")


def tonight(store: RunStore, run: dict[str, Any] | None = None) -> Tonight:
    """The proposals of ``run`` (default: the latest successful matching run)."""
    run = run or latest_match_run(store)
    if run is None:
        raise NoRun(
            "There is no matching run in the store yet. Run `sufficiency match "
            "--store ...` (or the nightly job) first."
        )
    rid = int(run["id"])
    key = (store.url, rid)
    with _lock:
        if key in _cache:
            return _cache[key]
    files = {f["label"]: f for f in run["files"] if f["role"] == "output"}
    for name in ("match_report.xlsx", "summary.json"):
        f = files.get(name)
        if f is None:
            raise NoRun(f"Matching run {rid} recorded no {name}, so it cannot be shown.")
        path = Path(f["path"])
        if not path.is_file():
            raise NoRun(
                f"The outputs of matching run {rid} are no longer in {path.parent}; "
                "re-run matching."
            )
        if sha256_file(path) != f["sha256"]:
            raise NoRun(
                f"{name} of matching run {rid} has changed since the run wrote it, "
                "so it is not shown; re-run matching."
            )
    try:
        sheets = pd.read_excel(files["match_report.xlsx"]["path"], sheet_name=list(SHEETS),
                               dtype=object, engine="openpyxl")  # fmt: skip
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
        raise NoRun(
            f"match_report.xlsx of matching run {rid} cannot be read ({type(exc).__name__}), "
            "so it is not shown; re-run matching."
        ) from exc
    for name, frame in sheets.items():
        if "Child" in frame:
            # An empty sheet holds one sentence in its first cell ("None tonight.",
            # "Every child referred is placed."), not a child: a row is a child's only
            # when something besides the first cell is filled.
            frame = frame[frame.drop(columns="Child").notna().any(axis=1)].copy()
            frame["Child"] = frame["Child"].astype(str)
            sheets[name] = frame.reset_index(drop=True)
    summary = json.loads(Path(files["summary.json"]["path"]).read_text(encoding="utf-8"))
    result = Tonight(
        rid,
        str(summary.get("run_date", "")),
        run["finished_at"],
        summary,
        sheets["Children placed"],
        sheets["Not placed"],
        sheets["Other options"],
        utc(run.get("started_at")),
        as_at_sentence(as_at(run)),
    )
    with _lock:
        while len(_cache) >= MAX_TONIGHTS:
            _cache.pop(next(iter(_cache)))
        _cache[key] = result
    return result


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


def _options(t: Tonight, child_id: str) -> pd.DataFrame:
    """The child's other options, best first (the sheet's rows without the child's ID)."""
    return t.options[t.options["Child"] == child_id].drop(columns=["Child"])


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
        decided={d.child_id for d in in_force},
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
    return _child_page(ctx, t, child_id)


def _child_page(
    ctx: Ctx, t: Tonight, child_id: str, status: int = 200, errors: tuple[str, ...] = (),
    form: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    """A child's page: the proposal, the other options, the decisions in force and the
    forms, which carry the run shown and the decisions listed (a decision made on a page
    another run or decision has overtaken is refused with a sentence, not recorded)."""
    placed = _none_blank(t.children[t.children["Child"] == child_id]).to_dict("records")
    unplaced = _none_blank(t.not_placed[t.not_placed["Child"] == child_id]).to_dict("records")
    in_force = decisions_in_force(ctx.store, child_id=child_id)
    return render(
        ctx,
        "child.html",
        status,
        t=t,
        child_id=child_id,
        placed=placed[0] if placed else None,
        unplaced=unplaced[0] if unplaced else None,
        options=_options(t, child_id),
        option_formats=OPTION_FORMATS,
        option_headers=OPTION_HEADERS,
        decisions=in_force,
        seen=" ".join(str(d.id) for d in in_force),
        homes=t.placements_for(child_id),
        errors=list(errors),
        today=clock.today().isoformat(),
        form=form or {},
    )


def _seen(text: str) -> set[int] | None:
    """The decision IDs a form says its page listed (``None``: the form did not say)."""
    try:
        return {int(w) for w in text.split()}
    except ValueError:
        return None


def _overtaken(ctx: Ctx, t: Tonight, child_id: str, shown: str) -> Response | None:
    """A 409 page when the form was on a page of another matching run than the latest: the
    decision is not recorded against proposals the user did not see."""
    if not shown or shown == str(t.run_id):
        return None
    newer = (f"Matching run {t.run_id} (for {long_date(t.run_date)}) finished after this page was "
             f"shown (it showed matching run {shown}), so nothing was recorded")  # fmt: skip
    if child_id not in t.child_ids():
        return render(ctx, "error.html", 409, title="A newer matching run",
                      sentence=f"{newer}: {child_id} is not in it (placed, or the referral "
                      "closed). See tonight's matches.")  # fmt: skip
    return _child_page(ctx, t, child_id, 409, (
        f"{newer}. The page below shows run {t.run_id}: check the proposal and the "
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
        errors.append(f"Keep the reason under {MAX_REASON} characters.")
    if until_text:
        try:
            until = dt.date.fromisoformat(until_text)
        except ValueError:
            errors.append("Give the last day as a date, e.g. 2026-04-30, or leave it blank.")
        else:
            if until < clock.today():
                errors.append("The last day cannot be in the past.")
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
        f" It replaces decision {old.id}, {old.sentence} ({old.decided_by}, "
        f"{uk_time(old.decided_at, '%d %b %Y %H:%M')})."
        for old in replaced_by(ctx.store, d)
    )
    ctx.flash(f"Recorded: {d.sentence}. The next matching run will use it.{replaced}")
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
    audit(
        ctx.store,
        ctx.username,
        "withdraw_decision",
        child_id=d.child_id,
        detail=f"withdrew decision {d.id}: {d.sentence}",
    )
    ctx.flash(f"Withdrawn: {d.sentence}.")
    back = ctx.form.get("back", "")
    return redirect(back if back in ("/decisions", child_url(d.child_id)) else "/decisions")


def decisions(ctx: Ctx) -> Response:
    try:
        last = tonight(ctx.store).last_run
    except NoRun:
        last = None
    in_force = decisions_in_force(ctx.store)
    audit(ctx.store, ctx.username, "view_decisions",
          detail=f"opened the decisions in force ({len(in_force)})")  # fmt: skip
    return render(ctx, "decisions.html", decisions=in_force, last_run=last)


def changes(ctx: Ctx) -> Response:
    """What changed between the last two matching runs, and why (``runs diff``)."""
    runs = ctx.store.list_runs(limit=2, kind="match", status="succeeded")
    if len(runs) < 2:
        return render(
            ctx,
            "changes.html",
            rows=[],
            before=None,
            after=None,
            problem="There is only one matching run so far: nothing to compare."
            if runs
            else "There is no matching run in the store yet: nothing to compare.",
            rerun_by="",
            rerun_of="",
        )
    after, before = runs[0], runs[1]
    rows = ctx.store.diff(int(before["id"]), int(after["id"]))
    summary = ctx.store.get(int(after["id"]))["summary"] or {}
    audit(ctx.store, ctx.username, "view_changes", run_id=int(after["id"]),
          detail=f"opened what changed from matching run {before['id']} to {after['id']} "
          f"({len(rows)} row(s))")  # fmt: skip
    return render(
        ctx,
        "changes.html",
        rows=rows,
        before=before,
        after=after,
        problem="",
        rerun_by=summary.get("rerun_by", ""),
        rerun_of=summary.get("rerun_of", ""),
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
