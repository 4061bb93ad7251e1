"""Tonight's proposals: the latest successful matching run, read from its 8am report.

The placement team's pages (:mod:`sufficiency.web.placement`) show the run's
``match_report.xlsx`` (the sheets the team already knows) from the output folder the store
recorded, after checking each file's SHA-256 against the store, so a page shows exactly
what the run wrote. A sheet is read as text the run wrote: a child ID ``NA`` or
``None`` (the case system's own) and a cell saying ``None`` stay as written.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sufficiency import vocabulary
from sufficiency.io.atomic import sha256_file
from sufficiency.io.ids import KnownIds, fold_id
from sufficiency.matching import text_rows
from sufficiency.pages.render import count, gbp, miles
from sufficiency.store import RunStore
from sufficiency.store.store import utc
from sufficiency.store.team_decisions import Decision
from sufficiency.web.inputs_age import as_at, as_at_sentence, run_date_note
from sufficiency.web.store_files import latest_run


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
    #: The report's first page's lines marked "Check" (urgent children not placed, key
    #: stage 4 moves, decisions refused, a plan not proven best...), each in a sentence.
    checks: tuple[str, ...] = ()

    def age_note(self) -> str:
        """A sentence when the run is for a day before yesterday (read today)."""
        return run_date_note(self.run_date)

    def last_run(self, d: Decision) -> str:
        """What this run did with decision ``d`` (made in the application), in a sentence:
        the team sees a pin refused or a decision ignored beside the decision itself."""
        if self.started_at is not None and d.decided_at > self.started_at:
            return "Made after the latest matching started: the next one uses it."
        outcomes = [(status, r) for status, rows in (self.summary.get("decisions") or {}).items()
                    for r in rows if r["decision"] == d.decision]  # fmt: skip
        for status, r in outcomes:
            if (r["child_id"], r["placement_id"]) == (d.child_id, d.placement_id):
                return f"The latest matching {status} it: {r['note']}"
        # matching takes an ID written in another case or spacing as the one child it
        # matches (sufficiency.matching.decisions), and records tonight's ID
        taken = self.taken_as(d.child_id)
        home = fold_id(d.placement_id)
        for status, r in outcomes:
            if taken not in (None, d.child_id) and (r["child_id"], fold_id(r["placement_id"])) == (
                taken, home,
            ):  # fmt: skip
                return f"The latest matching {status} it, as child {taken}'s: {r['note']}"
        return "The latest matching did not read it (it was not run with these decisions)."

    def taken_as(self, child_id: str) -> str | None:
        """The child of this run a decision recorded for ``child_id`` is about, as matching
        takes it: the child of that ID, else the one child whose ID is the same but for
        case and spaces (``r007``, ``R 007`` for ``R007``: the referrals wrote it so the
        night the decision was made); ``None`` for none, or more than one."""
        return KnownIds(self.child_ids()).same_as(child_id)

    def decisions_of(self, child_id: str, in_force: list[Decision]) -> list[Decision]:
        """The decisions of ``in_force`` about this run's child ``child_id``: those recorded
        for its ID, and those recorded for the same ID in another case or spacing, which
        matching applies to this child (the child's page listed none of them before, and
        the Decisions page said the run had not read them)."""
        return [d for d in in_force if self.taken_as(d.child_id) == child_id]

    def options_for(self, child_id: str) -> pd.DataFrame:
        """The child's other options, best first (the sheet's rows without the child's
        ID). A child not placed has no proposal to set them against, so that column,
        blank, is left out: their options are the homes meeting every rule that the plan
        gives to other children, which the team may pin instead of the nearest."""
        rows = self.options[self.options["Child"] == child_id].drop(columns=["Child"])
        if not (self.children["Child"] == child_id).any():
            rows = rows.drop(columns=[AGAINST], errors="ignore")
        return rows

    def home_words(self, child_id: str) -> dict[str, str]:
        """Each home of :meth:`placements_for` as the pin and exclude forms offer it: its
        weekly cost and miles from home, and which it is (the proposal, the nearest
        option), so the team chooses from the form as from the table above it."""
        said: dict[str, list[str]] = {}
        near = self.not_placed.rename(columns=NEAREST)
        frames = ((self.children, "the proposal"), (self.options, ""), (near, "nearest option"))
        for frame, which in frames:
            if "Home" not in frame:
                continue
            for r in frame[frame["Child"] == child_id].to_dict("records"):
                home, label = r.get("Home"), which
                if which == "nearest option" and pd.isna(r.get("Miles from home")):
                    label = "the option its reason names"  # the cheapest: home not known
                if pd.isna(home) or str(home) in said:  # the nearest among the options
                    said.get(str(home), []).insert(0, label)
                    continue
                parts = [label] if label else []
                if not pd.isna(cost := r.get("Weekly cost (£)", float("nan"))):
                    parts.append(f"{gbp(cost)} a week")
                if not pd.isna(far := r.get("Miles from home", float("nan"))):
                    parts.append(f"{miles(far)} miles")
                said[str(home)] = parts
        return {h: f"{h} ({', '.join(p)})" if p else h for h, p in said.items()}

    def child_ids(self) -> list[str]:
        return sorted(set(self.children["Child"]) | set(self.not_placed["Child"]))

    def no_options(self, child_id: str) -> str:
        """Why the child's page lists no other option, in a sentence. A child placed: the
        report's own words, under "Why not" (pinned here, none asked for, or no other
        home meeting every rule). A child not placed: their referral was set aside, none
        were asked for, or no home meeting every rule was found (the reason says why)."""
        why = self.children.loc[self.children["Child"] == child_id, "Why not"].dropna()
        if len(why):
            return str(why.iloc[0])
        set_aside = self.summary.get("set_aside") or []
        if any(r.get("file_kind") == "referrals" and str(r.get("id")) == child_id
               for r in set_aside):  # fmt: skip
            return ("None: the child's referral was set aside for an error (the reason "
                    "above), so the run did not match the child.")  # fmt: skip
        if self._most() == 0:
            return "Not listed: the configuration asks for no other options (num_alternatives = 0)."
        return ("None: no home meeting every rule was found for this child (the reason above "
                "says why).")  # fmt: skip

    def _most(self) -> int | None:
        """How many other options the run lists a child at most (``None``: not said)."""
        most = ((self.summary.get("config") or {}).get("matching") or {}).get("num_alternatives")
        return None if most is None else int(most)

    def options_caption(self) -> str:
        """The other options' caption, saying how many the run lists a child at most: three
        listed under "Other homes meeting every rule" read as the only three that do."""
        most = self._most()
        listed = f": the run lists up to {most} a child" if most else ""
        return f"Other homes meeting every rule, best first{listed}"

    def placements_for(self, child_id: str) -> list[str]:
        """Homes the team may pin or exclude for a child: the proposal, the other options
        and the nearest option of a child not placed."""
        out: list[str] = []
        out += list(self.children.loc[self.children["Child"] == child_id, "Home"])
        out += list(self.options.loc[self.options["Child"] == child_id, "Home"])
        if NEAREST_HOME in self.not_placed:
            out += list(
                self.not_placed.loc[self.not_placed["Child"] == child_id, NEAREST_HOME].dropna()
            )
        return list(dict.fromkeys(str(p) for p in out if str(p)))

    def refused_pins(self, child_id: str) -> dict[str, str]:
        """Homes of :meth:`placements_for` a pin to which every run refuses (a pin is
        checked against each hard rule: docs/matching.md), with the rules each breaks in
        words: the nearest option of a child not placed, when it breaks a rule."""
        if NEAREST_BREAKS not in self.not_placed or NEAREST_HOME not in self.not_placed:
            return {}
        rows = self.not_placed[self.not_placed["Child"] == child_id].to_dict("records")
        return {str(r[NEAREST_HOME]): str(r[NEAREST_BREAKS]) for r in rows
                if str(r[NEAREST_BREAKS]).startswith("rule ")}  # fmt: skip


#: Read once per run (keyed by store too: a process may serve more than one store).
_cache: dict[tuple[str, int], Tonight] = {}
#: Runs kept read: the pages show the latest; a server up for weeks kept every night's.
MAX_TONIGHTS = 4
_lock = threading.Lock()
SHEETS = ("Children placed", "Not placed", "Other options")
#: The "Not placed" columns of the nearest option (the cheapest for a child whose home is
#: not known), as the other sheets name them.
NEAREST_HOME = vocabulary.column("nearest_placement_id")
NEAREST_MILES = vocabulary.column("nearest_miles_from_home")
NEAREST_BREAKS = vocabulary.column("nearest_breaks")
NEAREST = {NEAREST_HOME: "Home", NEAREST_MILES: "Miles from home"}
#: The same columns as reports written before 7 December 2026 headed them ("Nearest
#: option" over the cheapest option of a child whose home is not known), read as now.
OLD_NEAREST = {
    "Nearest option": NEAREST_HOME,
    "Nearest option: miles from home": NEAREST_MILES,
    "Rules the nearest option breaks": NEAREST_BREAKS,
}
#: The "Other options" column setting an option against the child's proposal.
AGAINST = "Weekly cost against the proposal (£)"
#: The report's first page: a line is [what, figure, "Check" when raised, words, sheet].
SUMMARY = "Summary"


def latest_match_run(store: RunStore) -> dict[str, Any] | None:
    """The latest successful matching run, with its files."""
    return latest_run(store, "match")


def tonight(store: RunStore, run: dict[str, Any] | None = None) -> Tonight:
    """The proposals of ``run`` (default: the latest successful matching run)."""
    run = run or latest_match_run(store)
    if run is None:
        raise NoRun(
            "There is no matching run in the store yet: tonight's matches show here once "
            "the nightly job (or sufficiency match --store ...) has run on the referrals and "
            "the placement register."
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
        # only an empty cell is missing: pandas' default takes "NA", "None" or "null" for
        # one, which made children NA and None both "nan" and the report's "None" a blank
        sheets = pd.read_excel(files["match_report.xlsx"]["path"], sheet_name=[*SHEETS, SUMMARY],
                               dtype=object, engine="openpyxl", keep_default_na=False,
                               na_values=[""])  # fmt: skip
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
        raise NoRun(
            f"match_report.xlsx of matching run {rid} cannot be read as a workbook (it is "
            "damaged), so it is not shown; re-run matching."
        ) from exc
    for name, frame in sheets.items():
        if name != SUMMARY and "Child" in frame:
            # An empty sheet holds one sentence in its first cell ("None tonight.",
            # "Every child referred is placed."), not a child: a row is a child's only
            # when something besides the first cell is filled.
            if name in text_rows.ORDER:  # each sentence on a row of its own: its column
                frame = text_rows.fold_texts(frame, name)
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
        sheets["Not placed"].rename(columns=OLD_NEAREST),
        sheets["Other options"],
        utc(run.get("started_at")),
        as_at_sentence(as_at(run)),
        checks(sheets[SUMMARY]),
    )
    with _lock:
        while len(_cache) >= MAX_TONIGHTS:
            _cache.pop(next(iter(_cache)))
        _cache[key] = result
    return result


def checks(first_page: pd.DataFrame) -> tuple[str, ...]:
    """The lines of the report's first page marked "Check", as sentences: tonight's
    matches showed none of them (a pin refused, a plan not proven best, key stage 4
    moves to approve were on the report's first page only)."""
    out = []
    for row in first_page.itertuples(index=False):
        if len(row) < 4 or row[2] != "Check":
            continue
        what, figure, words = str(row[0]), row[1], str(row[3])
        # "Children placed: 44 of 45 referred." names its figure; a flag's words do not
        out.append(words if words.startswith(f"{what}:") else f"{what}: {count(figure)}. {words}")
    return tuple(out)
