"""How old a page's inputs are, said when the page is read, which may be a week after the
run: the referrals and placement register a matching run read, as at when each file was
last written; a matching run for a day before yesterday (no night recorded since); a
forecast, spend projection or commissioning case whose 903 history ends more than a year
before today (the run said so only if it was already that old on its run date)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sufficiency import clock
from sufficiency.forecast import history_over_a_year_old, history_said_old
from sufficiency.pages.render import uk_time
from sufficiency.web.store_files import cautions, unchanged, workbook_items

#: The inputs of a matching run whose age its pages give, as the pages name them.
MATCH_INPUTS = {"placements": "Placement register", "referrals": "referrals"}


def as_at(run: dict[str, Any]) -> dict[str, dt.datetime]:
    """When each of a matching run's inputs was last written, by label: as the store
    recorded it when the run started, or (a run recorded before it did) the file's own
    time while the file is still there unchanged since the run."""
    recorded = (run.get("summary") or {}).get("inputs_modified") or {}
    out: dict[str, dt.datetime] = {}
    for label in MATCH_INPUTS:
        if label in recorded:
            out[label] = dt.datetime.fromisoformat(recorded[label])
            continue
        for f in run["files"]:
            if f["role"] == "input" and f["label"] == label and (p := unchanged(f)):
                out[label] = dt.datetime.fromtimestamp(p.stat().st_mtime, dt.UTC)
    return out


def as_at_sentence(when: dict[str, dt.datetime]) -> str:
    """``Placement register as at 28 Nov 2026 22:10 and referrals as at ... (UK time,
    when each file was last written).``; "" when neither is known."""
    said = [f"{name} as at {uk_time(when[k])}" for k, name in MATCH_INPUTS.items() if k in when]
    if not said:
        return ""
    return " and ".join(said) + " (UK time, when each file was last written)."


def run_date_note(run_date: str, today: dt.date | None = None) -> str:
    """A sentence when a matching run is for a day before yesterday: no night has been
    recorded since, and its proposals rest on that day's referrals and register."""
    try:
        day = dt.date.fromisoformat(run_date)
    except ValueError:
        return ""
    days = ((today or clock.today()) - day).days
    if days <= 1:
        return ""
    return (f"This matching run is for {day.day} {day:%B %Y}, {days} days before today, and "
            "no later one has been recorded (has the nightly job run?): its proposals rest "
            "on the referrals and placement register of that day.")  # fmt: skip


def forecast_history_note(start: str, notes: list[str], today: dt.date | None = None) -> str:
    """A sentence when the forecast starting on ``start`` (the 903 history's last day
    used) starts more than a year before today, unless the run's own notes (``notes``,
    its "Read with care") already say its history is that old."""
    try:
        day = dt.date.fromisoformat(start[:10])
    except ValueError:
        try:  # a workbook's "1 April 2026"
            day = dt.datetime.strptime(start, "%d %B %Y").date()
        except ValueError:
            return ""
    if history_said_old(notes, day):
        return ""
    return history_over_a_year_old(day, today or clock.today(), viewed=True) or ""


def workbook_notes(run: dict[str, Any], workbook: str, start_item: str) -> list[str]:
    """The run's "Read with care" notes as its ``workbook`` gives them, and whether the
    forecast it rests on (its ``start_item`` row: the history's last day used) starts more
    than a year before today."""
    notes = cautions(run, workbook)
    start = next((v for item, v in workbook_items(run, workbook) if item == start_item), "")
    old = forecast_history_note(start, notes) if start else ""
    return [*notes, *([old] if old else [])]
