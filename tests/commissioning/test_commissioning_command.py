"""The ``commission`` command: outputs, the run store, one-line errors and exit codes."""

from __future__ import annotations

import html
import re

import openpyxl
import pytest
from click.testing import CliRunner

from sufficiency import figures
from sufficiency.cli import main

QUICK = ["--paths", "20", "--eval-paths", "20", "--horizon-months", "12", "--no-sensitivity"]


def _args(sample_dir, out, levers=None):
    return [
        "commission",
        "--history",
        str(sample_dir / "ssda903"),
        "--levers",
        str(levers or sample_dir / "levers.toml"),
        "--out",
        str(out),
        "--date",  # the sample's history ends 31/03/2026: from April 2027 an undated run
        "2026-04-01",  # would say the history is over a year old (tests giving one go on)
    ]


def _levers_with(sample_dir, tmp_path, old: str, new: str):
    text = (sample_dir / "levers.toml").read_text()
    assert old in text
    bad = tmp_path / "levers.toml"
    bad.write_text(text.replace(old, new, 1))
    return bad


def test_command_reports_missing_cost(tmp_path, sample_dir):
    """A levers file missing a cost exits 1 with one ``Error:`` line."""
    bad = _levers_with(sample_dir, tmp_path, "setup_cost_gbp = 750000.0\n", "")
    result = CliRunner().invoke(main, _args(sample_dir, tmp_path / "out", bad))
    assert result.exit_code == 1
    line = (sample_dir / "levers.toml").read_text().splitlines().index("[home]") + 1
    assert result.output == f"Error: {bad}: line {line}: home.setup_cost_gbp: is missing; add it\n"


def test_command_refuses_horizon_outside_its_help(tmp_path, sample_dir):
    """--horizon-months accepts the 12-60 its help gives (the help said 12-60 while the
    option took 1-600): 5 and 72 are refused by the option, naming the range."""
    helped = CliRunner().invoke(main, ["commission", "--help"]).output
    said = "Months planned (12-60; default from the configuration: 60). [12<=x<=60]"
    assert said in " ".join(helped.split())
    for months in ("5", "72"):
        args = [*_args(sample_dir, tmp_path), "--horizon-months", months]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2
        assert result.output.endswith(
            f"Error: Invalid value for '--horizon-months': {months} is not in the range "
            "12<=x<=60.\n"
        )


def test_command_reports_infeasible_service_limit(tmp_path, sample_dir):
    """A service limit the levers cannot meet exits 1 naming the group, month and places."""
    limit = (
        '[[service_limit]]\ngroup = "residential"\nmax_probability = 0.0\n\n'
        "# Optional service limits"
    )
    bad = _levers_with(sample_dir, tmp_path, "# Optional service limits", limit)
    result = CliRunner().invoke(main, [*_args(sample_dir, tmp_path / "out", bad), *QUICK])
    assert result.exit_code == 1
    # the stages that ran are on standard error, the one error line last
    *stages, error = result.stderr.splitlines()
    assert error.startswith("Error: Infeasible service limit: residential in ")
    assert stages and all(line.startswith(("[0:", "Warning: ")) for line in stages)
    assert result.stdout == "" and "Traceback" not in result.output


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, sample_dir):
    """One quick run on the sample authority with the CBC backend, recorded in a store.

    CBC runs as its own program, so OR-Tools is not loaded into this test process (a
    later HiGHS solve would then move to a worker whose output the HiGHS banner spoils).
    """
    tmp = tmp_path_factory.mktemp("commission")
    url = f"sqlite:///{tmp / 'runs.sqlite'}"
    args = [*_args(sample_dir, tmp / "out"), *QUICK, "--solver", "cbc", "--store", url]
    result = CliRunner().invoke(main, args)
    return result, tmp / "out", url


def test_command_writes_outputs_on_sample(sample_run):
    """On the sample authority (few paths, one year) every output is written."""
    result, out, _ = sample_run
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "commissioning.html", "commissioning.xlsx", "comparison.csv", "data_quality.csv", "plan.csv"
    ]  # fmt: skip
    assert "Expected cost over 12 months" in result.output
    # the saving with its spread over the fresh futures, as the case says it (it was given
    # to the pound alone on the console)
    said = result.stdout.splitlines()
    line = said.index(next(s for s in said if s.startswith("Expected cost over 12 months")))
    spread = r"In \d+% of 20 simulated futures the plan was not made on, it costs less than "
    assert re.match(spread + "today's practice; in 8 of 10 the saving is between ", said[line + 1])


def test_command_html_opens_with_the_recommendation(sample_run):
    """The page opens with the recommendation; the forecast behind it follows the reasons."""
    _, out, _ = sample_run
    html = (out / "commissioning.html").read_text()
    assert html.index('<section id="recommendation"') < html.index('<section id="reasons"')
    assert html.index('<section id="reasons"') < html.index('<section id="forecast"')
    assert html.index('<section id="forecast"') < html.index('<section id="appendix"')
    assert "Commissioning assumptions" in html and "[est]" in html
    assert "src=" not in html and "<link" not in html and "<script" not in html
    # the plans compared: whole child-months for every plan ('0' for today's practice's
    # new in-house places, not '0.0' beside '2,750')
    plans = html.split("The plans scored on the same fresh futures")[1].split("</table>")[0]
    assert ">0.0<" not in plans and ">0<" in plans


def test_command_records_its_run(sample_run):
    """A commission run is recorded with its solver status, figures, inputs and outputs."""
    from sufficiency.store import RunStore

    result, _, url = sample_run
    assert result.exit_code == 0, result.output
    (run,) = RunStore(url).list_runs()
    detail = RunStore(url).get(run["id"])
    assert run["kind"] == "commission" and run["status"] == "succeeded"
    assert detail["solver_status"] == "optimal"
    figures = detail["summary"]["expected_cost_gbp"]
    assert set(figures) == {"stochastic", "status_quo", "central_forecast"}
    assert detail["summary"]["solver"] == "cbc"
    roles = {(f["role"], f["label"]) for f in detail["files"]}
    assert ("input", "levers") in roles and ("output", "plan.csv") in roles
    assert any(r == "input" and label.startswith("history/") for r, label in roles)


def test_command_failure_is_recorded(tmp_path, sample_dir):
    """A run that stops on a bad levers file is recorded as failed, with the reason."""
    from sufficiency.store import RunStore

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    bad = _levers_with(sample_dir, tmp_path, "weekly_price_gbp = 5600.0", "weekly_price_gbp = -1")
    result = CliRunner().invoke(main, [*_args(sample_dir, tmp_path / "out", bad), "--store", url])
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    (run,) = RunStore(url).list_runs()
    assert run["kind"] == "commission" and run["status"] == "failed"
    assert "weekly_price_gbp" in RunStore(url).get(run["id"])["failure_reason"]


def test_command_pools_block_contracts_with_another_authority(tmp_path, sample_dir, neighbour_903):
    """--pool-with writes pooling.csv: each member alone, pooled, and the co-operative's saving."""
    import pandas as pd

    other = neighbour_903
    out = tmp_path / "out"
    args = [*_args(sample_dir, out), *QUICK, "--pool-with", str(other), "--store",
            f"sqlite:///{tmp_path / 'runs.sqlite'}"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Pooling block contracts across 2 authorities saves" in result.output
    table = pd.read_csv(out / "pooling.csv")
    assert table.iloc[:, 0].tolist() == ["ssda903", "neighbour", "co-operative"]
    assert table["alone_cost_gbp"].iloc[:2].sum() == pytest.approx(table["alone_cost_gbp"].iloc[2])
    assert table["saving_gbp"].iloc[2] >= -1e-6

    # The neighbour on its own, dearer levers: only its cost alone moves, and up.
    dear = tmp_path / "dear.toml"
    text = (sample_dir / "levers.toml").read_text()
    assert "foster_weekly_gbp = 900.0\n" in text
    dear.write_text(text.replace("foster_weekly_gbp = 900.0\n", "foster_weekly_gbp = 1300.0\n"))
    out2 = tmp_path / "out2"
    args = [*_args(sample_dir, out2), *QUICK, "--pool-with", str(other), "--pool-levers", str(dear)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    own = pd.read_csv(out2 / "pooling.csv")
    assert own["alone_cost_gbp"].iloc[0] == pytest.approx(table["alone_cost_gbp"].iloc[0])
    assert own["alone_cost_gbp"].iloc[1] > table["alone_cost_gbp"].iloc[1]


def test_the_case_a_commissioner_shares_gives_the_pooled_savings(
    tmp_path, sample_dir, neighbour_903
):
    """--pool-with's savings were only on the console and in pooling.csv: commissioning.xlsx
    and commissioning.html, which a commissioner shares, said nothing of pooling. Both now
    give pooling.csv's table (each authority alone, its pooled share, saving, equal-saving
    split and transfer) and the console's sentences."""
    import re
    from html import unescape

    import pandas as pd
    from openpyxl import load_workbook

    out = tmp_path / "out"
    result = CliRunner().invoke(main, [*_args(sample_dir, out), *QUICK, "--pool-with",
                                       str(neighbour_903)])  # fmt: skip
    assert result.exit_code == 0, result.output
    csv = pd.read_csv(out / "pooling.csv")
    alone, share = csv["alone_cost_gbp"], csv["pooled_share_gbp"]
    # the csv's own figures, recomputed: saving, its percentage, the equal-saving split
    assert (alone - share).tolist() == pytest.approx(csv["saving_gbp"].tolist(), abs=0.02)
    equal = alone[:-1] * share.iloc[-1] / alone[:-1].sum()
    assert equal.tolist() == pytest.approx(csv["equal_saving_share_gbp"][:-1].tolist(), abs=0.02)
    # said to three significant figures (figures.money); pooling.csv keeps the pence
    saving = figures.money(csv["saving_gbp"].iloc[-1])
    said = [line for line in result.output.splitlines() if line.startswith("Pooling block")]
    assert said and saving in said[0]

    ws = load_workbook(out / "commissioning.xlsx")["Pooling"]
    rows = [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]
    # the headline is a paragraph on the first printed page, beside the authority column
    # printed on every page (io.xlsx.first_page_note): its first text, in any column
    headline = next(v for v in rows[0] if isinstance(v, str))
    assert f"saves {saving} against each commissioning alone" in headline
    header = rows[1]
    assert header[0] == "Authority" and len(header) == len(csv.columns)
    sheet = pd.DataFrame(rows[2:], columns=csv.columns)
    assert sheet["authority"].tolist() == csv["authority"].tolist()
    for col in csv.columns[1:]:
        want = csv[col] / 100 if col == "saving_pct" else csv[col]
        assert sheet[col].astype(float).tolist() == pytest.approx(want.tolist(), abs=1e-4), col

    page = (out / "commissioning.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="pooling"') :]
    text = " ".join(
        re.sub(r"<[^>]+>", " ", unescape(section[: section.index("</section>")])).split()
    )
    assert f"saves {saving} against each commissioning alone" in text
    for row in csv.itertuples():
        money = [f"£{v:,.0f}" if v >= 0 else f"-£{-v:,.0f}" for v in
                 (row.alone_cost_gbp, row.pooled_share_gbp, row.saving_gbp,
                  row.equal_saving_share_gbp, row.transfer_gbp)]  # fmt: skip
        cells = [row.authority, *money[:3], f"{row.saving_pct:.2f}%", *money[3:]]
        assert " ".join(cells) in text, cells


def test_command_pooling_needs_one_levers_file_per_pooled_authority(tmp_path, sample_dir):
    """More --pool-levers than --pool-with: one clear error before anything runs."""
    levers = str(sample_dir / "levers.toml")
    other = str(sample_dir / "ssda903")
    args = [*_args(sample_dir, tmp_path / "out"), *QUICK, "--pool-with", other,
            "--pool-levers", levers, "--pool-levers", levers]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "1 pooled authorities but 2 levers files" in result.stderr
    assert "Traceback" not in result.output


def test_command_pooling_raises_on_histories_ending_on_different_dates(
    tmp_path, sample_dir, neighbour_903
):
    """Pooled histories that end on different dates give one clear error and no outputs."""
    import shutil

    other = tmp_path / "older"
    shutil.copytree(neighbour_903, other)
    shutil.rmtree(other / "2026")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [*_args(sample_dir, out), *QUICK, "--pool-with", str(other)])
    assert result.exit_code == 1
    error = result.stderr.splitlines()[-1]
    assert error.startswith("Error:") and "end on the same date" in error
    # the dates as the reports write them, and what to give instead
    assert "ends on 31 March 2026" in error and "older on 31 March 2025" in error
    assert "give its returns to 31 March 2026" in error
    # refused before the plan is optimised (it was said after minutes of optimising)
    assert "Optimising" not in result.stderr and "Sensitivity" not in result.stderr
    assert "Traceback" not in result.output
    assert not (out / "plan.csv").exists()


def test_command_says_each_stage_as_it_starts(sample_run):
    """A long run is not silent: each stage on standard error, timed; results on stdout."""
    result, _, _ = sample_run
    stages = result.stderr.splitlines()
    assert stages[0].startswith("[0:00] Forecasting ") and "to score on" in stages[0]
    assert any("Optimising the plan on" in line for line in stages)
    assert any("Scoring the plans" in line for line in stages)
    # stages only: no child moves into secure children's homes (empty in the sample's
    # reference window) on any path, so that is not said as a warning (it was, every run)
    assert all(line.startswith("[") for line in stages), stages
    assert "Forecasting" not in result.stdout and "Wrote " in result.stdout


def test_command_reports_a_pooled_authoritys_data_quality(tmp_path, sample_dir, neighbour_903):
    """A pooled history with a missing year and repairs is reported, and its findings
    written to pooling_data_quality.csv (before: only the first history's were, and the
    pooled member's 556 findings and missing 2023-24 went unsaid)."""
    import shutil

    import pandas as pd

    other = tmp_path / "gapped"
    shutil.copytree(neighbour_903, other)
    shutil.rmtree(other / "2024")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [*_args(sample_dir, out), *QUICK, "--pool-with", str(other)])
    assert result.exit_code == 0, result.output
    assert "Pooled authority gapped:\n" in result.output
    assert "  No return for 2023-24" in result.output
    findings = pd.read_csv(out / "pooling_data_quality.csv")
    assert set(findings["authority"]) == {"gapped"}
    assert "missing_year" in set(findings["code"])
    assert (out / "data_quality.csv").read_text().count("\n") == 1  # the sample itself is clean


def test_command_refuses_to_pool_an_authority_with_itself(tmp_path, sample_dir, neighbour_903):
    """The sample pooled with itself, or with a copy of its folder under another name, ran
    and reported a saving: the same children counted twice, as two authorities' demand,
    made blocks look better shared. Now one clear error, before any output; a neighbour
    pooled with that copy is refused too (whichever two are the same)."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(sample_dir / "ssda903", copy)
    for twin in (sample_dir / "ssda903", copy):
        out = tmp_path / f"out_{twin.name}"
        result = CliRunner().invoke(
            main, [*_args(sample_dir, out), *QUICK, "--pool-with", str(twin)]
        )
        assert result.exit_code == 1, result.output
        error = result.stderr.splitlines()[-1]
        assert error.startswith("Error: ") and error.endswith(
            "hold the same authority's 903 history (most of their episodes are the same): "
            "pooling it with itself would count its children twice. Give each authority once."
        ), error
        assert "Traceback" not in result.output and not (out / "plan.csv").exists()
    result = CliRunner().invoke(
        main,
        [*_args(sample_dir, tmp_path / "out3"), *QUICK, "--pool-with", str(neighbour_903),
         "--pool-with", str(copy)],
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"Error: {copy} and {sample_dir / 'ssda903'} hold the same" in result.stderr


def test_command_writes_the_pooled_plan(tmp_path, sample_dir, neighbour_903):
    """pooled_plan.csv: what the co-operative signs and each member commits to (before: only
    the costs in pooling.csv; the plan behind the saving was written nowhere)."""
    import pandas as pd

    other = neighbour_903
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [*_args(sample_dir, out), *QUICK, "--pool-with", str(other)])
    assert result.exit_code == 0, result.output
    assert "the pooled plan is in pooled_plan.csv" in result.output
    plan = pd.read_csv(out / "pooled_plan.csv")
    assert list(plan.columns) == ["lever", "year", "starts", "commitment", "cost_gbp"]
    assert plan["lever"].str.startswith(("ssda903: ", "neighbour: ", "Pooled ")).all()


def test_the_case_keeps_the_forecasts_warnings(tmp_path, sample_dir):
    """The commissioning forecast silenced every warning the model gave: a case made on one
    year of returns (whose forecast runs high) said nothing of it. Now its forecast
    assumptions list them under 'Read with care', in the page and the workbook."""
    import shutil

    from openpyxl import load_workbook

    one = tmp_path / "one"
    shutil.copytree(sample_dir / "ssda903" / "2026", one / "2026")
    out = tmp_path / "out"
    args = ["commission", "--history", str(one), "--levers", str(sample_dir / "levers.toml"),
            "--out", str(out), *QUICK]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    # said on the console too, for the authority commissioning (they were silenced)
    assert "Warning: The history covers 1.0 years before 31 March 2026" in result.stderr
    assert "Read with care</th><td>The history covers 1.0 years" in (
        (out / "commissioning.html").read_text(encoding="utf-8")
    )
    cells = [
        c.value
        for ws in load_workbook(out / "commissioning.xlsx").worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert any(v.startswith("The history covers 1.0 years") for v in cells)


def test_a_pooled_authoritys_forecast_warnings_are_said_naming_it(
    tmp_path, sample_dir, neighbour_903
):
    """Pooling with an authority that gave one year of returns: its forecast's warnings
    ('The history covers 1.0 years ... the forecast may run high') were said nowhere: not
    on the console, not in the case. Now the console says each, naming the authority, and
    the case lists them under 'Read with care (neighbour, pooled)', page and workbook."""
    import shutil

    from openpyxl import load_workbook

    one = tmp_path / "neighbour"
    shutil.copytree(neighbour_903 / "2026", one / "2026")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [*_args(sample_dir, out), *QUICK, "--pool-with", str(one)])
    assert result.exit_code == 0, result.output
    said = [ln for ln in result.stderr.splitlines() if ln.startswith("Warning: pooled")]
    assert any(
        ln.startswith("Warning: pooled authority neighbour: The history covers 1.0 years")
        for ln in said
    ), result.stderr
    page = (out / "commissioning.html").read_text(encoding="utf-8")
    assert "Read with care (neighbour, pooled)</th><td>The history covers 1.0 years" in page
    rows = [
        (ws.cell(row=c.row, column=c.column + 1).value or "")
        for ws in load_workbook(out / "commissioning.xlsx").worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value == "Read with care (neighbour, pooled)"
    ]
    assert any(v.startswith("The history covers 1.0 years") for v in rows)


def test_a_levers_figure_warned_of_is_read_with_the_case(tmp_path, sample_dir):
    """A fee uplift of 3 (meant as 3%) was warned of on the console only: the case the
    commissioner shares, which recommended paying it, said nothing. The warning is now under
    'Read with care' in the page and the workbook, as the forecast's warnings are."""
    from openpyxl import load_workbook

    levers = _levers_with(sample_dir, tmp_path, "weekly_gbp_per_household = 40.0",
                          "weekly_gbp_per_household = 3")  # fmt: skip
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [*_args(sample_dir, out, levers), *QUICK])
    assert result.exit_code == 0, result.output
    assert '"fee_uplift.weekly_gbp_per_household" is £3.00 a week' in result.stderr
    page = (out / "commissioning.html").read_text(encoding="utf-8")
    # the key as the user typed it, not 'fee uplift.weekly gbp per household'
    key = "&#34;fee_uplift.weekly_gbp_per_household&#34;"
    assert f"Read with care</th><td>Levers: {key} is £3.00" in page
    rows = [
        (ws.cell(row=c.row, column=c.column + 1).value or "")
        for ws in load_workbook(out / "commissioning.xlsx").worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value == "Read with care"
    ]
    assert any('"fee_uplift.weekly_gbp_per_household" is £3.00 a week per household' in v
               for v in rows)  # fmt: skip


def test_a_history_over_a_year_before_the_run_date_is_said(tmp_path, sample_dir):
    """A scheduled commissioning run left on last year's 903 return (data to 31/03/2026,
    run on 1 June 2027) planned from 'now' on 31/03/2026 with no word: said on the
    console and in the case's Read with care (the page and the workbook); not in time."""
    sentence = (
        "The forecast starts on 31 March 2026 (the 903 history's last day used), more than a "
        "year before the run date 1 June 2027: the children looked after 'now' are those on "
        "31 March 2026, and the forecast's months to 31 May 2027 are already past, forecast "
        "rather than counted; load the latest 903 return."
    )
    for day, said in (("2027-03-31", False), ("2027-06-01", True)):
        out = tmp_path / day
        args = [*_args(sample_dir, out), *QUICK, "--date", day]
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert (sentence in " ".join(result.output.split())) is said
        page = html.unescape((out / "commissioning.html").read_text(encoding="utf-8"))
        assert (" ".join(page.split()).count(sentence) == 1) is said
        book = openpyxl.load_workbook(out / "commissioning.xlsx")
        rows = [r for ws in book for r in ws.iter_rows(values_only=True) if sentence in r]
        assert [r[0] for r in rows] == (["Read with care"] if said else [])


def test_command_refuses_a_folder_given_twice_before_forecasting(tmp_path, sample_dir):
    """The same folder as --history and --pool-with was refused only once every pooled
    authority had been forecast (30 s with seventeen synthetic members). Now at once, in
    the same words, before any forecast."""
    out = tmp_path / "out"
    twin = str(sample_dir / "ssda903")
    result = CliRunner().invoke(main, [*_args(sample_dir, out), *QUICK, "--pool-with", twin])
    assert result.exit_code == 1, result.output
    assert "hold the same authority's 903 history" in result.stderr.splitlines()[-1]
    assert "Forecasting" not in result.stderr and not (out / "plan.csv").exists()
