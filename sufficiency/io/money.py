"""Money as a finance team writes it in a budget or cost sheet: ``£74m``, ``£1.2k``,
``11 000 000``.

A council's budget sheet, or a CSV saved from one, writes its figures as people read
them: ``£38.5m``, ``£1.2k``, and in some teams (and every French- or Nordic-set Excel)
with a space between thousands, ``11 000 000``, often a non-breaking one. Each was "not
a number", and every row of the sample's budget so written was set aside: the spend was
compared with no budget at all, its variance gone. These are now read in a money column
(the budget's figure, a cost file's weekly cost) and only there, so ``2.5m`` is never read
as £2.5 million where it may mean months or minutes. A figure read from a multiplier is
named in a note, row by row (``£74m`` read as £74,000,000): a ``k`` typed for an ``m``
is a thousandfold error no check can see.

Read: a pound sign and a sign before it or after it; ``k`` (thousand), ``m`` or ``mn``
(million), ``bn`` (billion), in either case, with or without a space before it; thousands
separated by commas, spaces, non-breaking or thin spaces (groups of three only: ``1 00``
is not read). Anything else is left as written, for the number check to name.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from sufficiency.errors import Problem
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable
from sufficiency.vocabulary import counted

#: Spaces Excel and people put between thousands: space, non-breaking, narrow non-breaking,
#: thin.
_SPACES = " \u00a0\u202f\u2009"
_FIGURE = (rf"\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:\.\d+)?"  # 11 000 000
           r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")  # fmt: skip
#: A figure as money is written: sign, pound sign, figure, multiplier.
MONEY = re.compile(
    rf"(?P<sign>[+-]?)[{_SPACES}]*£?[{_SPACES}]*(?P<sign2>[+-]?)(?P<figure>{_FIGURE})"
    rf"[{_SPACES}]*(?P<unit>k|m|mn|bn)?",
    re.IGNORECASE,
)
_UNITS = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}


def read_money(text: str) -> tuple[str, bool] | None:
    """``text`` as a plain figure (``74000000``) and whether a multiplier was read, when it
    is money written with a multiplier or spaces between thousands; ``None`` when it is
    not, or is a figure every number column already reads (``£1,234.50``)."""
    found = MONEY.fullmatch(text.strip(_SPACES + "\t"))
    if found is None or (found["sign"] and found["sign2"]):
        return None
    figure, unit = found["figure"], (found["unit"] or "").lower()
    spaced = any(c in figure for c in _SPACES)
    if not unit and not spaced:
        return None
    try:
        value = Decimal(re.sub(rf"[,{_SPACES}]", "", figure)) * _UNITS.get(unit, 1)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    plain = format(value.normalize(), "f")
    return f"{found['sign'] or found['sign2']}{plain}", bool(unit)


def read_money_cells(raw: RawTable, columns: tuple[str, ...]) -> dict[int, tuple[str, str, str]]:
    """Rewrite each money cell of ``columns`` (as the schema matches a column: any case,
    punctuation and a £ sign aside) written with a multiplier or spaces between thousands
    as its plain figure, in place; returns the spreadsheet rows whose figure was read from
    a multiplier, each with its column as the file names it, the figure as written and as
    read."""
    read: dict[int, tuple[str, str, str]] = {}
    keys = {column_key(c) for c in columns}
    for name in (c for c in raw.data.columns if column_key(str(c)) in keys):
        cells = raw.data[name].astype("string")
        for index, text in cells.dropna().items():
            got = read_money(str(text))
            if got is None:
                continue
            raw.data.at[index, name] = got[0]
            if got[1]:
                read[raw.row_number(int(str(index)))] = (raw.column_label(name), str(text), got[0])
    return read


def _pounds(figure: str) -> str:
    value = float(figure)
    return f"{'-' if value < 0 else ''}£{abs(value):,.2f}"


def said_of_money(
    raw: RawTable, read: dict[int, tuple[str, str, str]], shown: int = 6
) -> list[Problem]:
    """A warning per column naming the rows whose figure was read from a multiplier, as
    written and as read (the first ``shown``, and how many more)."""
    out = []
    for column in dict.fromkeys(c for c, _, _ in read.values()):
        rows = sorted(r for r, (c, _, _) in read.items() if c == column)
        said = [f"row {r} {read[r][1].strip()!r} as {_pounds(read[r][2])}"
                for r in rows[:shown]]  # fmt: skip
        more = f"; and {len(rows) - shown} more" if len(rows) > shown else ""
        message = (
            f"{counted(len(rows), 'figure')} written with a multiplier (k a thousand, m a "
            f"million) read as pounds: {'; '.join(said)}{more}. Check none was meant "
            "otherwise (a k typed for an m is a thousandfold error)"
        )
        out.append(Problem(raw.source, None, column, None, message, severity="warning",
                           code="money_multiplier"))  # fmt: skip
    return out
