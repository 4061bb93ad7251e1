"""The forecast and backtest commands: outputs, determinism, clear errors."""

from __future__ import annotations

import html
import re
from pathlib import Path

import openpyxl
import pandas as pd
from click.testing import CliRunner

from sufficiency.commands.forecast import backtest, forecast

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
QUICK = ["--paths", "60", "--horizon-months", "6", "--seed", "9"]


def _run(cmd, args: list[str]):
    return CliRunner().invoke(cmd, args, catch_exceptions=False)


def test_forecast_writes_every_output(csv_authority: Path, tmp_path: Path):
    """CSV tables, the workbook with its ten sheets and charts, the HTML page and the
    data-quality record."""
    out = tmp_path / "out"
    args = ["--history", str(csv_authority), "--out", str(out), *QUICK]
    args += ["--supply", str(SAMPLE / "supply.toml")]
    args += ["--scenario", str(SAMPLE / "scenarios" / "entries_up_20.toml")]
    result = _run(forecast, args)
    assert result.exit_code == 0, result.output
    for name in ("demand.csv", "starts.csv", "shortfall.csv", "purchases.csv", "forecast.html",
                 "data_quality.csv"):  # fmt: skip
        assert (out / name).exists()
    demand = pd.read_csv(out / "demand.csv")
    assert list(demand.columns) == ["month", "category", "age_band", "mean", "p10", "p50", "p90"]
    assert {"all"} <= set(demand["category"]) and {"all"} <= set(demand["age_band"])
    wb = openpyxl.load_workbook(out / "forecast.xlsx")
    assert wb.sheetnames == [
        "Summary", "Charts", "Demand by category", "Demand by age band", "Placement starts",
        "Supply vs demand", "Shortfall", "External purchases", "Assumptions", "Data quality",
    ]  # fmt: skip
    assert len(wb["Charts"]._charts) >= 4
    page = (out / "forecast.html").read_text(encoding="utf-8")
    assert (
        "<svg" in page
        and "<script" not in page
        and not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing fetched from elsewhere
    )
    assert not list(out.glob(".*.tmp"))


def test_forecast_cli_is_deterministic(csv_authority: Path, tmp_path: Path):
    """Same seed, same bytes in demand.csv and starts.csv."""
    outs = []
    for i in range(2):
        out = tmp_path / f"o{i}"
        assert (
            _run(forecast, ["--history", str(csv_authority), "--out", str(out), *QUICK]).exit_code
            == 0
        )
        outs.append(out)
    for name in ("demand.csv", "starts.csv"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()


def test_forecast_raises_on_start_outside_data(csv_authority: Path, tmp_path: Path):
    """A start date after the history is one clear error line, exit code 1."""
    args = ["--history", str(csv_authority), "--out", str(tmp_path), "--start", "2030-01-31"]
    result = _run(forecast, args + QUICK)
    assert result.exit_code == 1
    assert "Error: The start date 31 January 2030 is outside the 903 history" in result.output
    assert "Traceback" not in result.output


def test_forecast_raises_on_under_a_year_of_history(csv_authority: Path, tmp_path: Path):
    """Starting three months into the data is refused with a reason."""
    args = ["--history", str(csv_authority), "--out", str(tmp_path), "--start", "2023-06-30"]
    result = _run(forecast, args + QUICK)
    assert result.exit_code == 1
    assert "needs at least a year" in result.output


def test_forecast_notes_a_category_with_no_history(csv_authority: Path, tmp_path: Path):
    """No secure placements in the data: not a failure, a line of the assumptions; and a
    warning only as some simulated futures move children there (here 2 of 60), saying how
    many (it was said on every run, whether or not any child went there)."""
    result = _run(forecast, ["--history", str(csv_authority), "--out", str(tmp_path), *QUICK])
    assert result.exit_code == 0
    assert re.search(
        r"Warning: No child was in secure children's homes during the reference window, but "
        r"children moved there in [1-9]\d* of 60 simulated futures \([1-9]",
        result.output,
    ), result.output
    assumptions = pd.read_csv(tmp_path / "assumptions.csv")
    said = dict(zip(assumptions["item"], assumptions["value"], strict=True))
    assert said["No child in the reference window"].startswith("Secure children's homes: ")


def test_forecast_raises_on_bad_scenario(csv_authority: Path, tmp_path: Path):
    """An unknown category in a scenario file is a one-line error."""
    bad = tmp_path / "bad.toml"
    bad.write_text('[[shift]]\nfrom = "ifa"\nto = "in_house_foster"\nfraction = 0.2\n')
    args = ["--history", str(csv_authority), "--out", str(tmp_path), "--scenario", str(bad)]
    result = _run(forecast, args + QUICK)
    assert result.exit_code == 1
    assert "unknown category 'ifa'" in result.output


def test_backtest_command_prints_and_writes_table(csv_authority: Path, tmp_path: Path):
    """backtest writes its three CSVs and prints the summary by horizon."""
    args = ["--history", str(csv_authority), "--cutoff", "2025-03-31", "--out", str(tmp_path)]
    result = _run(backtest, [*args, "--paths", "60"])
    assert result.exit_code == 0, result.output
    assert "persistence" in result.output and "stock_flow" in result.output
    table = pd.read_csv(tmp_path / "backtest.csv")
    assert set(table["horizon_months"]) == {3, 6, 12}


def test_backtest_command_raises_on_cutoff_outside_data(csv_authority: Path, tmp_path: Path):
    """A cutoff before the first return is a clear error, exit code 1."""
    args = ["--history", str(csv_authority), "--cutoff", "2019-03-31", "--out", str(tmp_path)]
    result = _run(backtest, args)
    assert result.exit_code == 1
    assert "Error: The cutoff 31 March 2019 is outside the 903 history" in result.output


def test_forecast_sentences_give_dates_day_first(csv_authority: Path, tmp_path: Path):
    """The headline, warnings and quality lines all write dates DD/MM/YYYY (the CSVs keep
    ISO): the headline gave 2026-03-31 under a quality line's 31/03/2026."""
    args = ["--history", str(csv_authority), "--out", str(tmp_path / "out"), *QUICK]
    result = _run(forecast, [*args, "--start", "2024-12-31"])
    assert result.exit_code == 0, result.output
    sentences = [line for line in result.output.splitlines() if not line.startswith("Wrote ")]
    assert not [s for s in sentences if re.search(r"\d{4}-\d{2}-\d{2}", s)], result.output
    assert re.search(r"^Children looked after on 31 December 2024: \d+; on 30 June 2025: ",
                     result.output, re.M), result.output  # fmt: skip
    assert "Only 1.8 years of history before 31 December 2024" in result.output
    # the assumptions people read (page and workbook) too; assumptions.csv keeps ISO
    out = tmp_path / "out"
    assert "Forecast start,2024-12-31" in (out / "assumptions.csv").read_text(encoding="utf-8")
    page = (out / "forecast.html").read_text(encoding="utf-8")
    assert "Forecast start</th><td>31 December 2024</td>" in page
    from openpyxl import load_workbook

    sheet = load_workbook(out / "forecast.xlsx")["Assumptions"]
    values = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Forecast start"] == "31 December 2024"
    assert not [v for v in values.values() if re.search(r"\d{4}-\d{2}-\d{2}", str(v))]


def test_a_large_authority_s_headline_has_thousands_separators():
    """Kent's size: the console's last line said '2617; on 31/03/2029: 2605 on average (P10
    2421, P90 2792)' under the data-quality line's '2,617'."""
    from sufficiency.forecast.report import ForecastReport

    demand = pd.DataFrame({
        "month": ["2026-03-31", "2029-03-31"], "category": "all", "age_band": "all",
        "mean": [2617.0, 2605.2], "p10": [2617.0, 2421.0], "p50": [2617.0, 2604.0],
        "p90": [2617.0, 2792.0],
    })  # fmt: skip
    empty = pd.DataFrame()
    report = ForecastReport(base=None, demand=demand, starts=empty, assumptions=empty)  # type: ignore[arg-type]
    assert report.headline == (
        "Children looked after on 31 March 2026: 2,617; on 31 March 2029: 2,604 middle "
        "forecast (P50; 8 in 10 futures between 2,421 and 2,792)."
    )


def test_a_history_over_a_year_before_the_run_date_is_said(csv_authority: Path, tmp_path: Path):
    """A scheduled forecast left on last year's 903 return (data to 31/03/2025, run on
    1 June 2026) gave its months already past as a forecast and the count on 31/03/2025
    as 'now', with no word: said on the console and under Read with care."""

    def run(day: str, out: Path):
        args = ["--history", str(csv_authority), "--out", str(out), *QUICK,
                "--start", "2025-03-31", "--date", day]  # fmt: skip
        result = _run(forecast, args)
        assert result.exit_code == 0, result.output
        return result.output, pd.read_csv(out / "assumptions.csv")

    said, table = run("2026-03-31", tmp_path / "in_time")
    assert "more than a year before" not in said
    assert not table["value"].astype(str).str.contains("more than a year before").any()
    said, table = run("2026-06-01", tmp_path / "late")
    # its history runs to 31/03/2026, the start asked for is earlier: it said "load the
    # latest 903 return" (tests/forecast/test_stale_early_start.py)
    sentence = (
        "The forecast starts on 31 March 2025 (the start date asked for; the 903 history "
        "loaded runs to 31 March 2026), more than a year before the run date 1 June 2026: the "
        "children looked after 'now' are those on 31 March 2025, and the forecast's months to "
        "31 May 2026 are already past, forecast rather than counted; start it at the end of "
        "the history (the default, 31 March 2026)."
    )
    assert sentence in " ".join(said.split())
    cautions = table.loc[table["item"] == "Read with care", "value"].tolist()
    assert cautions.count(sentence) == 1
    page = html.unescape((tmp_path / "late" / "forecast.html").read_text(encoding="utf-8"))
    assert sentence in " ".join(page.split())
