"""Validate any mix of input files at once: 903 history, referrals, placement register."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from sufficiency.errors import (
    ROWS_ON_ONE_LINE,
    InputDataError,
    Problem,
    format_problems,
    said_by_rows,
)
from sufficiency.io.child_column import near_table
from sufficiency.io.decisions import DECISIONS, load_decisions
from sufficiency.io.inputs import PLACEMENTS, REFERRALS, load_placements
from sufficiency.io.referrals_check import check_referrals
from sufficiency.io.ssda903 import detect_table, load_ssda903
from sufficiency.io.tables import read_tables
from sufficiency.plurals import numbered


@dataclass(frozen=True)
class ValidationReport:
    """Every problem found in the checked inputs."""

    checked: tuple[tuple[str, str], ...]  # (path, what it was read as)
    problems: tuple[Problem, ...]
    #: The child IDs the inputs hold (a problem may quote one in any column), for
    #: pseudonymising the report; never written out.
    child_ids: frozenset[str] = field(default=frozenset(), repr=False)

    @property
    def num_errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def num_warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def ok(self) -> bool:
        return self.num_errors == 0

    def to_text(self) -> str:
        lines = [f"{path}: read as {kind}" for path, kind in self.checked]
        if self.problems:
            lines += ["", format_problems(self.problems)]
        lines += [
            "",
            f"Checked {numbered(len(self.checked), 'input(s)')}: "
            f"{numbered(self.num_errors, 'error(s)')}, "
            f"{numbered(self.num_warnings, 'warning(s)')}.",
        ]
        if said_by_rows(self.problems):
            lines.append(
                f"A problem found on more than {ROWS_ON_ONE_LINE} rows of a column is said "
                "once, naming its rows; `--format json` gives each row on its own."
            )
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps(
            {
                "checked": [{"path": p, "kind": k} for p, k in self.checked],
                "num_errors": self.num_errors,
                "num_warnings": self.num_warnings,
                "problems": [p.to_dict() for p in self.problems],
            },
            indent=2,
        )


def classify(path: Path) -> str:
    """What an input file holds: ``903``, ``referrals``, ``decisions`` or ``placements``.

    Raises
    ------
    InputDataError
        The file cannot be read, or its columns fit none of the contracts.
    """
    tables = read_tables(path, allow_empty=True)
    cols = [c for t in tables for c in t.data.columns]
    if detect_table(cols) is not None or near_table(cols, detect_table) is not None:
        return "903"  # a 903 table but for its CHILD heading is read as one, to be named
    if REFERRALS.field_for("dob") and any(
        (f := REFERRALS.field_for(c)) is not None and f.name == "dob" for c in cols
    ):
        return "referrals"
    if any((f := DECISIONS.field_for(c)) is not None and f.name == "decision" for c in cols):
        return "decisions"
    if any((f := PLACEMENTS.field_for(c)) is not None and f.name == "placement_id" for c in cols):
        return "placements"
    raise InputDataError(
        [
            Problem(
                str(path), None, None, None,
                "cannot tell which input this is: a 903 table needs DfE columns (CHILD, "
                "DECOM...), referrals need child_id and dob, a placement register needs "
                "placement_id, team decisions need child_id, placement_id and decision",
                code="unknown_table",
            )
        ]
    )  # fmt: skip


def validate_paths(
    paths: list[Path],
    *,
    run_date: dt.date,
    default_responsible_la: str,
    harm_animals_excludes_pets: bool = True,
) -> ValidationReport:
    """Validate every path (folders are read as 903 histories) and collect all problems
    (``harm_animals_excludes_pets``: the configuration's rule 13, which a referral's
    warning describes)."""
    problems: list[Problem] = []
    checked: list[tuple[str, str]] = []
    history_paths: list[Path] = []
    child_ids: set[str] = set()
    for path in paths:
        if path.is_dir() or path.suffix.lower() in (".xml", ".zip"):  # XML: DfE's 903 return
            history_paths.append(path)
            continue
        try:
            kind = classify(path)
        except InputDataError as exc:
            problems += exc.problems
            checked.append((str(path), "unreadable"))
            continue
        if kind == "903":
            history_paths.append(path)
            continue
        checked.append((str(path), kind))
        try:
            if kind == "referrals":
                table, found = check_referrals(
                    path, default_responsible_la=default_responsible_la, run_date=run_date,
                    harm_animals_excludes_pets=harm_animals_excludes_pets,
                )  # fmt: skip
                child_ids |= set(table["child_id"].dropna().astype(str))
            elif kind == "decisions":
                table, found = load_decisions(path)
            else:
                table, found = load_placements(path)
            if kind in ("placements", "referrals") and table.empty:
                # a night with no referrals is normal, but an export that failed looks
                # the same: say so, so a file with nobody in it is not accepted unseen
                said = {"placements": ("no placements: nobody can be matched tonight",
                                       "empty_register"),
                        "referrals": ("no referrals: matching will propose nothing tonight "
                                      "(right only if no child needs a home)",
                                      "no_referrals")}[kind]  # fmt: skip
                found = [*found, Problem(str(path), None, None, None,
                                         f"has a header row but {said[0]}",
                                         severity="warning", code=said[1])]  # fmt: skip
        except InputDataError as exc:
            found = exc.problems
        problems += found
    if history_paths:
        history, found = load_ssda903(history_paths)
        problems += found
        label = "903 history"
        if history is not None:
            label += f" (collection years ending {', '.join(map(str, history.years))})"
            for t in (history.header, history.episodes):
                child_ids |= set(t["CHILD"].dropna().astype(str))
        checked += [(str(p), label) for p in history_paths]
        if history is not None and history.quality is not None:
            checked += [(src, f"903 {name} table: present, not used")
                        for src, name in history.quality.not_used]  # fmt: skip
    return ValidationReport(tuple(checked), tuple(sorted(problems, key=Problem.sort_key)),
                            frozenset(child_ids))  # fmt: skip
