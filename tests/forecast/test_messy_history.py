"""The forecast on 903 folders shaped as councils hold them: it runs, says what it did, and
starts from the number of children DfE would count."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from messy903 import BUILDERS, Messy903, clean_count, everything, sector_postcodes
from messy903 import SAMPLE_903 as SAMPLE

from sufficiency.cli import main
from sufficiency.forecast.states import build_spells, stock_at
from sufficiency.io.ssda903 import read_history

QUICK = ["--paths", "20", "--horizon-months", "3", "--seed", "3"]


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def messy(request, tmp_path_factory) -> Messy903:
    """One council-shaped variant of the sample authority's returns."""
    return BUILDERS[request.param](tmp_path_factory.mktemp(request.param))


def test_history_is_read_as_dfe_counts_it(messy: Messy903):
    """Years, missing years, the last day covered and the starting count all match what the
    folder really holds; each child counts once."""
    h = read_history(messy.path)
    assert h.years == tuple(y for y in messy.years)
    assert h.missing_years == messy.missing_years
    assert h.end == pd.Timestamp(messy.data_end)
    assert h.quality is not None
    assert h.quality.num_looked_after == messy.expected_count
    care = build_spells(h)
    assert stock_at(care, [h.end]).sum() == messy.expected_count
    sp = care.spells.sort_values(["child", "start"])
    prev_end = sp.groupby("child")["end"].shift()
    assert not ((prev_end.isna() & sp.duplicated("child")) | (prev_end > sp["start"])).any()


def test_forecast_runs_and_starts_from_dfe_count(messy: Messy903, tmp_path: Path):
    """The forecast command succeeds, starts on the data's last day with DfE's count,
    writes data_quality.csv, and its console output fits on one screen."""
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["forecast", "--history", str(messy.path), "--out", str(out), *QUICK]
    )
    assert result.exit_code == 0, result.output
    when = f"{messy.data_end.day} {messy.data_end:%B %Y}"
    start = f"Children looked after on {when}: {messy.expected_count};"
    assert start in result.output
    assert len(result.output.splitlines()) <= 20, result.output
    assert "Traceback" not in result.output
    quality = pd.read_csv(out / "data_quality.csv")
    assert list(quality.columns) == [
        "file", "row", "column", "problem", "action", "severity", "code"
    ]  # fmt: skip


def test_revised_and_vanished_children_are_counted_once(tmp_path: Path):
    """In the hardest folder, every child whose start date was revised between returns has
    one unbroken run of episodes, and every child who vanished from the latest return
    is no longer in care."""
    messy = everything(tmp_path / "all")
    h = read_history(messy.path)
    assert messy.revisions and messy.vanished
    ep = h.episodes
    for child in {r.child for r in messy.revisions}:
        mine = ep[ep["CHILD"] == child].sort_values("DECOM")
        assert (mine["DECOM"].iloc[1:].to_numpy() >= mine["DEC"].iloc[:-1].to_numpy()).all()
    gone = ep[ep["CHILD"].isin(messy.vanished)]
    assert gone["DEC"].notna().all()
    codes = {p.code for p in h.quality.problems}
    assert {"revised_episode", "closed_absent", "missing_year", "in_year_extract"} <= codes


def test_strict_refuses_errors_in_fields_the_forecast_reads(tmp_path: Path):
    """--strict refuses a start date that is not a date, naming file, row and column, which
    the forecast otherwise sets aside; postcodes cut to sectors, which the forecast never
    reads, stop neither."""
    messy = sector_postcodes(tmp_path / "sectors")
    latest = messy.location(max(messy.years)) / "episodes.csv"
    lines = latest.read_text().splitlines(keepends=True)
    cells = lines[5].split(",")
    cells[1] = "31/02/2025"
    lines[5] = ",".join(cells)
    latest.write_text("".join(lines))
    args = ["forecast", "--history", str(messy.path), *QUICK]
    lenient = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "a")])
    assert lenient.exit_code == 0, lenient.output
    assert "1 episode without a valid start date (DECOM): set aside" in lenient.output
    strict = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "b"), "--strict"])
    assert strict.exit_code == 1
    # the stage that ran is on standard error, then the error
    assert strict.stderr.startswith("[0:00] Reading the 903 history\nError:")
    assert strict.stdout == "" and "Traceback" not in strict.output
    assert "row 6, column DECOM" in strict.output and "postcode" not in strict.output


def test_a_history_shorter_than_the_times_in_care_measured_is_read_with_care(tmp_path):
    """One year of returns: children in care longer than that are never seen leaving, and
    the sample's forecast rose from 869 to about 929 over two years (857 with all six
    returns), with only 'Only 1.0 years of history' said, and that on the console alone.
    Now a warning says why the forecast may run high, and the report keeps the model's
    warnings for its readers: under 'Read with care' in forecast.html and as rows of
    assumptions.csv. The whole sample (five years) gives no such warning."""
    import shutil
    import warnings

    from sufficiency import api
    from sufficiency.forecast.errors import ForecastWarning

    sample = Path(__file__).resolve().parents[2] / "data" / "sample" / "ssda903"
    one = tmp_path / "one"
    shutil.copytree(sample / "2026", one / "2026")
    quick = {"num_paths": 20, "horizon_months": 6, "seed": 3}
    with pytest.warns(ForecastWarning, match="the forecast may run high"):
        report = api.forecast(one, **quick)
    (note,) = [n for n in report.notes if "may run high" in n]
    assert note.startswith("The history covers 1.0 years before 31 March 2026, and leaving care ")
    rows = report.assumptions[report.assumptions["item"] == "Read with care"]
    assert note in set(rows["value"]) and len(rows) == len(report.notes)
    written = report.write(tmp_path / "out")
    html = next(p for p in written if p.name == "forecast.html").read_text(encoding="utf-8")
    assert '<h2 id="read-with-care">Read with care</h2>' in html
    assert "the forecast may run high" in html
    from openpyxl import load_workbook

    summary = load_workbook(tmp_path / "out" / "forecast.xlsx")["Summary"]
    assert summary["A3"].value == (
        f"Read with care: {len(report.notes)} warnings about this forecast, at the end of "
        "the Assumptions sheet."
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        whole = api.forecast(sample, **quick)
    assert not any("may run high" in n for n in whole.notes)
    assert [str(w.message) for w in caught if w.category is ForecastWarning] == list(whole.notes)


def test_validate_accepts_postcode_sectors_in_a_903_history(tmp_path: Path):
    """A 903 history with postcodes cut to sectors (W11 2), as regional pipelines share
    returns, was 21,028 errors in `validate` ('is not a UK postcode in the form AA9 9AA')
    while the forecast read it without a word. A sector is now accepted there; a postcode
    that is neither a postcode nor a sector is still an error."""
    messy = sector_postcodes(tmp_path / "sectors")
    result = CliRunner().invoke(main, ["validate", str(messy.path)])
    assert result.exit_code == 0, result.output[-600:]
    assert "0 errors, 0 warnings" in result.output
    latest = messy.location(max(messy.years)) / "episodes.csv"
    lines = latest.read_text().splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[5].split(",")
    cells[header.index("PL_POST")] = "W11 2X"
    lines[5] = ",".join(cells)
    latest.write_text("".join(lines))
    result = CliRunner().invoke(main, ["validate", str(messy.path)])
    assert result.exit_code == 1
    assert "row 6, column PL_POST: is not a UK postcode in the form AA9 9AA" in result.output


@pytest.mark.parametrize(
    ("suffix", "sep", "encoding"), [(".txt", "\t", "utf-16"), (".csv", ";", "cp1252")]
)
def test_a_history_saved_as_unicode_text_or_european_csv_is_read_as_saved(
    tmp_path: Path, suffix: str, sep: str, encoding: str
):
    """The sample saved from Excel as 'Unicode Text' (UTF-16, tabs) or as a European
    Excel's CSV (semicolons) was refused, every table 'uses tabs between columns'; it is
    read with a note per file, its count on 31/03/2026 DfE's (869)."""
    for path in sorted(SAMPLE.glob("*/*.csv")):
        dest = tmp_path / path.parent.name / (path.stem + suffix)
        dest.parent.mkdir(exist_ok=True)
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        dest.write_bytes(table.to_csv(sep=sep, index=False, lineterminator="\r\n").encode(encoding))
    h = read_history(tmp_path)
    assert h.quality is not None
    assert h.quality.num_looked_after == clean_count() == 869
    assert h.years == tuple(range(2021, 2027))
    said = [p for p in h.quality.problems if p.code == "delimiter"]
    assert len(said) == len(list(SAMPLE.glob("*/*.csv")))
