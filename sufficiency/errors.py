"""Errors and warnings raised by the library.

Every error a user can cause derives from :class:`SufficiencyError`; the CLI turns
it into one clear message and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

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

    def describe(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        loc = ", ".join(where)
        value = f" (value {self.value!r})" if self.value not in (None, "") else ""
        prefix = f"{loc}: " if loc else ""
        return f"{prefix}{self.message}{value}"


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
    def check_run_options(cls, strict: object, **callbacks: object) -> None:
        """Refuse, before a job starts, a ``strict`` that is not True or False (the text
        "no" was taken as True) and a callback that cannot be called: ``progress=True``,
        asking for a progress bar, was "TypeError: 'bool' object is not callable" once
        the job had begun."""
        if type(strict).__name__ not in ("bool", "bool_"):  # Python's, or NumPy's
            raise cls.wrong_kind("strict", "True or False", strict)
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


def format_problems(problems: Sequence[Problem]) -> str:
    """Render problems grouped by file, one line each."""
    lines: list[str] = []
    current: str | None = None
    for p in sorted(problems, key=Problem.sort_key):
        if p.file != current:
            current = p.file
            n_err = sum(1 for q in problems if q.file == p.file and q.severity == "error")
            n_warn = sum(1 for q in problems if q.file == p.file and q.severity == "warning")
            lines.append(f"{p.file}: {n_err:,} error(s), {n_warn:,} warning(s)")
        lines.append(f"  {p.severity.upper()}: {p.describe()}")
    return "\n".join(lines)


class DataWarning(UserWarning):
    """Input data is usable but suspicious; check the named rows before relying on results."""


class RepairWarning(DataWarning):
    """Reading an input repaired or set aside rows: said to Python callers, who would
    otherwise be told nothing; the commands print the findings themselves instead."""


class StoreError(SufficiencyError):
    """The run store cannot be opened or used."""
