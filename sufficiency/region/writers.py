"""The region's report: ``region.xlsx``, ``region.html`` and ``region.csv``, each atomic.

The workbook's first sheet is the summary (a title row, the headline sentences, the
members' table); then one sheet per table. Column headers are the plain words of
:mod:`sufficiency.vocabulary`. The HTML page extends the reports' ``base.html``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sufficiency import figures, vocabulary
from sufficiency.commissioning.pooled import saving_sentence
from sufficiency.io.atomic import atomic_write_text
from sufficiency.io.csv_text import csv_text
from sufficiency.io.xlsx import (
    narrow_to_page,
    page_ends,
    paragraphs,
    print_a4_landscape,
    print_across,
    save_workbook,
    wrapped_lines,
)
from sufficiency.io.xlsx_style import BOLD, COUNT, GBP, VARIANCE, WRAP
from sufficiency.region import csvrows
from sufficiency.region import plan_tables as plans
from sufficiency.region import report as tables
from sufficiency.region.specs import BASE_KEY

if TYPE_CHECKING:
    from sufficiency.region.run import RegionResult

#: The region's header fill, paler than the members' workbooks' (io/xlsx_style.py).
HEAD = PatternFill("solid", fgColor="E8EEF5")


def headline(result: RegionResult) -> list[str]:
    """The region's headline in plain sentences."""
    members = tables.member_table(result)
    last = members.iloc[-1]
    ran = int(members["children_now"].iloc[:-1].notna().sum())
    lines = [
        f"{result.region.name}: {ran} of {len(result.region.members)} member authorities ran, "
        f"under {vocabulary.counted(len(result.scenarios), 'scenario')} (base first)."
    ]
    mixed = tables.mixed_dates_sentence(result)
    if mixed is not None:
        lines.append(mixed)
    elif ran:
        first = next(s for s in result.members if s.scenario == BASE_KEY)
        lines += [
            f"Children looked after on {tables.day(first.start)}: {last['children_now']:,.0f}; "
            f"forecast {last['children_forecast']:,.0f} on {tables.day(first.horizon_month)} "
            "(base case, members that ran).",
            _spans_sentence(result)
            or f"Projected placement spend in {last['financial_year']}: "
            f"{figures.money(last['spend_gbp'])}.",
        ]
    budget = tables.budget_sentence(result) if ran and mixed is None else None
    if budget is not None:
        lines.append(budget)
    if result.pooled is not None:
        said = saving_sentence(
            result.pooled.saving_gbp, "Pooling block contracts", "each member commissioning alone"
        )
        lines.append(f"{said} (expected cost)." if result.pooled.saving_gbp >= 0 else f"{said}.")
        out = plans.not_pooled_table(result)
        if len(out):  # the saving is of the members pooled, not the region's
            why = "; ".join(f"{r.authority}, {plans.NOT_POOLED[r.why]}"
                            for r in out.itertuples())  # fmt: skip
            lines.append(f"The pooled plan is of {len(result.pooled.rows) - 1} members, and "
                         f"its saving is theirs. Not in it (see Not in the pooled plan): "
                         f"{why}.")  # fmt: skip
        if result.pooled.proof:
            lines.append(result.pooled.proof)
        lines += result.pooled.worse_off
    cautions = tables.caution_table(result)
    if len(cautions):
        who = ", ".join(dict.fromkeys(cautions["authority"]))
        lines.append(
            f"Read with care: {vocabulary.counted(len(cautions), 'warning')} about members' "
            f"forecasts or data ({who}), each under its member's name in Read with care."
        )
    for f, runs in tables.failures_once(result):
        lines.append(f"Failed: {f.name} ({f.code}), {runs}: {f.reason}")
    return lines


def _spans_sentence(result: RegionResult) -> str | None:
    """When the members' histories end on the same day but their first-year spend covers
    different spans (a member with a budget has its in-year outturn, one without the
    forecast months alone): who has which, and why the region's total is blank."""
    mixed = tables.mixed_dates([s for s in result.members if s.scenario == BASE_KEY])
    if "start" in mixed or "financial_year" not in mixed:
        return None
    spans = "; ".join(f"{label}: {', '.join(names)}"
                      for label, names in mixed["financial_year"].items())  # fmt: skip
    return (
        f"The members' first-year spend covers different spans ({spans}): a member whose "
        "budget is set against its in-year outturn has the whole year's (spend to date plus "
        "the forecast), one without a budget the forecast months alone, so the region's "
        "spend, budget and variance are left blank. Each member's own is in its row."
    )


def _headers(frame: pd.DataFrame) -> list[str]:
    return [vocabulary.column(str(c)) for c in frame.columns]


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes in a table's cells in words: what changes, solver status, yes or no."""
    out = frame.copy()
    if "factor" in out:
        out["factor"] = out["factor"].map(lambda v: str(v)[:1].upper() + str(v)[1:])
    if "status" in out:  # a solver's code in words; a member's status is a sentence
        out["status"] = out["status"].map(lambda v: v if " " in str(v) else vocabulary.status(v))
    for col in out.columns:
        if _yes_or_no(out[col]):
            out[col] = out[col].map({True: "Yes", False: "No"})
    return out


def _yes_or_no(column: pd.Series) -> bool:
    """True/False, perhaps with a blank where there is none (a sensitivity case not
    tested, whose column pandas then holds as objects, not bools)."""
    if column.dtype == bool:
        return True
    given = column.dropna()
    return bool(len(given)) and all(isinstance(v, bool) for v in given)


#: A column of sentences (a warning, a reason, a status) is at most this wide, in
#: characters, the last column (a table's warning, reason or status), or ``TEXT_WIDTH[1]``
#: another; its cells wrap, each row as tall as its lines. At 14 characters and not
#: wrapped, a warning ran across the sheet and, printed one page wide, shrank every sheet
#: with one (Read with care, Failed, Not in the pooled plan) to unreadable.
TEXT_WIDTH = (60, 30)
#: The narrowest a column of text is made to fit a page (:func:`_widths`): the last (a
#: table's warning, reason or status), another (the runs), and the authority's name
#: (most English authorities' names whole; a longer one wraps).
NARROWEST = (40, 20)
NARROWEST_NAME = 24


def _width(frame: pd.DataFrame, j: int, col: object) -> int:
    """A column's width in characters: the code as wide as its longest (at least 10), the
    authority's name whole (up to 40), a column of text as wide as its longest value up to
    :data:`TEXT_WIDTH`, a sum of money 14 and any other figure 11 (its header wraps): at 14
    and 24 for the code, the Summary's sixteen columns took three pages across."""
    values = frame[col].dropna()
    longest = int(values.astype(str).str.len().max()) if len(values) else 0
    if col in ("code", "authority"):  # (the Pooled sensitivity's change was 24 wide)
        return int(min(max(10 if col == "code" else 24, longest + 2), 40))
    if _text(frame, col) and longest > 14:
        return min(longest + 2, TEXT_WIDTH[j < len(frame.columns)])
    name = str(col)
    money = name.endswith("_gbp") or "(£)" in name
    width = 14 if money or not pd.api.types.is_numeric_dtype(frame[col]) else 11
    # its header's words whole: at 11, "Supported accommodation" printed "accommoda" "tion"
    return max(width, max(len(w) for w in vocabulary.column(name).split()) + 2)


def _text(frame: pd.DataFrame, col: object) -> bool:
    values = frame[col].dropna()
    return bool(len(values)) and bool(values.map(lambda v: isinstance(v, str)).all())


def _widths(frame: pd.DataFrame) -> list[int]:
    """Each column's width (:func:`_width`), the columns of text (after the code; their
    cells wrap) narrowed, the widest first, to :data:`NARROWEST`, until the table fits an
    A4 landscape page at full size: printed one page wide, Read with care (139 characters),
    Failed (146) and the Sensitivity, Members' plans and Placement mix sheets shrank to
    65-80%. A table of figures still too wide prints on pages across
    (:func:`~sufficiency.io.xlsx.print_across`)."""
    widths = [_width(frame, j, c) for j, c in enumerate(frame.columns, start=1)]
    last = len(widths) - 1
    least = {k: NARROWEST_NAME if k == 1 else NARROWEST[k < last]
             for k, c in enumerate(frame.columns) if k > 0 and _text(frame, c)}  # fmt: skip
    return narrow_to_page(widths, least)


def _sheet(
    wb: Workbook, title: str, frame: pd.DataFrame, first_row: int = 1,
    note: str | tuple[str, ...] = "", keep: int = 2,
) -> None:  # fmt: skip
    """``frame`` as a table from ``first_row``, with ``note`` (if any; a row each) under it,
    printed on A4 landscape one page wide, or at full size on as many pages across as its
    figures need (:func:`~sufficiency.io.xlsx.print_across`), its first ``keep`` columns
    on each, the note then above the table, with the rows above it (the Summary's
    headline)."""
    ws = wb[title] if title in wb.sheetnames else wb.create_sheet(title)
    if frame.empty:
        ws.cell(row=first_row, column=1, value="Nothing to show.")
        # printed as every other sheet (A4 landscape, its name and page in the footer):
        # with no page setup it printed portrait, its page saying neither
        print_a4_landscape(ws)
        return
    frame = _readable(frame)
    widths = _widths(frame)
    ends = page_ends(widths, keep)
    notes = [line for line in ((note,) if isinstance(note, str) else note) if line]
    above = first_row > 1  # the caller's rows above the table (the Summary's headline)
    if len(ends) > 1 and notes and not above:
        # printed across, a note under the table came on a page of its own under the
        # table's header row repeated over nothing; above it, in a print area of its own
        # (as the Summary's, with its headline), it was a page alone too (Placement mix
        # forecast): above the table beside its repeated columns, on the first page
        noted = {first_row + i: line for i, line in enumerate(notes)}
        paragraphs(ws, noted, widths[keep : ends[0]], first=keep + 1)
        first_row += len(notes) + 1
    elif len(ends) > 1 and notes:
        # with the rows above the table (the Summary's headline), printed with them
        paragraphs(ws, {first_row + i: line for i, line in enumerate(notes)}, widths[: ends[0]])
        first_row += len(notes) + 1
    else:
        below = first_row + len(frame) + 2
        paragraphs(ws, {below + i: line for i, line in enumerate(notes)}, widths)
    tallest = 1
    for j, h in enumerate(_headers(frame), start=1):
        cell = ws.cell(row=first_row, column=j, value=h)
        cell.font, cell.fill = BOLD, HEAD
        cell.alignment = WRAP
        ws.column_dimensions[get_column_letter(j)].width = widths[j - 1]
        tallest = max(tallest, wrapped_lines(h, widths[j - 1], bold=True))
    # a wrapped header's row must be set tall: spreadsheets do not grow rows on opening
    ws.row_dimensions[first_row].height = 15 * tallest + 3
    whole = {
        c for c in frame.columns
        if pd.api.types.is_float_dtype(frame[c]) and (frame[c].dropna() % 1 == 0).all()
    }  # fmt: skip
    # a column of short words (Yes or No, 2026-27) centred: left-aligned after a figure
    # aligned right, it printed as one, "49.02026-27", "8.5Yes"
    short = {c for j, c in enumerate(frame.columns) if j > 1 and _text(frame, c)
             and frame[c].dropna().str.len().max() <= 14}  # fmt: skip
    middle = Alignment(wrap_text=True, vertical="top", horizontal="center")
    for i, values in enumerate(frame.itertuples(index=False), start=first_row + 1):
        # a row as tall as its longest text wrapped (spreadsheets do not grow rows)
        lines = max(wrapped_lines(v, w) if isinstance(v, str) else 1
                    for v, w in zip(values, widths, strict=True))  # fmt: skip
        if lines > 1:
            ws.row_dimensions[i].height = 15 * lines + 3
        for j, (col, v) in enumerate(zip(frame.columns, values, strict=True), start=1):
            cell = ws.cell(row=i, column=j, value=_value(v))
            cell.alignment = middle if col in short else WRAP
            name = str(col)
            if name == "saving_pct":
                cell.number_format = "0.0%"
            elif name == "change":
                cell.number_format = "+0%;-0%;0%"
            elif name == "gap":
                cell.number_format = "0.000%"
            elif name.endswith("variance_gbp") or tables.VARIANCE_LABEL in name:
                cell.number_format = VARIANCE
            elif name.endswith("_gbp") or "(£)" in name:
                cell.number_format = GBP
            elif isinstance(cell.value, float):
                cell.number_format = COUNT if col in whole else "#,##0.0"
    ws.freeze_panes = ws.cell(row=first_row + 1, column=keep + 1)
    ws.print_title_rows = f"{first_row}:{first_row}"
    print_across(ws, widths, keep)
    if len(ends) > 1 and above:
        # the rows above the table (a headline, notes) printed apart from it, on the
        # first page's columns: in the print area of the pages across, the columns
        # repeated on each (code, authority) showed their first words cut off on every page
        last, end = get_column_letter(len(widths)), get_column_letter(ends[0])
        ws.print_area = [f"A1:{end}{first_row - 1}", f"A{first_row}:{last}{first_row + len(frame)}"]


def _value(v: Any) -> Any:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return None
    return v.item() if hasattr(v, "item") else v


def write_workbook(result: RegionResult, path: Path) -> Path:
    """``region.xlsx``: Summary, Placement mix, Scenarios, Pooled plan, Not in the pooled
    plan, Pooled sensitivity, Members' plans, Sensitivity, Failed, Seeds."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws["A1"] = f"Region: {result.region.name}"
    ws["A1"].font = Font(name="Calibri", bold=True, size=14)
    lines = headline(result)
    rounded = tables.ROUNDING_NOTE
    members = _members(result)
    _sheet(wb, "Summary", members, first_row=len(lines) + 3, note=(rounded, tables.BACKTEST_NOTE))
    widths = _widths(_readable(members))
    paragraphs(ws, dict(enumerate(lines, start=2)), widths[: page_ends(widths)[0]])
    _sheet(wb, "Read with care", tables.caution_table(result))
    mix_now, mix_later = tables.mix_table(result, "now"), tables.mix_table(result, "forecast")
    _sheet(wb, "Placement mix now", _words(mix_now))
    _sheet(wb, "Placement mix forecast", _words(mix_later), note=rounded)
    _sheet(wb, "Scenarios", tables.scenario_table(result), note=rounded)
    _sheet(wb, "Pooled plan", plans.pooled_table(result), note=rounded)
    _sheet(wb, "Not in the pooled plan", _not_pooled(result))
    _sheet(wb, "Pooled sensitivity", plans.pooled_sensitivity_table(result))
    _sheet(wb, "Members' plans", plans.commission_table(result))
    # each page across says whose row and which change it is (code, factor, change)
    _sheet(wb, "Sensitivity", plans.sensitivity_table(result), keep=3)
    _sheet(wb, "Failed", tables.failure_table(result))
    _sheet(wb, "Seeds", tables.seed_table(result))
    return save_workbook(wb, path)


def _members(result: RegionResult) -> pd.DataFrame:
    """The members table for people: its placements column says the months it covers
    when the forecast runs fewer than twelve."""
    frame = tables.member_table(result)
    header = tables.starts_header(result)
    if header == vocabulary.column("starts_first_year"):
        return frame
    return frame.rename(columns={"starts_first_year": header})


def _not_pooled(result: RegionResult) -> pd.DataFrame:
    """The members not in the pooled plan, with the reason in words (the key is
    ``region.csv``'s)."""
    return plans.not_pooled_table(result).drop(columns="why")


def _words(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(
        columns={c: vocabulary.category(c) for c in frame.columns if c not in ("code", "authority")}
    )


def render_html(result: RegionResult) -> str:
    """``region.html`` from ``pages/templates/region.html``."""
    from sufficiency.pages import render_page
    from sufficiency.pages.render import change_percent, count, gap_percent, gbp, percent

    money = {
        c: gbp
        for c in (
            "spend_gbp",
            "budget_gbp",
            "budget_variance_gbp",
            "alone_cost_gbp",
            "pooled_share_gbp",
            "equal_saving_share_gbp",
            "transfer_gbp",
            "saving_gbp",
            "plan_cost_gbp",
            "status_quo_cost_gbp",
            "pooled_cost_gbp",
        )
    }
    counts = {
        c: count
        for c in (
            "children_now",
            "children_forecast",
            "children_forecast_p10",
            "children_forecast_p90",
            "starts_first_year",
            tables.starts_header(result),
        )
    }
    mix_now = _words(tables.mix_table(result, "now"))
    mix_forecast = _words(tables.mix_table(result, "forecast"))
    whole = {c: count for c in mix_now.columns if c not in ("code", "authority")}
    scenarios = tables.scenario_table(result)
    side = {c: gbp if "(£)" in c else count for c in scenarios.columns[2:]}
    return render_page(
        "region.html",
        whole=whole,
        members_formats={**money, **counts},
        money=money,
        share={**money, "saving_pct": percent, "change": change_percent, "gap": gap_percent},
        title=f"Region: {result.region.name}",
        headline=headline(result),
        members=_members(result),
        mix_now=mix_now,
        mix_forecast=mix_forecast,
        scenarios=scenarios,
        side=side,
        pooled=plans.pooled_table(result),
        not_pooled=_not_pooled(result),
        pooled_sensitivity=_readable(plans.pooled_sensitivity_table(result)),
        plans=plans.commission_table(result),
        failures=tables.failure_table(result),
        cautions=tables.caution_table(result),
        seeds=tables.seed_table(result),
        rounding=tables.ROUNDING_NOTE,
        backtest=tables.BACKTEST_NOTE,
    )


def write_region(result: RegionResult, out_dir: Path) -> list[Path]:
    """Write ``region.csv``, ``region.xlsx`` and ``region.html`` into ``out_dir``."""
    csv = csv_text(csvrows.long_table(result), "%.4f")
    return [
        atomic_write_text(out_dir / "region.csv", csv),
        write_workbook(result, out_dir / "region.xlsx"),
        atomic_write_text(out_dir / "region.html", render_html(result)),
    ]
