"""A region on a real two-worker LocalCluster equals its members' own serial runs;
a lost worker's tasks are re-run with the same results; an unusable member is reported
while the rest run."""

from __future__ import annotations

import contextlib
import io
import os
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import RUN_DATE, SEED

from sufficiency import api
from sufficiency.cli import main
from sufficiency.region import EXIT_PARTIAL, load_members, member_seed, run_region
from sufficiency.region.specs import MemberSummary

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _deterministic(files: dict[str, bytes]) -> dict[str, object]:
    """Every file's bytes, but a workbook's cell values (``forecast.xlsx`` stamps the save
    time) and no HTML reports (their SVG charts carry matplotlib's random ids)."""
    return {
        k: _cells(v) if k.endswith(".xlsx") else v
        for k, v in files.items()
        if not k.endswith(".html")
    }


def _cells(data: bytes) -> list[list[tuple[object, ...]]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return [[tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets]


@pytest.fixture(scope="module")
def region_run(cluster: Any, region_dir: Path, params: Any, tmp_path_factory: Any) -> Any:
    """The three-member region, base case, on the two-worker cluster."""
    out = tmp_path_factory.mktemp("region_out")
    result = run_region(
        region_dir / "members.toml",
        out,
        params=params,
        seed=SEED,
        run_date=RUN_DATE,
        scheduler=cluster.scheduler_address,
        commissioning=False,
    )
    return result, out


def test_region_equals_each_members_own_serial_run(
    region_run: Any, region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """Each member's files and figures equal its own forecast and spend runs with its seed."""
    result, out = region_run
    assert result.exit_code == 0 and not result.failures
    region = load_members(region_dir / "members.toml")
    assert [s.code for s in result.members] == [m.code for m in region.members]
    for member, summary in zip(region.members, result.members, strict=True):
        seed = member_seed(SEED, member.code, "base")
        assert summary.seed == seed and summary.backtest_cutoff == "2025-03-31"
        report = api.forecast(
            member.history,
            params,
            seed=seed,
            backtest_cutoffs=[summary.backtest_cutoff],
            run_date=RUN_DATE,
        )
        spend = api.spend(
            member.history, params, budget=member.budget, seed=seed, run_date=RUN_DATE
        )
        own = tmp_path / member.code
        report.write(own / "forecast")
        spend.write(own / "spend")
        theirs = _files(out / "members" / member.code / "base")
        mine = _files(own)
        assert sorted(theirs) == sorted(mine)
        assert _deterministic(theirs) == _deterministic(mine)
        assert "forecast/demand.csv" in theirs and "spend/spend.csv" in theirs
        total = report.totals.iloc[-1]
        assert summary.in_care_forecast == float(total["mean"])
        assert summary.spend_gbp == spend.years[0].mean
        assert summary.budget_variance_gbp is not None


def test_region_report_has_each_member_and_the_region(region_run: Any) -> None:
    """region.csv, region.xlsx and region.html name every member and the region's totals."""
    from openpyxl import load_workbook

    result, out = region_run
    written = result.write(out)
    assert [p.name for p in written] == ["region.csv", "region.xlsx", "region.html"]
    import pandas as pd

    long = pd.read_csv(out / "region.csv", dtype={"member_code": str})
    now = long[(long["measure"] == "in_care_now") & (long["scenario"] == "base")]
    members = now[now["member_code"] != "region"]["value"]
    assert len(members) == 3
    assert now[now["member_code"] == "region"]["value"].iloc[0] == pytest.approx(members.sum())
    wb = load_workbook(out / "region.xlsx")
    assert wb.sheetnames[0] == "Summary"
    assert str(wb["Summary"]["A1"].value).startswith("Region: ")
    html = (out / "region.html").read_text()
    for s in result.members:
        assert s.name in html and str(s.seed) in html


def test_region_completes_with_the_same_results_when_a_worker_is_killed(
    cluster: Any, region_run: Any, region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """A worker process killed while it runs a task: Dask re-runs its tasks elsewhere and
    every figure and file is as in the undisturbed run; the run says so in plain words
    (Dask's own lines about it are kept off the console)."""
    from distributed import Client

    expected, expected_out = region_run
    box: dict[str, Any] = {}
    said: list[str] = []

    def run() -> None:
        box["result"] = run_region(
            region_dir / "members.toml",
            tmp_path,
            params=params,
            seed=SEED,
            run_date=RUN_DATE,
            scheduler=cluster.scheduler_address,
            commissioning=False,
            progress=said.append,
        )

    with Client(cluster.scheduler_address) as client:
        before = set(client.scheduler_info()["workers"])
        thread = threading.Thread(target=run)
        thread.start()
        victim = None
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline:
            busy = [
                w
                for w, keys in client.processing().items()
                if any("member-" in str(k) for k in keys)
            ]
            victim = busy[0] if busy else None
            time.sleep(0.05)
        assert victim is not None, "no worker ever ran a member task"
        time.sleep(0.5)  # into the task, not at its start
        # The worker dies before it can answer.
        with contextlib.suppress(Exception):
            client.run(os._exit, 1, workers=[victim])
        thread.join(timeout=180)
        assert not thread.is_alive()
        after = set(client.scheduler_info()["workers"])
    assert victim not in after and victim in before
    lost = [s for s in said if s.startswith("A Dask worker was lost while the region ran")]
    assert len(lost) == 1 and victim in lost[0], said
    result = box["result"]
    assert result.members == expected.members and not result.failures
    for code in (s.code for s in result.members):
        mine = _files(tmp_path / "members" / code / "base")
        theirs = _files(expected_out / "members" / code / "base")
        assert _deterministic(mine) == _deterministic(theirs)
    assert not list(tmp_path.rglob(".staging-*"))


def test_region_reports_an_unusable_member_and_runs_the_rest(
    cluster: Any, region_dir: Path, tmp_path: Path
) -> None:
    """A member whose 903 files cannot be read: the command names it, why and what
    validate found, writes the others' files and the report, and exits 3 (partial)."""
    bad = tmp_path / "bad" / "2026"
    bad.mkdir(parents=True)
    (bad / "episodes.csv").write_text("CHILD,DECOM\n1,notadate\n")
    text = (
        (region_dir / "members.toml")
        .read_text()
        .replace('history = "', f'history = "{region_dir}/')
    )
    text = text.replace('budget = "', f'budget = "{region_dir}/').replace(
        'levers = "', f'levers = "{region_dir}/'
    )
    text += (
        f'[[member]]\ncode = "E99000009"\nname = "Broken Borough"\nhistory = "{tmp_path / "bad"}"\n'
    )
    members = tmp_path / "members.toml"
    members.write_text(text)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        [
            "region",
            "--members",
            str(members),
            "--out",
            str(out),
            "--scheduler",
            cluster.scheduler_address,
            "--config",
            str(region_dir / "config.toml"),
            "--seed",
            str(SEED),
            "--date",
            RUN_DATE.isoformat(),
            "--no-commissioning",
        ],
    )
    assert res.exit_code == EXIT_PARTIAL, res.output
    assert "Failed: Broken Borough (E99000009), base: " in res.output
    # each member's own warnings, once each: the same sentence for another member is
    # that member's warning too (it was printed for the first member only)
    for code in ("E99000001", "E99000002", "E99000003"):
        warned = [ln for ln in res.output.splitlines() if f"({code}): The history covers" in ln]
        assert len(warned) == 1, (code, res.output)
    assert "no 903 header table found" in res.output
    for code in ("E99000001", "E99000002", "E99000003"):
        assert (out / "members" / code / "base" / "forecast" / "demand.csv").is_file()
        seed = member_seed(SEED, code, "base")
        assert f"({code}), base: seed {seed}, backtest cutoff 2025-03-31" in res.output
    # what validate found, each with its file, row and column: the member's only file
    folder = out / "members" / "E99000009"
    listed = sorted(p.relative_to(out).as_posix() for p in folder.rglob("*") if p.is_file())
    assert listed == ["members/E99000009/base/data_quality.csv"], listed
    found = pd.read_csv(out / listed[0])
    assert "no 903 header table found" in set(found["problem"])
    html = (out / "region.html").read_text()
    assert "Broken Borough" in html and "no 903 header table found" in html
    assert "data_quality.csv in members/E99000009/base" in html
    assert "3 of 4 members ran" in html
    long = pd.read_csv(out / "region.csv", dtype={"member_code": str})
    # the failed member's one row says it failed (no figure of it is a forecast's)
    failed = long[long["member_code"] == "E99000009"]
    assert list(failed["measure"]) == ["failed"] and list(failed["value"]) == [1]
    # the region's totals are of 3 members of 4, and region.csv says so
    region = long[long["member_code"] == "region"].set_index("measure")["value"]
    assert region["members_ran"] == 3 and region["members"] == 4


def test_region_pools_the_members_with_levers(
    cluster: Any, region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """Two members' own plans and the pooled plan: each member's share and saving, the
    co-operative's saving the sum of the members'."""
    from sufficiency.region import Region

    region = load_members(region_dir / "members.toml")
    two = Region("Pair", region.members[:2], region.levers, region.source)
    result = run_region(
        two,
        tmp_path,
        params=params,
        seed=SEED,
        run_date=RUN_DATE,
        scheduler=cluster.scheduler_address,
    )
    assert not result.failures
    assert [c.code for c in result.commissions] == ["E99000001", "E99000002"]
    assert result.pooled is not None
    rows = result.pooled.rows
    assert [r["code"] for r in rows] == ["E99000001", "E99000002", "region"]
    assert rows[-1]["saving_gbp"] == pytest.approx(
        rows[0]["saving_gbp"] + rows[1]["saving_gbp"], abs=0.02
    )
    assert (tmp_path / "pooled" / "pooling.csv").is_file()
    assert (tmp_path / "pooled" / "plan.csv").is_file()
    assert (tmp_path / "members" / "E99000001" / "commission" / "sensitivity.csv").is_file()
    # The pooled plan's sensitivity: each factor moved by each step, run as tasks of their own.
    sens = result.pooled.sensitivity
    steps = params.commissioning.sensitivity_steps
    assert [(r["factor"], r["change"]) for r in sens] == [
        (f, c) for f in ("demand", "spot prices", "recruitment success") for c in steps
    ]
    for r in sens:
        assert r["saving_gbp"] == pytest.approx(
            r["alone_cost_gbp"] - r["pooled_cost_gbp"], abs=0.02
        )
    dearer = {r["change"]: r["alone_cost_gbp"] for r in sens if r["factor"] == "spot prices"}
    assert dearer[max(steps)] > dearer[min(steps)]
    written = pd.read_csv(tmp_path / "pooled" / "sensitivity.csv")
    assert len(written) == len(sens)
    # the Seeds table reproduces the plans too (it listed only the forecasts' seeds)
    from sufficiency.region.report import seed_table

    seeds = seed_table(result)
    plans = seeds[seeds["scenario"].isin(["commission", "pooled"])]
    assert plans[["code", "seed"]].values.tolist() == [
        ["E99000001", str(member_seed(SEED, "E99000001", "commission"))],
        ["E99000002", str(member_seed(SEED, "E99000002", "commission"))],
        ["region", str(member_seed(SEED, "region", "pooled"))],
    ]
    assert all(isinstance(s, MemberSummary) for s in result.members)


def test_pooled_plan_prices_each_member_on_its_own_levers(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """A member whose own levers file has dearer spot places costs more alone, and only it:
    the pooled plan takes each member's own prices, and the shared block terms from the
    region's levers file."""
    from dataclasses import replace

    from sufficiency.region.pool_tasks import prepare_pooled, run_pooled
    from sufficiency.region.specs import PooledSummary, PooledTask

    region = load_members(region_dir / "members.toml")
    assert region.pooled_levers is not None
    first, second = region.members[:2]
    dear = tmp_path / "dear_levers.toml"
    text = region.pooled_levers.read_text()
    for key, value in (("foster_weekly_gbp", "900.0"), ("residential_weekly_gbp", "6100.0")):
        assert f"{key} = {value}\n" in text
        text = text.replace(f"{key} = {value}\n", f"{key} = {float(value) * 1.5}\n")
    dear.write_text(text)

    def alone_costs(members: tuple[Any, ...], out: Path) -> list[float]:
        task = PooledTask(members, region.pooled_levers, 11, params, out)
        summary = run_pooled(task, prepare_pooled(task))
        assert isinstance(summary, PooledSummary), summary
        return [r["alone_cost_gbp"] for r in summary.rows]

    same = alone_costs((first, second), tmp_path / "same")
    own = alone_costs((first, replace(second, levers=dear)), tmp_path / "own")
    assert own[0] == same[0]
    assert own[1] > same[1] * 1.2
    assert own[2] == pytest.approx(own[0] + own[1], abs=0.02)


def test_pooled_sensitivity_gap_reads_as_a_percentage(region_run: Any, tmp_path: Path) -> None:
    """A pooled sensitivity run's solver gap is shown as a percentage in region.html and
    kept in full in sensitivity.csv: a gap of a few per cent never reads as nought."""
    from dataclasses import replace

    import pandas as pd

    from sufficiency.commissioning.writers import pooled_sensitivity_csv
    from sufficiency.region.specs import PooledSummary

    result, _ = region_run
    rows = (
        {"factor": "demand", "change": -0.2, "alone_cost_gbp": 100.0, "pooled_cost_gbp": 90.0,
         "saving_gbp": 10.0, "saving_pct": 0.1, "status": "time_limit", "gap": 0.0412},
        {"factor": "demand", "change": 0.2, "alone_cost_gbp": 100.0, "pooled_cost_gbp": 95.0,
         "saving_gbp": 5.0, "saving_pct": 0.05, "status": "time_limit", "gap": 0.000105},
    )  # fmt: skip
    share = {"code": "region", "authority": "The region", "alone_cost_gbp": 100.0,
             "pooled_share_gbp": 90.0, "saving_gbp": 10.0, "saving_pct": 0.1}  # fmt: skip
    pooled = replace(result, pooled=PooledSummary(seed=1, rows=(share,), sensitivity=rows))
    html = pooled.write(tmp_path)[2].read_text()
    assert ">4.120%<" in html and ">0.011%<" in html
    written = pd.read_csv(io.StringIO(pooled_sensitivity_csv(pd.DataFrame(list(rows)))))
    assert written["gap"].tolist() == [0.0412, 0.000105]
    assert written["saving_pct"].tolist() == [10.0, 5.0]


def test_region_headline_names_a_member_paying_more_pooled_than_alone(
    region_run: Any, tmp_path: Path
) -> None:
    """A member whose share of the pooled plan costs more than its own plan is named in the
    region's headline and report, not left as a negative in pooling.csv."""
    from dataclasses import replace

    from sufficiency.region.specs import PooledSummary
    from sufficiency.region.writers import headline

    result, _ = region_run
    worse = ("Mid pays £138,867 (0.9%) more pooled than alone, sharing the block contracts "
             "by use; split so every member saves the same 2.0%, it would receive £856,037 "
             "(pooling.csv, transfer_gbp).",)  # fmt: skip
    share = {"code": "region", "authority": "The region", "alone_cost_gbp": 100.0,
             "pooled_share_gbp": 90.0, "saving_gbp": 10.0, "saving_pct": 0.1}  # fmt: skip
    pooled = replace(result, pooled=PooledSummary(seed=1, rows=(share,), worse_off=worse))
    assert worse[0] in headline(pooled)
    html = pooled.write(tmp_path)[2].read_text()
    assert "Mid pays £138,867 (0.9%) more pooled than alone" in html


def _without_levers(region_dir: Path, tmp_path: Path) -> Path:
    """A copy of the synthetic region whose members have no levers (no commissioning)."""
    import shutil

    region = tmp_path / "region"
    shutil.copytree(region_dir, region)
    text = (region / "members.toml").read_text().splitlines()
    (region / "members.toml").write_text("\n".join(t for t in text if "levers" not in t))
    return region


def _run_region(cluster: Any, region: Path, out: Path) -> Any:
    """``sufficiency region`` on ``region``'s members, without commissioning, into ``out``."""
    return CliRunner().invoke(
        main,
        ["region", "--members", str(region / "members.toml"), "--out", str(out),
         "--scheduler", cluster.scheduler_address, "--config", str(region / "config.toml"),
         "--seed", str(SEED), "--date", RUN_DATE.isoformat(), "--no-commissioning"],
    )  # fmt: skip


def test_region_says_which_members_data_was_repaired_or_set_aside(
    cluster: Any, region_dir: Path, tmp_path: Path
) -> None:
    """A member that ran on data with rows set aside is not reported as simply "Ran": its
    cautions (the console's and the report's Read with care) give the counts by problem, and
    the report's status says how many."""
    region = _without_levers(region_dir, tmp_path)
    first = load_members(region / "members.toml").members[0]
    episodes = sorted(first.history.rglob("episodes.csv"))[-1]
    lines = episodes.read_text().splitlines()
    head = lines[0].split(",")
    at = head.index("DECOM")
    for i in (1, 2):  # two episodes with a start date in US format
        cells = lines[i].split(",")
        cells[at] = "13/31/2025"
        lines[i] = ",".join(cells)
    episodes.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    res = _run_region(cluster, region, out)
    assert res.exit_code == 0, res.output
    quality = pd.read_csv(out / "members" / first.code / "base" / "forecast" / "data_quality.csv")
    findings = len(quality[quality["code"] != "missing_year"])
    assert findings >= 2
    said = f"Warning: {first.name} ({first.code}): Repaired or set aside ({findings} findings"
    assert said in res.output
    assert "episodes without a valid start date (DECOM): set aside" in res.output
    assert res.output.count("Repaired or set aside") == 1  # the others' data is clean
    cautions = pd.read_excel(out / "region.xlsx", sheet_name="Read with care")
    (row,) = cautions[cautions["Warning"].str.startswith("Repaired or set aside")].itertuples()
    assert row.Code == first.code
    summary = _cells((out / "region.xlsx").read_bytes())[0]
    cells = [str(v) for row in summary for v in row if v is not None]
    assert f"Ran; {findings} findings in its 903 data repaired or set aside" in " ".join(cells)
    assert sum(c == "Ran" for c in cells) == 2


def test_region_workbook_reads_in_words_and_prints_its_headers_whole(
    region_run: Any, tmp_path: Path
) -> None:
    """region.xlsx's Sensitivity sheet said 'Base plan cost gbp' and 'FALSE' (and a member's
    case not tested, its fees column blank, would have said TRUE/FALSE for all); the pooled
    sensitivity 'demand' and 'optimal'; the Summary's wrapped headers sat in a one-line
    row over the first member's figures, and authorities' names were cut at 24 characters."""
    from dataclasses import replace

    from openpyxl import load_workbook

    from sufficiency.region.specs import CommissionSummary, PooledSummary

    result, _ = region_run
    sens = {"factor": "spot prices", "change": -0.2, "expected_cost_gbp": 90.0,
            "status_quo_cost_gbp": 100.0, "saving_gbp": 10.0, "base_plan_cost_gbp": 95.0,
            "households_recruited": 3, "block_places_year1": 2, "homes_opened": 0,
            "fee_uplift": False, "solve": "proven optimal", "note": None}  # fmt: skip
    untested = {**dict.fromkeys(sens), "factor": "spot prices", "change": -0.1,
                "solve": "not tested", "note": "Spot would then cost less a week."}  # fmt: skip
    own = CommissionSummary(result.members[0].code, result.members[0].name, 1, 90.0, 100.0,
                            10.0, (sens, untested), "Recommended.")  # fmt: skip
    pooled_row = {"factor": "demand", "change": 0.2, "alone_cost_gbp": 100.0,
                  "pooled_cost_gbp": 95.0, "saving_gbp": 5.0, "saving_pct": 0.05,
                  "status": "optimal", "gap": 0.0}  # fmt: skip
    share = {"code": "region", "authority": "The region", "alone_cost_gbp": 100.0,
             "pooled_share_gbp": 90.0, "saving_gbp": 10.0, "saving_pct": 0.1}  # fmt: skip
    pooled_plan = PooledSummary(seed=1, rows=(share,), sensitivity=(pooled_row,))
    shown = replace(result, commissions=(own,), pooled=pooled_plan)
    written = shown.write(tmp_path)
    wb = load_workbook(written[1])
    ws = wb["Sensitivity"]
    headers = [c.value for c in ws[1]]
    assert "Recommended plan's cost in this case (£)" in headers and "Raise carers' fees" in headers
    assert not [h for h in headers if "gbp" in str(h) or "_" in str(h)], headers
    fees = headers.index("Raise carers' fees")
    assert [c.value for c in ws[2]][fees] == "No"
    # a case not tested (it has no figures, so its fees column is blank, not 'No' or FALSE)
    assert [c.value for c in ws[3]][fees:] == [
        None,
        "not tested",
        "Spot would then cost less a week.",
    ]
    assert "Solver's result" in headers
    pooled = wb["Pooled sensitivity"]
    row = dict(zip([c.value for c in pooled[1]], [c.value for c in pooled[2]], strict=True))
    assert [row["What changes"], row["Status"]] == ["Demand", "Proven best (optimal)"]
    html = written[2].read_text()
    assert ">Demand<" in html and ">Proven best (optimal)<" in html
    assert ">+20%<" in html  # as the workbook's '+20%', not '20%' beside '-20%'
    summary = wb["Summary"]
    head = next(r for r in range(1, 20) if summary.cell(r, 1).value == "Code")
    assert summary.row_dimensions[head].height >= 3 * 13  # 'Backtest months inside P10-P90 (%)'
    # the authority's name whole up to 24 characters; a longer one wraps, narrowed for
    # the figures beside it on a page at full size
    longest = max(len(s.name) for s in result.members)
    assert summary.column_dimensions["B"].width >= min(longest, 24)


def test_region_workbook_wraps_its_sentences_to_print_readably(
    region_run: Any, tmp_path: Path
) -> None:
    """region.xlsx's warnings, reasons and headline sentences sat unwrapped in one cell (a
    warning in a column 14 characters wide, a headline sentence in column A): printed one
    page wide, as every sheet is, Read with care and Summary shrank to unreadable."""
    from openpyxl import load_workbook

    from sufficiency.io.xlsx_text import wrapped_lines

    result, _ = region_run
    wb = load_workbook(result.write(tmp_path)[1])
    care = wb["Read with care"]
    assert care.cell(1, 4).value == "Warning"
    assert 30 <= care.column_dimensions["D"].width <= 60
    for row in range(2, care.max_row + 1):
        text = str(care.cell(row, 4).value)
        assert care.cell(row, 4).alignment.wrap_text
        lines = wrapped_lines(text, care.column_dimensions["D"].width)  # as Carlito prints
        assert lines >= 1 and care.row_dimensions[row].height >= lines * 15 - 2, (row, text)
    summary = wb["Summary"]
    head = next(r for r in range(1, 20) if summary.cell(r, 1).value == "Code")
    merged = {str(r) for r in summary.merged_cells.ranges}
    for row in range(2, head - 1):  # each headline sentence across the table, wrapped
        if summary.cell(row, 1).value is None:  # the rows between headline, notes and table
            continue
        assert summary.cell(row, 1).alignment.wrap_text
        assert any(m.startswith(f"A{row}:") for m in merged), (row, merged)


def test_region_summary_prints_at_full_size_across_pages(region_run: Any, tmp_path: Path) -> None:
    """The Summary's sixteen columns were printed one page wide, as every sheet is: at
    under half size, unreadable. They print at full size on pages across, each no wider
    than an A4 landscape page, the code and authority and the header row on every one;
    the headline sentences and the notes on the first page's columns, printed apart from
    the table (in its print area, the repeated columns showed their first words cut),
    before it (under it, the notes printed under the header row repeated over nothing)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS

    result, _ = region_run
    ws = load_workbook(result.write(tmp_path)[1])["Summary"]
    head = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Code")
    columns = [c for c in range(1, ws.max_column + 1) if ws.cell(head, c).value]
    assert len(columns) == 16
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale == 100
    assert ws.print_title_cols == "$A:$B" and ws.print_title_rows == f"${head}:${head}"
    width = [float(ws.column_dimensions[get_column_letter(c)].width) for c in columns]
    ends = [b.id for b in ws.col_breaks.brk] + [16]
    assert len(ends) >= 3
    for start, end in zip([2, *ends], ends, strict=False):
        assert sum(width[:2]) + sum(width[start:end]) <= A4_LANDSCAPE_CHARS, (start, end)
    first = get_column_letter(ends[0])
    areas = str(ws.print_area).replace("'Summary'!", "").replace("$", "").split(",")
    assert areas == [f"A1:{first}{head - 1}", f"A{head}:P{head + 4}"]
    assert ws.max_row == head + 4  # nothing under the table
    merged = {str(r) for r in ws.merged_cells.ranges}
    for row in range(2, head - 1):  # a paragraph on the first page
        if ws.cell(row, 1).value is not None:
            assert f"A{row}:{first}{row}" in merged, (row, merged)


def test_region_headline_says_plainly_when_pooling_costs_more(
    region_run: Any, tmp_path: Path
) -> None:
    """A pooled plan dearer than the members alone on fresh paths: the headline says it
    costs more (it read 'Pooling block contracts saves £-1,200')."""
    from dataclasses import replace

    from sufficiency.region.csvrows import long_table
    from sufficiency.region.specs import PooledSummary
    from sufficiency.region.writers import headline

    result, _ = region_run
    share = {"code": "region", "authority": "The region", "alone_cost_gbp": 100_000.0,
             "pooled_share_gbp": 101_200.0, "saving_gbp": -1_200.0,
             "saving_pct": -0.012}  # fmt: skip
    dearer = replace(result, pooled=PooledSummary(seed=1, rows=(share,)))
    text = " ".join(headline(dearer))
    assert "saves £-" not in text
    assert "Pooling block contracts costs £1,200 more than each member" in text
    long = long_table(dearer)
    assert long[long["measure"] == "saving_gbp"]["value"].tolist() == [-1200.0]


def test_a_members_unusable_budget_is_said_and_its_forecast_still_runs(
    cluster: Any, region_dir: Path, tmp_path: Path
) -> None:
    """A member whose budget names a year beyond the forecast: the whole member failed
    (no forecast, no spend, the region's totals one member short) for a line of its budget
    file, and then its whole budget was dropped. Now that line is set aside with a
    sentence and the member's other lines are compared; a budget that cannot be used at
    all (a column missing) still costs only the comparison. The run is not partial."""
    region = _without_levers(region_dir, tmp_path)
    first, second = load_members(region / "members.toml").members[:2]
    assert first.budget is not None and second.budget is not None
    with first.budget.open("a", encoding="utf-8") as f:
        f.write("2040-41,all,1000000\n")
    second.budget.write_text("financial_year,budget_gbp\n2026-27,1000000\n")
    out = tmp_path / "out"
    res = _run_region(cluster, region, out)
    assert res.exit_code == 0, res.output
    said = [ln for ln in res.output.splitlines() if "budget year 2040-41 is set aside" in ln]
    assert len(said) == 1 and f"({first.code})" in said[0], res.output
    unusable = [ln for ln in res.output.splitlines() if "The budget could not be used" in ln]
    assert len(unusable) == 1 and f"({second.code})" in unusable[0], res.output
    spend = out / "members" / first.code / "base" / "spend"
    compared = pd.read_csv(spend / "budget_comparison.csv")
    assert compared["financial_year"].tolist() == ["2026-27"]
    spend = out / "members" / second.code / "base" / "spend"
    assert (spend / "spend.csv").is_file() and not (spend / "budget_comparison.csv").exists()
    long = pd.read_csv(out / "region.csv", dtype={"member_code": str})
    mine = long[long["member_code"] == first.code].set_index("measure")["value"]
    assert mine["spend_gbp"] > 0 and mine["budget_gbp"] > 0
    theirs = long[long["member_code"] == second.code].set_index("measure")["value"]
    assert theirs["spend_gbp"] > 0 and pd.isna(theirs.get("budget_gbp"))


def test_region_tables_say_the_region_row_adds_unrounded_figures(
    region_run: Any, tmp_path: Path
) -> None:
    """The region row adds the members' unrounded figures, shown rounded: members' first-year
    spend shown as £2,201,109, £4,441,890 and £6,584,021 added to £13,227,020 beside the
    region's £13,227,019 (children at the horizon 43 + 75 + 105 beside 224), with no word of
    rounding. region.html and region.xlsx now say so under each table with a region row."""
    import html as htmllib

    from openpyxl import load_workbook

    from sufficiency.region.report import ROUNDING_NOTE

    result, _ = region_run
    result.write(tmp_path)
    html = htmllib.unescape((tmp_path / "region.html").read_text())
    assert html.count(ROUNDING_NOTE) >= 3
    wb = load_workbook(tmp_path / "region.xlsx")
    for sheet in ("Summary", "Placement mix forecast", "Scenarios"):
        # a sheet printed across has it beside the columns repeated on every page
        # (paragraphs from column C on the first page): its row's first text, any column
        # (a "Note" label in column A beside it)
        texts = [next((c.value for c in row if isinstance(c.value, str)
                       and c.value not in ("Note", "Notes")), None)
                 for row in wb[sheet].iter_rows()]  # fmt: skip
        assert ROUNDING_NOTE in texts, sheet


def test_region_says_how_its_backtest_error_comes_from_the_members(
    region_run: Any, tmp_path: Path
) -> None:
    """The region row's 'Backtest error at 12 months' (10.6 beside members' 34.2, 8.7 and
    3.8) did not say how it was combined: not added up as the row's other figures are, and
    not the plain mean (15.6). It is the members' errors weighted by their children now, and
    region.xlsx and region.html now say so."""
    import html as htmllib

    import pandas as pd
    from openpyxl import load_workbook

    from sufficiency.region.report import BACKTEST_NOTE

    result, _ = region_run
    result.write(tmp_path)
    long = pd.read_csv(tmp_path / "region.csv", dtype={"member_code": str})
    base = long[long["scenario"] == "base"].pivot_table(
        index="member_code", columns="measure", values="value", aggfunc="first"
    )
    members = base.drop(index="region")
    err, now = members["backtest_ape_12_pct"], members["in_care_now"]
    weighted = (err * now).sum() / now[err.notna()].sum()
    # region.csv carries the region's figure too (it had the members' only)
    assert base.loc["region", "backtest_ape_12_pct"] == pytest.approx(weighted, abs=0.01)
    assert abs(weighted - err.mean()) > 0.01  # the note matters: not the plain mean
    assert "weighted by its children looked after now" in BACKTEST_NOTE
    page = " ".join(htmllib.unescape((tmp_path / "region.html").read_text()).split())
    assert BACKTEST_NOTE in page
    texts = [c.value for c in load_workbook(tmp_path / "region.xlsx")["Summary"]["A"]]
    assert BACKTEST_NOTE in texts


def test_a_members_in_year_budget_is_its_outturn_and_said(
    cluster: Any, region_dir: Path, tmp_path: Path
) -> None:
    """A member whose latest return is an in-year extract (to 30/09/2025) with a budget for
    2025-26: its spend outputs compare the budget with the outturn, and so does the
    region's table, saying so (it was set aside with a warning at first, then left blank
    in the region's table; no variance of six months' spend against the whole year's
    budget either way)."""
    region = _without_levers(region_dir, tmp_path)
    first = load_members(region / "members.toml").members[0]
    assert first.budget is not None and first.history is not None
    latest = max(p for p in Path(first.history).iterdir() if p.is_dir())
    ep = pd.read_csv(latest / "episodes.csv", dtype=str)
    cut = pd.Timestamp("2025-09-30")
    start, end = (pd.to_datetime(ep[c], dayfirst=True) for c in ("DECOM", "DEC"))
    keep = start <= cut
    ep.loc[keep & (end > cut), ["DEC", "REC", "REASON_PLACE_CHANGE"]] = None
    ep[keep].to_csv(latest / "episodes.csv", index=False)
    first.budget.write_text("financial_year,cost_line,budget_gbp\n2025-26,all,1000000\n")
    out = tmp_path / "out"
    res = _run_region(cluster, region, out)
    assert res.exit_code == 0, res.output
    said = [ln for ln in res.output.splitlines() if "is its forecast outturn" in ln]
    assert len(said) == 1 and f"({first.code})" in said[0], res.output
    spend = out / "members" / first.code / "base" / "spend"
    comparison = pd.read_csv(spend / "budget_comparison.csv")
    assert comparison["basis"].str.startswith("outturn").all()
    long = pd.read_csv(out / "region.csv", dtype={"member_code": str})
    mine = long[long["member_code"] == first.code].set_index("measure")["value"]
    assert mine["budget_gbp"] == 1_000_000
    outturn = comparison[comparison["cost_line"] == "all"].iloc[0]
    assert mine["spend_gbp"] == pytest.approx(outturn["mean"], abs=0.01)
    assert mine["spend_to_date_gbp"] == pytest.approx(outturn["spend_to_date_estimated_gbp"])
