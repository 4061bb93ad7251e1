"""Errors and warnings raised by the library.

Every error a user can cause derives from :class:`SufficiencyError`; the CLI turns
it into one clear message and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import PureWindowsPath
from typing import Any, Literal, TypeVar, cast

from sufficiency.plurals import numbered

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in an input file.

    Attributes
    ----------
    file
        The file (or folder) the problem was found in, as the user named it.
    row
        Row number as a spreadsheet shows it (the header is row 1), or ``None``
        when the problem concerns the whole file or a whole column.
    column
        Column name as written in the file, or ``None``.
    value
        The offending value, or ``None``. Never a child's personal details
        beyond their ID: in a table about children (``TableSchema.child_id``)
        any other column's value is its shape (``99/99/9999``,
        :mod:`sufficiency.io.shape`), as are dates of birth and postcodes anywhere.
    message
        One sentence saying what is wrong and, where it helps, what to do.
    severity
        ``"error"`` (the input cannot be used) or ``"warning"`` (suspicious but
        usable).
    code
        A short stable identifier for the kind of problem, for machines.
    action
        What an analytic command did about it (``"episode set aside"``), when it ran
        on the data anyway; empty for problems only reported.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: Severity = "error"
    code: str = "invalid"
    action: str = ""

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.row if self.row is not None else 0, self.column or "", self.code)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def describe(self, *, file_named: bool = False) -> str:
        """Where in its file and what: ``row 5, column dob: ...``. ``file_named``: the
        caller says the file before it, so a problem of the whole file is not given its
        name again as its subject (:meth:`sentence`)."""
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        loc = ", ".join(where)
        value = f" (value {self.value!r})" if self.value not in (None, "") else ""
        prefix = f"{loc}: " if loc else ""
        return f"{prefix}{self.message if file_named else self.sentence()}{value}"

    def sentence(self) -> str:
        """The message as a sentence: a problem of a whole file is written as what the
        file is or does ("has 2 sheets that read as ..."), and is said with the file's
        name as its subject ("referrals.xlsx has 2 sheets ..."); a message that is a
        sentence already ("no 903 header table found") is said as written."""
        if self.row is not None or self.column or not _is_predicate(self.message):
            return self.message
        return f"{file_names(self.file)} {self.message}"


#: The first words of a message written as a predicate of its file ("is not a 903 table",
#: "are 2 episodes tables for 2025-26", "cannot be read"), said after the file's name.
_PREDICATE = re.compile(
    r"(is|are|has|have|holds|writes|was|were|does|do|changed|unpacks|cannot be|"
    r"could not be|can only be)\b"
)


def _is_predicate(message: str) -> bool:
    return _PREDICATE.match(message) is not None


def file_names(file: str) -> str:
    """The names of the files a problem is in (``Problem.file``, paths joined by ", "),
    without their folders (after / or \\), as the subject of a sentence:
    ``episodes (1).csv and episodes.csv``. Files of the same name are told apart by
    their folders, from the one holding them all: ``2025/episodes.csv and
    2025/old/episodes.csv``, not ``episodes.csv and episodes.csv``."""
    files = file.split(", ")
    names = [PureWindowsPath(f).name or f for f in files]
    if len(set(names)) < len(names):
        names = _told_apart(files)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _told_apart(files: list[str]) -> list[str]:
    """Each of ``files`` from the folder above the one they share (its name said too)."""
    parts = [PureWindowsPath(f).parts for f in files]
    shared = 0
    while all(len(p) > shared + 1 and p[shared] == parts[0][shared] for p in parts):
        shared += 1
    sep = "\\" if all("\\" in f and "/" not in f for f in files) else "/"
    return [sep.join(p[max(shared - 1, 0) :]) for p in parts]


class SufficiencyError(Exception):
    """Base class for every error the user can cause or fix."""


class ConfigError(SufficiencyError):
    """A configuration file or option is invalid."""

    @classmethod
    def wrong_kind(cls, name: str, expected: str, value: object) -> ConfigError:
        """The error for the option ``name`` given a value that is none of ``expected``:
        ``history: expected the 903 folder (a path) or an SSDA903History, not DataFrame.``"""
        return cls(f"{name}: expected {expected}, not {type(value).__name__}.")

    @classmethod
    def check_flag(cls, name: str, value: object) -> None:
        """Refuse a ``value`` for the option ``name`` that is not True or False (Python's,
        or NumPy's): the text "no" was taken as True."""
        if type(value).__name__ not in ("bool", "bool_"):
            raise cls.wrong_kind(name, "True or False", value)

    @classmethod
    def check_kind(cls, name: str, value: object, kind: Any, expected: str) -> None:
        """Refuse a ``value`` for the option ``name`` that is neither ``None`` (left out)
        nor a ``kind`` (a type or a tuple of them); True or False is not a number."""
        if value is not None and (isinstance(value, bool) or not isinstance(value, kind)):
            raise cls.wrong_kind(name, expected, value)

    @classmethod
    def check_run_options(cls, strict: object, **callbacks: object) -> None:
        """Refuse, before a job starts, a ``strict`` that is not True or False (the text
        "no" was taken as True) and a callback that cannot be called: ``progress=True``,
        asking for a progress bar, was "TypeError: 'bool' object is not callable" once
        the job had begun."""
        cls.check_flag("strict", strict)
        for name, value in callbacks.items():
            if value is not None and not callable(value):
                raise cls.wrong_kind(name, "a function to call as the job goes (print will "
                                     "do)", value)  # fmt: skip


class SolverError(SufficiencyError):
    """An optimisation solver failed or is not installed."""


class InputDataError(SufficiencyError):
    """One or more input files cannot be used; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(problems, key=Problem.sort_key)
        super().__init__(format_problems(self.problems))


#: More rows than this with one problem (the same file, column, kind and sentence) are
#: said on one line listing the rows, not a line a row: a real 903 return can have a
#: check fail on thousands of rows (a UPN's check letter, postcodes newer than the
#: directory), and 12,000 lines of one sentence hid the few errors among them.
ROWS_ON_ONE_LINE = 10

#: How many rows or runs of rows a grouped line names before "and N more".
ROWS_NAMED = 12


def format_problems(problems: Sequence[Problem]) -> str:
    """Render problems grouped by file, one line each; a problem on more than
    :data:`ROWS_ON_ONE_LINE` rows of a file's column is one line naming its rows."""
    lines: list[str] = []
    current: str | None = None
    ordered = sorted(problems, key=Problem.sort_key)
    groups = _row_groups(ordered)
    said: set[tuple[object, ...]] = set()
    for p in ordered:
        if p.file != current:
            current = p.file
            n_err = sum(1 for q in problems if q.file == p.file and q.severity == "error")
            n_warn = sum(1 for q in problems if q.file == p.file and q.severity == "warning")
            lines.append(
                f"{p.file}: {numbered(n_err, 'error(s)')}, {numbered(n_warn, 'warning(s)')}"
            )
        key = _same_problem(p)
        group = groups.get(key, []) if p.row is not None else []
        if len(group) <= ROWS_ON_ONE_LINE:
            lines.append(f"  {p.severity.upper()}: {p.describe()}")
        elif key not in said:
            said.add(key)
            lines.append(f"  {p.severity.upper()}: {_describe_rows(group)}")
    return "\n".join(lines)


def said_by_rows(problems: Sequence[Problem]) -> bool:
    """Whether :func:`format_problems` says some problem once for many rows."""
    return any(len(g) > ROWS_ON_ONE_LINE for g in _row_groups(problems).values())


def _row_groups(problems: Sequence[Problem]) -> dict[tuple[object, ...], list[Problem]]:
    """The problems at a row, by what makes them one problem (:func:`_same_problem`)."""
    groups: dict[tuple[object, ...], list[Problem]] = {}
    for p in problems:
        if p.row is not None:
            groups.setdefault(_same_problem(p), []).append(p)
    return groups


#: A word holding a digit (a child's ID, a date, a count): a sentence that differs from
#: row to row only in such words ("the same child as 00123") is one problem, said once.
_ROW_DETAIL = re.compile(r"[\w.,/-]*\d[\w.,/-]*")


def _same_problem(p: Problem) -> tuple[object, ...]:
    return (p.file, p.severity, p.column, p.code, _ROW_DETAIL.sub("#", p.message),
            _ROW_DETAIL.sub("#", p.action))  # fmt: skip


def _group_message(group: Sequence[Problem]) -> str:
    """The sentence of one problem on many rows: as written when every row has the same;
    else what they share (up to its last ": "), then the first row's own detail as an
    example (``...drops them); for example row 2: the same child as 00123``)."""
    first = group[0]
    if all(q.message == first.message for q in group):
        return first.message
    shared = first.message
    for q in group:
        n = 0
        while n < min(len(shared), len(q.message)) and shared[n] == q.message[n]:
            n += 1
        shared = shared[:n]
    cut = shared.rfind(": ")
    if cut <= 0:
        return f"for example row {first.row}: {first.message}"
    return f"{first.message[:cut]}; for example row {first.row}: {first.message[cut + 2 :]}"


def _describe_rows(group: Sequence[Problem]) -> str:
    """One problem on many rows: ``rows 3-15, 18 and 20-25 (1,204 rows), column X: the
    sentence (values 'AA99 9AA' and 'AA9 9AA')``, the first :data:`ROWS_NAMED` runs of
    rows named and the rest counted."""
    rows = sorted({int(p.row) for p in group if p.row is not None})
    runs: list[str] = []
    start = prev = rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        if r is not None:
            start = prev = r
    more = len(runs) - ROWS_NAMED
    named = ", ".join(runs[:ROWS_NAMED]) + (
        f" and {numbered(more, 'more run(s)')} of rows" if more > 0 else ""
    )
    p = group[0]
    column = f", column {p.column}" if p.column else ""
    values = sorted({str(q.value) for q in group if q.value not in (None, "")})
    shown = ", ".join(repr(v) for v in values[:3]) + (
        f" and {numbered(len(values) - 3, 'other(s)')}" if len(values) > 3 else ""
    )
    value = f" (values {shown})" if len(values) > 1 else f" (value {shown})" if values else ""
    return f"rows {named} ({len(rows):,} rows){column}: {_group_message(group)}{value}"


class DataWarning(UserWarning):
    """Input data is usable but suspicious; check the named rows before relying on results."""


class RepairWarning(DataWarning):
    """Reading an input repaired or set aside rows: said to Python callers, who would
    otherwise be told nothing; the commands print the findings themselves instead."""


class StoreError(SufficiencyError):
    """The run store cannot be opened or used."""


@contextlib.contextmanager
def notes_not_errors() -> Iterator[None]:
    """Inside the block, a :class:`DataWarning` the caller's warning filters would raise
    as an error (``warnings.simplefilter("error")``, ``python -W error``, a test suite's
    ``filterwarnings = error``) is shown instead, once, as Python shows a warning by
    default: it is a note on the data for the reader, kept on the job's result
    (``notes``, ``quality``), not a fault in the caller's code, and a job stopped by it
    after its work gave no result at all. Filters that show or ignore data warnings are
    left as they are, and every other warning meets the caller's filters unchanged."""
    with warnings.catch_warnings():
        kept = list(warnings.filters)
        softened = [
            soft
            for action, message, category, module, lineno in kept
            for soft in _softened(action, message, category, module, lineno)
        ]
        if softened != kept:
            cast(list[Any], warnings.filters)[:] = softened  # patterns as given (some text)
            # a filter appended that changes nothing (a data warning no filter names is
            # shown by default) tells the warnings module its filters changed
            warnings.filterwarnings("default", category=DataWarning, append=True)
        yield


def _softened(action: str, message: Any, category: Any, module: Any,
              lineno: int) -> list[tuple[str, Any, Any, Any, int]]:  # fmt: skip
    """One warning filter as :func:`notes_not_errors` applies it: an ``error`` that a data
    warning meets is ``default`` for data warnings (and still ``error`` for the rest)."""
    given = (action, message, category, module, lineno)
    if action != "error" or not isinstance(category, type):
        return [given]
    if issubclass(category, DataWarning):
        return [("default", message, category, module, lineno)]
    if issubclass(DataWarning, category):
        return [("default", message, DataWarning, module, lineno), given]
    return [given]


F = TypeVar("F", bound=Callable[..., Any])


def notes_said_not_raised(func: F) -> F:
    """``func`` run inside :func:`notes_not_errors` (a public job's, or a result's
    ``write``)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with notes_not_errors():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
