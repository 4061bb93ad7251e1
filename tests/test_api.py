"""The public API: typed immutable results whose write() gives the command's files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import filecmp
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sufficiency import api
from sufficiency.cli import main
from sufficiency.config import load_params
from sufficiency.errors import ConfigError, DataWarning, InputDataError
from sufficiency.io.inputs import read_placements

QUICK = {"num_paths": 20, "horizon_months": 3, "seed": 3}


def test_forecast_result_is_frozen_and_writes_what_the_command_writes(tmp_path, sample_dir):
    """api.forecast(...).write() writes the same files, byte for byte (CSVs), as the command."""
    history = sample_dir / "ssda903"
    report = api.forecast(history, supply=sample_dir / "supply.toml", **QUICK)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.demand = report.starts  # type: ignore[misc]
    # the simulated figures cannot be changed in place either (they could, and the
    # changed figures flowed silently into anything computed from the result after)
    with pytest.raises(ValueError, match="read-only"):
        report.base.stock[:, 1:] = 0
    spend = api.spend(history, **QUICK)
    with pytest.raises(ValueError, match="read-only"):
        spend.report.base.spend *= 2
    written = report.write(tmp_path / "api")
    args = ["forecast", "--history", str(history), "--supply", str(sample_dir / "supply.toml"),
            "--out", str(tmp_path / "cli"), "--paths", "20", "--horizon-months", "3",
            "--seed", "3"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert report.headline in result.output
    cli_files = sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert sorted(p.name for p in written) == cli_files
    for name in cli_files:
        if name.endswith(".csv"):
            assert filecmp.cmp(tmp_path / "api" / name, tmp_path / "cli" / name, shallow=False)


def test_backtest_result_scores_and_writes(tmp_path, sample_dir):
    """api.backtest gives scores per method and writes the three CSVs and data quality."""
    report = api.backtest(sample_dir / "ssda903", ["2025-03-31"], num_paths=20, horizon_months=3)
    assert set(report.scores["method"]) == {"model", "persistence", "stock_flow"}
    names = {p.name for p in report.write(tmp_path)}
    assert {"backtest.csv", "backtest_coverage.csv", "backtest_summary.csv",
            "backtest_starts.csv"} <= names  # fmt: skip


def test_forecast_params_raises_option_out_of_range():
    """An option outside the model's range is a ConfigError naming it, not a traceback."""
    with pytest.raises(ConfigError, match="Invalid forecast option: num_paths"):
        api.forecast_params(num_paths=5)


def test_dates_are_dates_or_iso_text_and_day_first_text_is_refused(sample_dir):
    """'01/03/2025' was read month-first by pandas (3 January): the forecast silently
    started two months early. Dates are dates or YYYY-MM-DD; other text is refused."""
    history = sample_dir / "ssda903"
    iso = api.forecast(history, start="2025-03-01", **QUICK)
    assert iso.totals.iloc[0]["month"] == "2025-03-01"
    assert iso.demand.equals(api.forecast(history, start=dt.date(2025, 3, 1), **QUICK).demand)
    numpy_day = np.datetime64("2025-03-01")  # a value from a column's .to_numpy()
    assert iso.demand.equals(api.forecast(history, start=numpy_day, **QUICK).demand)
    for bad in ("01/03/2025", 20250301, "yesterday"):
        with pytest.raises(ConfigError, match=r"^start: .* is not a date; give a datetime.date"):
            api.forecast(history, start=bad, **QUICK)
    with pytest.raises(ConfigError, match=r"^cutoffs: '31/03/2024' is not a date"):
        api.backtest(history, ["31/03/2024"], num_paths=20)
    one = api.backtest(history, "2025-03-31", num_paths=20, horizon_months=3)
    assert set(one.scores["cutoff"].astype(str)) == {"2025-03-31"}
    alone = api.backtest(history, numpy_day + 30, num_paths=20, horizon_months=3)
    assert alone.scores.equals(one.scores)
    assert api.spend(history, run_date="2026-04-01", **QUICK).run_date == dt.date(2026, 4, 1)
    with pytest.raises(ConfigError, match=r"^run_date: "):
        api.spend(history, run_date="1/4/2026", **QUICK)
    run = api.match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                    run_date="2026-04-01")  # fmt: skip
    assert run.summary.run_date == dt.date(2026, 4, 1)
    with pytest.raises(ConfigError, match=r"^run_date: "):
        api.match(sample_dir / "referrals.csv", sample_dir / "placements.csv", run_date="1/4/2026")


def test_params_may_be_a_toml_file_as_for_match_and_nothing_else(tmp_path, sample_dir):
    """Only match took a TOML file: forecast("...", "my.toml") failed with AttributeError
    ('str' object has no attribute 'forecast'). Every function takes one now."""
    toml = tmp_path / "my.toml"
    toml.write_text("[forecast]\nreference_years = 2.0\n", encoding="utf-8")
    history = sample_dir / "ssda903"
    loaded = api.forecast(history, load_params(toml), **QUICK)
    assert api.forecast(history, str(toml), **QUICK).demand.equals(loaded.demand)
    assert not api.forecast(history, **QUICK).demand.equals(loaded.demand)
    assert api.spend(history, toml, run_date=dt.date(2026, 4, 1), **QUICK).headline
    referrals, register = sample_dir / "referrals.csv", sample_dir / "placements.csv"
    for call in (
        lambda: api.forecast(history, {"forecast": {"reference_years": 2.0}}, **QUICK),
        lambda: api.backtest(history, ["2025-03-31"], {"forecast": {}}, num_paths=20),
        lambda: api.match(referrals, register, run_date="2026-04-01", params={"matching": {}}),
    ):
        with pytest.raises(ConfigError, match=r"^params: expected a Params .* not dict\.$"):
            call()


def test_a_negative_seed_is_an_option_error_not_a_numpy_traceback(sample_dir):
    """seed=-1 (API, --seed or a config file) ended in numpy's 'ValueError: expected
    non-negative integer' with a traceback."""
    with pytest.raises(ConfigError, match=r"Invalid forecast option: seed: is -1; give 0 or more"):
        api.forecast(sample_dir / "ssda903", num_paths=20, horizon_months=3, seed=-1)
    with pytest.raises(ConfigError, match=r"Invalid commissioning option: seed"):
        api.commission(sample_dir / "ssda903", sample_dir / "levers.toml", seed=-1)
    result = CliRunner().invoke(main, ["sample", "--seed", "-1", "--out", "unused"])
    assert result.exit_code == 2 and "-1 is not in the range x>=0" in result.output


def test_backtest_horizon_outside_one_to_sixty_is_an_option_error(sample_dir):
    """horizon_months=0 scored every method 0.0% off at horizon 0 (the cutoff itself)."""
    for months in (0, 61):
        with pytest.raises(ConfigError, match=r"^Invalid backtest option: horizon_months"):
            api.backtest(sample_dir / "ssda903", ["2024-03-31"], num_paths=20,
                         horizon_months=months)  # fmt: skip


def test_match_missing_file_and_bad_time_limit_are_named_errors(sample_dir, tmp_path):
    """A missing referrals file was a FileNotFoundError (hashed before it was read); a
    time limit of -1 seconds was taken as given."""
    register = sample_dir / "placements.csv"
    with pytest.raises(InputDataError, match=r"(?s)nope\.csv: 1 error.*does not exist"):
        api.match(tmp_path / "nope.csv", register, run_date="2026-04-01")
    with pytest.raises(ConfigError, match=r"^Invalid matching option: time_limit_seconds"):
        api.match(sample_dir / "referrals.csv", register, run_date="2026-04-01",
                  time_limit_seconds=-1)  # fmt: skip


def test_a_budget_table_is_checked_like_the_budget_file(sample_dir):
    """A budget DataFrame skipped the file's checks: 'ALL' failed with ValueError ('ALL'
    is not in list), a missing column with KeyError, a repeated line was taken as given."""
    history, frame = sample_dir / "ssda903", pd.read_csv(sample_dir / "budget.csv")
    quick = {"num_paths": 20, "horizon_months": 24, "run_date": "2026-04-01"}
    from_file = api.spend(history, budget=sample_dir / "budget.csv", **quick).budget
    upper = frame.assign(cost_line=frame["cost_line"].str.upper())
    assert api.spend(history, budget=upper, **quick).budget.equals(from_file)
    with pytest.raises(InputDataError, match=r"(?s)^budget table: .*column budget_gbp: "
                       "required column is missing"):  # fmt: skip
        api.spend(history, budget=frame.drop(columns="budget_gbp"), **quick)
    twice = pd.concat([frame, frame.iloc[[0]]])  # a repeated line: both copies set aside
    with pytest.raises(InputDataError, match=r"(?s)^budget table: .*row 5, column cost_line: "
                       "budget line appears"):  # fmt: skip
        api.spend(history, budget=twice, strict=True, **quick)
    with pytest.warns(DataWarning, match=r"budget table: 2 budget rows set aside .*row 0: "
                      r".*also on row\(s\) 5"):  # fmt: skip
        kept = api.spend(history, budget=twice, **quick).budget
    assert kept is not None and kept.equals(from_file.iloc[1:].reset_index(drop=True))


def test_a_bad_budget_row_costs_the_comparison_that_row_not_the_spend(sample_dir, tmp_path):
    """Finance's budget sheet with a total row at its foot and a note under the figures:
    the spend job stopped ('Error: budget.csv: 3 error(s)'), and with it the night's spend
    outputs, for two rows that are not budget lines. They are set aside, said on the
    console and under Read with care, and the other lines compared as before; --strict
    refuses as before. The total row is recognised as one and left out (said in its own
    sentence, never a line); the note is set aside."""
    budget = tmp_path / "budget.csv"
    text = (sample_dir / "budget.csv").read_text()
    budget.write_text(text + "Total,,209200000\nNote: agreed at Cabinet on 12/02/2026,,\n")
    quick = {"num_paths": 20, "horizon_months": 24, "run_date": "2026-04-01"}
    history = sample_dir / "ssda903"
    clean = api.spend(history, budget=sample_dir / "budget.csv", **quick)
    with pytest.warns(DataWarning, match=r"budget.csv: 1 budget row set aside for errors "
                      r"\(row 8: .*\): the spend is compared with the other "
                      "5 lines only"):  # fmt: skip
        result = api.spend(history, budget=budget, **quick)
    assert result.budget is not None and clean.budget is not None
    assert result.budget.equals(clean.budget)
    said = [v for k, v in result.report.assumptions if k == "Read with care"]
    assert any(v.startswith("budget.csv: 1 budget row set aside") for v in said), said
    assert any("1 budget row is a total of the lines above" in v for v in said), said
    with pytest.raises(InputDataError, match="row 8, column financial_year"):
        api.spend(history, budget=budget, strict=True, **quick)


def test_a_register_table_must_be_the_read_register(sample_dir):
    """A register read with pandas and 'Foster' for foster silently lost its 169 foster
    vacancies (in-house foster places 239, not 408); vacancies read as text were summed
    as strings ('1' + '2' = '12')."""
    history, path = sample_dir / "ssda903", sample_dir / "placements.csv"
    from_file = api.forecast(history, placements=path, **QUICK).supply
    assert api.forecast(history, placements=read_placements(path), **QUICK).supply.equals(from_file)
    frame = pd.read_csv(path)
    assert api.forecast(history, placements=frame, **QUICK).supply.equals(from_file)
    capital = frame.assign(setting=frame["setting"].str.capitalize())
    with pytest.raises(ConfigError, match=r"^placements: setting 'Foster' is not one of"):
        api.forecast(history, placements=capital, **QUICK)
    with pytest.raises(ConfigError, match=r"^placements: the table's vacancies are not whole"):
        api.forecast(history, placements=pd.read_csv(path, dtype=str), **QUICK)


def test_inputs_of_the_wrong_kind_are_named_and_one_pool_member_may_be_given_alone(
    sample_dir, neighbour_903
):
    """A DataFrame for the history was 'TypeError: expected str, bytes or os.PathLike
    object'; a dict scenario 'AttributeError: ... is_base'; pool_with='other/ssda903'
    was read letter by letter ('o: does not exist')."""
    history = sample_dir / "ssda903"
    for kw, said in (
        ({"history": pd.DataFrame()}, r"^history: expected the 903 folder .* not DataFrame\."),
        ({"history": history, "scenario": {"name": "x"}}, r"^scenario: expected a Scenario .*"),
        ({"history": history, "supply": 3}, r"^supply: expected a SupplyPlan .* not int\."),
    ):
        with pytest.raises(ConfigError, match=said):
            api.forecast(**kw, **QUICK)
    with pytest.raises(ConfigError, match=r"^costs: expected the path of a costs file"):
        api.spend(history, costs=pd.DataFrame(), **QUICK)
    quick = {"num_paths": 10, "eval_paths": 10, "horizon_months": 12, "with_sensitivity": False}
    levers = sample_dir / "levers.toml"
    alone = api.commission(history, levers, pool_with=str(neighbour_903), **quick)
    listed = api.commission(history, levers, pool_with=[neighbour_903], **quick)
    assert alone.pooled is not None and listed.pooled is not None
    assert alone.pooled.table().equals(listed.pooled.table())


def test_match_inputs_read_with_pandas_are_named(sample_dir):
    """Tables read with pandas were 'TypeError: expected str, bytes or os.PathLike object'."""
    frame = pd.read_csv(sample_dir / "placements.csv")
    with pytest.raises(ConfigError, match=r"^placements: expected the path of a CSV or XLSX"):
        api.match(sample_dir / "referrals.csv", frame, run_date="2026-04-01")
    alone = r"^decisions: expected the path of a CSV or XLSX file, not DataFrame\.$"
    with pytest.raises(ConfigError, match=alone):  # not "(or, as referrals alone, ...)"
        api.match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                  run_date="2026-04-01", decisions=pd.DataFrame())  # fmt: skip


def test_options_of_the_wrong_kind_are_named_not_pythons_type_errors(sample_dir):
    """A year alone for the cutoffs was "TypeError: 'int' object is not iterable"; a dict
    for the budget "TypeError: expected str, bytes or os.PathLike object, not dict"; the
    key file's text, not its bytes, for pseudonym_key hmac's "key: expected bytes or
    bytearray", after the inputs were read."""
    history = sample_dir / "ssda903"
    with pytest.raises(ConfigError, match=r"^cutoffs: 2024 is not a date; give a datetime"):
        api.backtest(history, 2024, num_paths=20)
    budget = r"^budget: expected a budget table or the path of its file, not dict\.$"
    with pytest.raises(ConfigError, match=budget):
        api.spend(history, budget={"2026-27": 1_000_000}, **QUICK)
    with pytest.raises(ConfigError, match=r"^pseudonym_key: expected bytes .* not str\.$"):
        api.match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                  run_date="2026-04-01", pseudonym_key="the key")  # fmt: skip


def test_a_progress_that_cannot_be_called_or_a_strict_not_true_or_false_is_named(sample_dir):
    """progress=True, asking for a progress bar, was "TypeError: 'bool' object is not
    callable" once the job had begun; strict="no" was taken as True, silently refusing a
    history a repair would have saved."""
    history = sample_dir / "ssda903"
    called = r"^{}: expected a function to call as the job goes \(print will do\), not {}\.$"
    with pytest.raises(ConfigError, match=called.format("progress", "bool")):
        api.forecast(history, progress=True, **QUICK)
    with pytest.raises(ConfigError, match=called.format("stages", "str")):
        api.spend(history, stages="yes", **QUICK)
    with pytest.raises(ConfigError, match=called.format("progress", "bool")):
        api.backtest(history, "2025-03-31", progress=True, num_paths=20)
    with pytest.raises(ConfigError, match=called.format("progress", "int")):
        api.commission(history, sample_dir / "levers.toml", progress=1, num_paths=10)
    with pytest.raises(ConfigError, match=called.format("progress", "bool")):
        api.match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                  run_date="2026-04-01", progress=True)  # fmt: skip
    with pytest.raises(ConfigError, match=r"^strict: expected True or False, not str\.$"):
        api.forecast(history, strict="no", **QUICK)
    assert api.forecast(history, strict=np.bool_(False), **QUICK).quality is not None


def test_strict_refuses_a_history_already_read_with_repairs(sample_dir, tmp_path):
    """strict=True with a history read (and repaired) beforehand was silently ignored: the
    forecast ran on the repaired data. A clean history still runs."""
    import shutil

    from sufficiency.forecast.run import read_903

    folder = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", folder)
    episodes = folder / "2026" / "episodes.csv"
    lines = episodes.read_text(encoding="utf-8").splitlines(keepends=True)
    first = lines[1].split(",")
    first[7] = "01/01/2020"  # DEC before DECOM: set aside when repairing
    lines[1] = ",".join(first)
    episodes.write_text("".join(lines), encoding="utf-8")
    repaired = read_903(folder)
    assert api.forecast(repaired, **QUICK).quality is repaired.quality
    with pytest.raises(InputDataError, match=r"(?s)episodes\.csv: .*row 2, column DEC"):
        api.forecast(repaired, strict=True, **QUICK)
    with pytest.raises(InputDataError, match=r"(?s)row 2, column DEC"):
        api.commission(repaired, sample_dir / "levers.toml", strict=True, num_paths=10,
                       eval_paths=10, horizon_months=12, with_sensitivity=False)  # fmt: skip
    assert api.forecast(read_903(sample_dir / "ssda903"), strict=True, **QUICK).headline


def _history_with_two_repairs(sample_dir: Path, tmp_path: Path) -> Path:
    """The sample's 903 folder with an episode set aside and another repeated."""
    import shutil

    folder = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", folder)
    episodes = folder / "2026" / "episodes.csv"
    lines = episodes.read_text(encoding="utf-8").splitlines(keepends=True)
    first = lines[1].split(",")
    first[7] = "01/01/2020"  # DEC before DECOM: set aside
    lines[1] = ",".join(first)
    episodes.write_text("".join([*lines, lines[5]]), encoding="utf-8")  # and a repeat
    return folder


def test_the_commands_say_repairs_in_their_own_words_not_the_apis(sample_dir, tmp_path):
    """`sufficiency forecast` on a repaired history printed the Python API's warning
    ("The result's quality says what and where (quality.summary_lines(),
    quality.table())") above its own summary of the same repairs: a Python call for a
    user at a command line, and the count said twice."""
    folder = _history_with_two_repairs(sample_dir, tmp_path)
    out = tmp_path / "out"
    args = ["forecast", "--history", str(folder), "--out", str(out), "--paths", "20"]
    result = CliRunner().invoke(main, [*args, "--horizon-months", "3", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "quality.summary_lines" not in result.output
    assert "row(s) repaired or set aside" not in result.output
    assert "Repaired or set aside (2 findings):" in result.output
    assert f"Every finding: {out / 'data_quality.csv'}" in result.output


def test_a_history_read_with_repairs_is_warned_of_once_read(sample_dir, tmp_path):
    """api.forecast on a folder whose episodes were repaired and set aside said nothing (the
    command prints it; a notebook was told nothing): now one DataWarning with the count,
    pointing at the result's quality. A history the caller read already, or a clean one,
    gives none."""
    import warnings

    from sufficiency.errors import DataWarning, RepairWarning
    from sufficiency.forecast.errors import ForecastWarning
    from sufficiency.forecast.run import read_903

    folder = _history_with_two_repairs(sample_dir, tmp_path)
    with pytest.warns(DataWarning) as said:
        report = api.forecast(folder, **QUICK)
    (warning,) = [w for w in said if w.category is RepairWarning]
    assert str(warning.message) == (
        f"{folder}: 2 rows repaired or set aside. The result's quality says what and "
        "where (quality.summary_lines(), quality.table())."
    )
    assert warning.filename == __file__  # the caller's line, not the library's
    assert report.quality is not None and report.quality.num_findings() == 2
    with warnings.catch_warnings(record=True) as given:
        warnings.simplefilter("always")
        api.forecast(read_903(folder), **QUICK)
        api.forecast(sample_dir / "ssda903", **QUICK)
    # none of the repairs again; the model's own, if any (on the sample none since no
    # simulated child moves into secure children's homes, empty in its reference window)
    assert all(w.category is ForecastWarning for w in given), [str(w.message) for w in given]


def test_writing_where_an_earlier_run_left_other_files_says_so(sample_dir, tmp_path):
    """A forecast without supply written where one with supply was left that run's
    shortfall.csv beside this run's files, without a word."""
    from sufficiency.errors import DataWarning

    history = sample_dir / "ssda903"
    api.forecast(history, supply=sample_dir / "supply.toml", **QUICK).write(tmp_path)
    left = r"also holds purchases\.csv, shortfall\.csv and supply\.csv from an earlier run"
    with pytest.warns(DataWarning, match=left):
        written = api.forecast(history, **QUICK).write(tmp_path)
    assert "shortfall.csv" not in {p.name for p in written}
    api.spend(history, budget=sample_dir / "budget.csv", run_date="2026-04-01",
              num_paths=20, horizon_months=24).write(tmp_path)  # fmt: skip
    with pytest.warns(DataWarning, match=r"also holds budget_comparison\.csv from an earlier"):
        api.spend(history, run_date="2026-04-01", **QUICK).write(tmp_path)


def test_backtest_without_cutoffs_says_so(sample_dir):
    """No cutoffs was 'Nothing to score: every horizon ... is in a collection year with no
    return', about returns the history has."""
    with pytest.raises(ConfigError, match=r"^cutoffs: give at least one cutoff date"):
        api.backtest(sample_dir / "ssda903", [], num_paths=20)


def test_writing_into_a_file_says_it_is_not_a_folder(sample_dir, tmp_path):
    """write('demand.csv') was NotADirectoryError on a temporary file's name."""
    report = api.backtest(sample_dir / "ssda903", "2025-03-31", num_paths=20, horizon_months=3)
    (tmp_path / "demand.csv").write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"demand\.csv is a file, not a folder"):
        report.write(tmp_path / "demand.csv")


def test_spend_keeps_the_forecasts_warnings_for_finance(sample_dir, tmp_path):
    """A spend projection on one year of returns, whose forecast runs high: the warning was
    printed on the console only; spend.xlsx, which finance reads, said nothing of it. Now
    its Assumptions sheet lists the forecast's warnings under 'Read with care'."""
    import shutil

    from openpyxl import load_workbook

    from sufficiency.forecast.errors import ForecastWarning

    one = tmp_path / "one"
    shutil.copytree(sample_dir / "ssda903" / "2026", one / "2026")
    with pytest.warns(ForecastWarning, match="may run high"):
        result = api.spend(one, **QUICK)
    said = [v for k, v in result.report.assumptions if k == "Read with care"]
    assert any("the forecast may run high" in v for v in said)
    result.write(tmp_path / "out")
    sheet = load_workbook(tmp_path / "out" / "spend.xlsx")["Assumptions"]
    rows = [(r[0], r[1]) for r in sheet.iter_rows(values_only=True)]
    assert [v for k, v in rows if k == "Read with care"] == said


def test_a_bad_register_row_costs_the_forecast_its_vacancies_not_the_run(tmp_path, sample_dir):
    """The nightly forecast job failed ('Error in forecast: placements.csv: 2 error(s)') on
    two register rows the night's matching only sets aside. The forecast sets them aside
    too, says so in its notes, and counts the other rows' vacancies; strict refuses."""
    from sufficiency.errors import InputDataError
    from sufficiency.forecast.errors import ForecastWarning

    reg = pd.read_csv(sample_dir / "placements.csv", dtype=str, keep_default_na=False)
    good = api.forecast(sample_dir / "ssda903", placements=sample_dir / "placements.csv", **QUICK)
    assert (reg.loc[[3, 8], "setting"] == "foster").all()
    assert (reg.loc[[3, 8], "provider"] == "in_house").all()
    lost = int(reg.loc[3, "vacancies"]) + int(reg.loc[8, "vacancies"])
    reg.loc[3, "vacancies"] = "two"
    reg.loc[8, "age_min"] = "-4"
    bad = tmp_path / "placements.csv"
    reg.to_csv(bad, index=False)
    with pytest.warns(ForecastWarning, match="2 rows of the placement register set aside"):
        report = api.forecast(sample_dir / "ssda903", placements=bad, **QUICK)
    note = next(n for n in report.notes if "set aside" in n)
    assert "row 5 (PL0004)" in note and "row 10 (PL0009)" in note
    assert note in set(report.assumptions["value"])
    assert report.demand.equals(good.demand)
    # the in-house foster places are the same but for the two rows' vacancies
    assert report.shortfall is not None and good.shortfall is not None

    def places(r: pd.DataFrame) -> float:
        return float(r.loc[r["category"] == "in_house_foster", "places"].iloc[0])

    assert lost > 0 and places(good.shortfall) - places(report.shortfall) == lost
    with pytest.raises(InputDataError):
        api.forecast(sample_dir / "ssda903", placements=bad, strict=True, **QUICK)


def test_a_bad_cost_file_row_costs_that_row_not_the_spend(sample_dir, tmp_path):
    """The council's cost file with a note under its figures stopped the spend ('Error:
    costs.csv: 2 error(s)'). The row is set aside and said, under Read with care too, and
    the costs given are used; --strict refuses as before."""
    costs = tmp_path / "costs.csv"
    costs.write_text("category,weekly_cost\nifa_foster,950\nNote: 2026 framework rates,\n")
    quick = {"num_paths": 20, "horizon_months": 12, "run_date": "2026-04-01"}
    history = sample_dir / "ssda903"
    with pytest.warns(DataWarning, match=r"costs.csv: 1 row of the cost file set aside for "
                      r"errors \(row 3: "):  # fmt: skip
        result = api.spend(history, costs=costs, **quick)
    said = [v for k, v in result.report.assumptions if k == "Read with care"]
    assert any(v.startswith("costs.csv: 1 row of the cost file set aside") for v in said)
    base = result.report.base
    assert base.weekly_cost_gbp.tolist()[list(base.cost_lines).index("ifa_foster")] == 950.0
    with pytest.raises(InputDataError, match="row 3, column category"):
        api.spend(history, costs=costs, strict=True, **quick)


def test_a_result_shown_in_a_notebook_is_a_few_lines_and_no_childs_details(sample_dir):
    """A result left as a notebook cell's last line is shown by its repr: a matching run's
    was 268 lines of its tables, the referrals' dates of birth among them (pandas shows
    more columns, postcodes too, as its display options allow); a forecast's 24,768
    characters of simulated arrays. Now the headline and each table's size."""
    run = api.match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                    run_date="2026-04-01")  # fmt: skip
    referrals = pd.read_csv(sample_dir / "referrals.csv", dtype=str)
    with pd.option_context("display.max_columns", None, "display.width", 10_000):
        shown = [repr(o) for o in (run, run.summary, run.result)]
    dob = pd.to_datetime(referrals["dob"], format="%d/%m/%Y")
    details = {
        "dob": [*referrals["dob"], *dob.dt.strftime("%Y-%m-%d")],
        "postcode": [*referrals["home_postcode"].dropna(), *referrals["school_postcode"].dropna()],
    }
    for text in shown:
        assert len(text.splitlines()) < 30
        for kind, values in details.items():
            said = [v for v in values if v in text]
            assert not said, f"{kind} shown: {said[:3]}"
    assert "matches=<table: 44 rows × 20 columns>" in shown[0]
    report = api.forecast(sample_dir / "ssda903", **QUICK)
    text = repr(report)
    assert len(text) < 2_000 and "headline='Children looked after on 31 March 2026: 869" in text
    assert "demand=<table: " in text and "quality=<DataQuality>" in text
    assert "stock=<array: shape (20, 4, 10, 5), int32>" in repr(report.base)


def test_a_result_unpickled_keeps_its_arrays_read_only(sample_dir):
    """Dask and a notebook's cache pickle results: the simulated arrays came back
    writeable (NumPy unpickles every array so), and a change in place flowed silently
    into the summaries computed from the unpickled result."""
    import pickle

    report = pickle.loads(pickle.dumps(api.forecast(sample_dir / "ssda903", **QUICK)))
    assert report.demand.equals(api.forecast(sample_dir / "ssda903", **QUICK).demand)
    with pytest.raises(ValueError, match="read-only"):
        report.base.stock[:, 1:] = 0
    spend = pickle.loads(pickle.dumps(api.spend(sample_dir / "ssda903", **QUICK)))
    with pytest.raises(ValueError, match="read-only"):
        spend.report.base.spend *= 2


def test_a_table_changed_in_a_notebook_leaves_the_results_figures_and_files(sample_dir, tmp_path):
    """report.demand.loc[0, "mean"] = -999 in a notebook changed the result's own table:
    its headline and totals, and demand.csv as write() wrote it after, without a word."""
    history = sample_dir / "ssda903"
    report = api.forecast(history, supply=sample_dir / "supply.toml", **QUICK)
    headline, before = report.headline, report.write(tmp_path / "before")
    demand = report.demand
    demand.loc[0, "mean"] = -999
    demand["mean"] *= 2
    report.shortfall.loc[:, "expected_gap"] = 0  # an attribute changed where it is read
    assert report.headline == headline and (report.demand["mean"] >= 0).all()
    after = report.write(tmp_path / "after")
    for a, b in zip(before, after, strict=True):
        if a.suffix == ".csv":
            assert filecmp.cmp(a, b, shallow=False), a.name
    spend = api.spend(history, run_date="2026-04-01", **QUICK)
    spend.monthly.loc[:, "mean"] = 0
    assert spend.monthly["mean"].sum() > 0 and spend.years[0].mean > 0
    assert spend.report == spend.report  # by identity: not copies of tables compared
    run = api.match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                    run_date="2026-04-01")  # fmt: skip
    run.matches.loc[:, "weekly_cost"] = 0
    assert round(run.matches["weekly_cost"].sum(), 2) == run.summary.weekly_cost_gbp


def test_every_result_carries_the_warnings_it_gave_whatever_the_filter(sample_dir):
    """A notebook's second run of a cell, or a filter set to "ignore", says no warning:
    the result is then all that says them. A forecast kept its notes; a backtest, a spend
    projection and a commissioning case had none to read (the last two only rows of their
    assumptions, without the budget years set aside)."""
    import warnings

    history = sample_dir / "ssda903"
    quick = {"num_paths": 10, "eval_paths": 10, "horizon_months": 12, "with_sensitivity": False}
    jobs = {
        "forecast": lambda: api.forecast(history, run_date="2028-01-01", **QUICK),
        "backtest": lambda: api.backtest(history, "2024-03-31", num_paths=20, horizon_months=3),
        "spend": lambda: api.spend(
            history, budget=sample_dir / "budget.csv", run_date="2026-04-01", **QUICK
        ),
        "commission": lambda: api.commission(
            history, sample_dir / "levers.toml", run_date="2028-01-01", **quick
        ),
    }
    for job, run in jobs.items():
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            result = run()
        told = [str(w.message).rstrip(".") for w in said]
        assert told, job
        assert all(any(t in note for note in result.notes) for t in told), (job, told)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert run().notes == result.notes, job


def test_writing_to_a_folder_under_home_given_with_a_tilde(sample_dir, tmp_path, monkeypatch):
    """write("~/outputs") wrote into a folder named "~" under the current one, and returned
    paths ("~/outputs/backtest.csv") that looked like the home's; pandas's to_csv, which
    an analyst uses beside it, reads "~" as the home."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    report = api.backtest(sample_dir / "ssda903", "2025-03-31", num_paths=20, horizon_months=3)
    written = report.write("~/outputs")
    assert written and all(p.parent == tmp_path / "home" / "outputs" for p in written)
    assert all(p.is_file() for p in written) and not (tmp_path / "~").exists()


def test_a_results_lists_and_dicts_cannot_be_changed_in_place(sample_dir, tmp_path):
    """A spend report's assumptions (a list) and reconciliation (a dict) could be changed
    in place in a notebook, and the workbook write() wrote after said the change; a
    match's stage timings likewise. They are a tuple and read-only views, and pickle."""
    import pickle

    spend = api.spend(sample_dir / "ssda903", run_date="2026-04-01", **QUICK)
    report = spend.report
    assumptions = report.assumptions
    with pytest.raises(AttributeError):
        assumptions.append(("Made up", "in a notebook"))  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        report.reconciliation["made_up"] = 1  # type: ignore[index]
    assert report.assumptions == assumptions and "made_up" not in report.reconciliation
    again = pickle.loads(pickle.dumps(report))
    assert again.assumptions == assumptions
    assert dict(again.reconciliation) == dict(report.reconciliation)
    run = api.match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                    run_date="2026-04-01")  # fmt: skip
    with pytest.raises(TypeError):
        run.result.stage_seconds["made_up"] = 1.0  # type: ignore[index]


def test_true_or_false_for_a_number_option_is_named_not_taken_as_one(sample_dir, tmp_path):
    """seed=True ran with seed 1, num_paths=True refused as "at least 10" about the
    value 1 (a bool is an int in Python); so did `seed = true` in a configuration file."""
    history = sample_dir / "ssda903"
    for option in ("seed", "num_paths", "horizon_months"):
        with pytest.raises(ConfigError, match=rf"option: {option}: expected a whole number"):
            api.forecast(history, **{**QUICK, option: True})
    with pytest.raises(ConfigError, match=r"eval_paths: expected a whole number, not True"):
        api.commission(history, sample_dir / "levers.toml", eval_paths=True)
    with pytest.raises(ConfigError, match=r"horizon_months: expected a whole number"):
        api.backtest(history, "2024-03-31", horizon_months=np.True_)
    with pytest.raises(ConfigError, match=r"time_limit_seconds: expected a number, not"):
        api.match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                  run_date="2026-04-01", time_limit_seconds=True)  # fmt: skip
    toml = tmp_path / "params.toml"
    toml.write_text("[forecast]\nseed = true\n")
    with pytest.raises(ConfigError, match=r"forecast.seed: expected a whole number"):
        load_params(toml)
    assert api.forecast_params(seed=np.int64(3), num_paths=20).seed == 3


def test_input_paths_under_home_given_with_a_tilde(sample_dir, tmp_path, monkeypatch):
    """forecast("~/data/ssda903") was refused as not existing, and so was every other
    input given so (a notebook user writes ~ as the shell does): the history, the
    configuration, a scenario, supply, register, costs or budget file, matching's
    inputs and decisions, a scenario for a regional run."""
    import shutil

    home = tmp_path / "home"
    shutil.copytree(sample_dir, home / "data")
    (home / "params.toml").write_text("[forecast]\nseed = 3\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    scenario = next(p.name for p in sorted((sample_dir / "scenarios").glob("*.toml")))
    quick = {"num_paths": 20, "horizon_months": 3}
    report = api.forecast("~/data/ssda903", "~/params.toml",
                          scenario=f"~/data/scenarios/{scenario}", supply="~/data/supply.toml",
                          placements="~/data/placements.csv", **quick)  # fmt: skip
    assert report.scenario is not None and report.shortfall is not None
    assert report.demand.equals(api.forecast(sample_dir / "ssda903", seed=3, **quick).demand)
    spend = api.spend("~/data/ssda903", budget="~/data/budget.csv", run_date="2026-04-01",
                      **quick)  # fmt: skip
    assert any("budget" in note for note in spend.notes)  # the file read: its years said
    run = api.match("~/data/referrals.csv", "~/data/placements.csv", run_date="2026-04-01",
                    params="~/params.toml")  # fmt: skip
    assert len(run.matches) and set(run.summary.inputs_sha256) >= {"referrals", "placements"}
    assert api._loaded("~/data/levers.toml", api.Levers, api.load_levers, "levers") is not None
