"""Every benchmark still runs to its end and prints the figures it promises.

Speed and accuracy claims live in ``benchmarks/`` with the command that reproduces them;
a benchmark the library's changes have broken (a renamed option or field, a changed
return value) would leave those claims with no way to reproduce them. Each script runs
here at its smallest size, in this process (its ``main`` under ``__main__``, with its
own options), and must exit 0 and print each figure line its docstring and the docs
quote. Timings are not checked: only that the figures are there.

The fast ones run always (about 20 s together on the shared 2-core machine). The rest
take 10-60 s each at their smallest size there (a matching instance is drawn from all
2.7 million postcodes; a forecast of the sample; a cluster of two workers; a web server
with the sample's runs), so they run when ``SUFFICIENCY_BENCH_SMOKE=all`` is set.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
ALL = os.environ.get("SUFFICIENCY_BENCH_SMOKE") == "all"
SLOW = pytest.mark.skipif(
    not ALL, reason="10-60 s at its smallest size; set SUFFICIENCY_BENCH_SMOKE=all to run it"
)


def run_script(
    script: str, args: list[str], capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> str:
    """Run ``benchmarks/<script>`` as ``python <script> ARGS`` would, in this process;
    return what it printed. A non-zero exit fails the test."""
    path = BENCH / script
    mp.syspath_prepend(str(path.parent))  # its sibling helpers (generate.py, param_option.py)
    mp.setattr(sys, "argv", [str(path), *args])
    mp.setenv("OMP_NUM_THREADS", "1")
    siblings = {p.stem for p in path.parent.glob("*.py")}
    for name in [m for m in sys.modules if m in siblings]:
        mp.delitem(sys.modules, name)
    try:
        runpy.run_path(str(path), run_name="__main__")
    except SystemExit as e:
        assert e.code in (0, None), f"{script} exited {e.code}: {capsys.readouterr().out}"
    for name in [m for m in sys.modules if m in siblings]:
        mp.delitem(sys.modules, name)
    return capsys.readouterr().out


def has_lines(out: str, *patterns: str) -> None:
    """Each pattern matches a line of ``out`` (from its start)."""
    missing = [p for p in patterns if not re.search(p, out, re.M)]
    assert not missing, f"missing figure lines {missing} in:\n{out}"


def last_json(out: str) -> dict:
    """The JSON object a script prints last."""
    return json.loads(out[out.rindex("\n{") + 1 if "\n{" in out else out.index("{") :])


#: A benchmark named with its options in the docs or a docstring (options up to a ``--``
#: that hands the rest to another script, or the end of the code span or line).
_QUOTED = re.compile(r"(?<![\w.])(?:benchmarks/[\w/]*?)?(\w+\.py)((?:[ \t]+[^`\n]*)?)")


def quoted_options() -> dict[str, set[str]]:
    """Each benchmark script (by file name) -> the options the docs and docstrings give it."""
    names = {p.name: p for p in BENCH.rglob("*.py")}
    docs = [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *BENCH.rglob("*.md"),
            *BENCH.rglob("*.py"), *BENCH.rglob("*.sh")]  # fmt: skip
    found: dict[str, set[str]] = {}
    for doc in docs:
        text = re.sub(r"\\+\n", " ", doc.read_text(encoding="utf-8"))
        for m in _QUOTED.finditer(text):
            if m.group(1) in names:
                rest = m.group(2).split(" -- ")[0]
                options = re.findall(r"(?<![\w-])--[a-z][a-z-]*", rest)
                found.setdefault(m.group(1), set()).update(options)
    return found


QUOTED = quoted_options()


@pytest.mark.parametrize("script", sorted(s for s, options in QUOTED.items() if options))
def test_quoted_options_exist(script, capsys, monkeypatch):
    """Every option the docs quote for a benchmark is one it takes (its ``--help``)."""
    path = next(BENCH.rglob(script))
    try:
        help_text = run_script(str(path.relative_to(BENCH)), ["--help"], capsys, monkeypatch)
    except AssertionError:
        pytest.fail(f"{script} --help did not exit 0")
    unknown = sorted(o for o in QUOTED[script] if o not in help_text)
    assert not unknown, f"{script} is quoted with {unknown}, which it does not take"


@pytest.mark.parametrize(
    "script", ["backtest_changes.py", "backtest_many.py", "backtest_sample.py",
               "bench_forecast.py", "calibration.py", "short_history.py"],
)  # fmt: skip
def test_paths_below_the_forecast_s_least_is_one_sentence(script, capsys, monkeypatch):
    """``--paths 5`` stopped each forecast benchmark with pydantic's ValidationError and
    its traceback; it is now argparse's one line naming the option and the limit."""
    path = BENCH / "forecast" / script
    monkeypatch.syspath_prepend(str(path.parent))
    monkeypatch.setattr(sys, "argv", [str(path), "--paths", "5"])
    for name in [m for m in sys.modules if m in {p.stem for p in path.parent.glob("*.py")}]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(SystemExit) as stopped:
        runpy.run_path(str(path), run_name="__main__")
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        f"{script}: error: --paths 5: should be greater than or equal to 10"
    )
    assert "Traceback" not in err


# The fast ones.


def test_bench_forecast(capsys, monkeypatch):
    args = ["--children", "50", "--paths", "10", "--months", "6", "--repeats", "1"]
    out = run_script("forecast/bench_forecast.py", args, capsys, monkeypatch)
    has_lines(
        out,
        r"^\d+ children in care, 6 months x 10 paths \(fit \+ simulate\), over 1 runs: "
        r"wall min [\d.]+ s, median [\d.]+ s; process CPU min [\d.]+ s, median [\d.]+ s",
    )


def test_large_history(tmp_path, capsys, monkeypatch):
    args = ["--out", str(tmp_path), "--children", "60", "--years", "2"]
    out = run_script("forecast/large_history.py", args, capsys, monkeypatch)
    has_lines(out, r"^[\d,]+ episode rows in 2 returns \(2024-25 to 2025-26\), [\d,]+ children")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025", "2026"]


def test_bench_read(capsys, monkeypatch):
    args = ["--children", "60", "--years", "2", "--repeat", "1"]
    out = run_script("forecast/bench_read.py", args, capsys, monkeypatch)
    has_lines(
        out,
        r"^History: [\d,]+ episode rows in 2 returns",
        r"^read_history \(read and reconcile\): median [\d.]+ s, fastest [\d.]+ s",
        r"^build_spells: median [\d.]+ s, fastest [\d.]+ s",
        r"^load_ssda903 \(validate: every field checked\): [\d.]+ s",
        # the starting count agrees with DfE's definition computed independently
        r"^Starting count (\d+); DfE's definition on the raw latest return \1\.$",
    )


def test_calibration(capsys, monkeypatch):
    args = ["--seeds", "1", "--quick", "--paths", "10"]
    out = run_script("forecast/calibration.py", args, capsys, monkeypatch)
    has_lines(
        out,
        r"^Cutoffs: 2023-09-30, 2024-09-30; horizon 12 months; 10 paths",
        r"^== chosen seeds: per authority",
        r"^ +regime +in_care +coverage +coverage_12m +interval_score +model_12m "
        r"+persistence_12m +stock_flow_12m",
        r"^== chosen seeds: mean by regime and overall",
        r"^all +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +1 +\d",
        r"^Total time \d+ s",
    )


def test_short_history(capsys, monkeypatch):
    args = ["--seeds", "--cutoffs", "2024", "--years", "1", "--paths", "10", "--bands"]
    out = run_script("forecast/short_history.py", args, capsys, monkeypatch)
    has_lines(
        out,
        r"^ +12-24 months in care: \d+ exits, expected [\d.]+",
        r"^Survivors at 24 months: simulated/actual of the group at the cutoff",
        r"^ +sample +2024 +1 +-?[\d.]+ +-?[\d.]+ +\d+/\d+ of \d+ +\d+/\d+ of \d+ +\d+/\d+ of \d+",
    )


def test_sample_figures(capsys, monkeypatch):
    """The sample's counts docs/forecast.md quotes (these are figures, not timings)."""
    out = run_script("forecast/sample_figures.py", [], capsys, monkeypatch)
    has_lines(
        out,
        r"^  2023-24: 844; 309$",
        r"^  2024-25: 871; 358$",
        r"^  accommodated: 0\.6\d\d \(",
        r"^Moves or changes followed by another in the same month: 1\.47%; "
        r"exits with a move or change earlier that month: 1\.53%",
        r"^Entrants .*: \d+, aged 16-17 28\.2%",
    )


def test_bench_match(capsys, monkeypatch):
    """The matching benchmark most figures come from (an instance drawn from every
    postcode: about 10 s of this file's time, the one matching benchmark run always)."""
    args = ["--children", "10", "--placements", "100"]
    out = last_json(run_script("matching/bench_match.py", args, capsys, monkeypatch))
    assert out["status"] == "optimal" and out["outputs_complete"] is True
    stages = {*out, *out["stage_seconds"], *out["side_by_side"]}
    assert {"end_to_end_seconds", "peak_rss_gb", "writing", "children_placed"} <= stages


# The slow ones (SUFFICIENCY_BENCH_SMOKE=all).


@SLOW
def test_bench_postcodes(capsys, monkeypatch):
    out = run_script("bench_postcodes.py", ["--n", "200", "--repeat", "1"], capsys, monkeypatch)
    has_lines(
        out,
        r"^directory: [\d,]+ postcodes loaded in [\d.]+ s",
        r"^lookup of 200 \+ 200 postcodes with distances: best [\d.]+ s, median [\d.]+ s",
        r"^resolved \d+ of 200; mean distance [\d.]+ miles",
    )


@SLOW
def test_sample_figures_part_month(capsys, monkeypatch):
    out = run_script("forecast/sample_figures.py", ["--part-month"], capsys, monkeypatch)
    has_lines(
        out, r"^Cut at 2025-11-14: starts on 2025-10-31 from \d+; on 2028-10-31 \d+ on average"
    )


@SLOW
def test_backtest_sample(capsys, monkeypatch):
    out = run_script("forecast/backtest_sample.py", ["--paths", "10"], capsys, monkeypatch)
    has_lines(
        out,
        r"^Cutoffs: 2023-03-31, .*, 2025-03-31$",
        r"^ +horizon_months +model +persistence +stock_flow +p10_p90_coverage_pct",
        r"^ +12 +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+",
        r"^12-month APE of the total by cutoff",
        r"^12-month APE by category",
    )


@SLOW
def test_backtest_changes(capsys, monkeypatch):
    out = run_script("forecast/backtest_changes.py", ["--paths", "10"], capsys, monkeypatch)
    has_lines(
        out,
        r"^ +model +persistence +stock_flow +coverage",
        r"^falling 25% a year +[\d.]+",
        r"^up 60% from April 2024 +[\d.]+",
        r"^UASC from July 2024 +[\d.]+",
    )


@SLOW
def test_backtest_many(capsys, monkeypatch):
    args = ["--seeds", "1", "--step", "24", "--paths", "10"]
    out = run_script("forecast/backtest_many.py", args, capsys, monkeypatch)
    has_lines(out, r"^ +model_3m +persistence_3m .* model_12m .* coverage", r"^seed 1 ", r"^mean ")


@SLOW
def test_bench_commission(capsys, monkeypatch):
    out = run_script("commissioning/bench_commission.py", ["--paths", "10"], capsys, monkeypatch)
    has_lines(
        out,
        r"^forecast paths simulated in [\d.]+ s",
        r"^1 authority, 10 paths x 60 months: solved in [\d.]+ s \(optimal, highs\)",
        r"^  value of planning for uncertainty £",
        r"^5 authorities alone \+ pooled: [\d.]+ s \(pooled cutting planes [\d.]+ s",
        r"^  saving from pooling £",
    )


@SLOW
def test_bench_repeat(capsys, monkeypatch):
    args = ["--repeat", "1", "--", "--children", "10", "--placements", "100"]
    out = run_script("matching/bench_repeat.py", args, capsys, monkeypatch)
    has_lines(out, r"^run 1: optimal .* s end to end .*peak [\d.]+ GB, outputs complete: True")
    assert last_json(out)["all_ok"] is True


@SLOW
def test_bench_crowded(capsys, monkeypatch):
    args = ["--children", "10", "--placements", "30", "--seeds", "1"]
    out = run_script("matching/bench_crowded.py", args, capsys, monkeypatch)
    has_lines(out, r"^seed 1: optimal .* gap [\d.]+%, [\d.]+ s, objective [\d,.]+")
    assert last_json(out)["all_optimal"] is True


@SLOW
def test_bench_straightforward(capsys, monkeypatch):
    args = ["--children", "10", "--placements", "100"]
    out = last_json(run_script("matching/bench_straightforward.py", args, capsys, monkeypatch))
    assert out["same_objective"] is True and out["straightforward"]["finished"] is True


@SLOW
def test_one_county_moves(capsys, monkeypatch):
    args = ["--children", "20", "--placements", "200", "--time-limit", "20", "--tries", "2"]
    out = run_script("matching/one_county_moves.py", args, capsys, monkeypatch)
    has_lines(out, r"^\d+ split groups; \d+ kept together by moving others out \(gain [\d,.]+\)")


@SLOW
def test_bench_sample(capsys, monkeypatch):
    out = last_json(run_script("matching/bench_sample.py", ["--runs", "1"], capsys, monkeypatch))
    assert out["status"] == "optimal" and out["num_children"] == 45
    assert {"first_run_seconds", "median_seconds"} <= set(out)


@SLOW
def test_bench_runs_list(capsys, monkeypatch):
    out = run_script("bench_runs_list.py", ["--runs", "3"], capsys, monkeypatch)
    has_lines(
        out,
        r"^runs list, all runs: best [\d.]+ s, worst [\d.]+ s \(3 run\(s\) shown of 3",
        r"^runs list, default \(latest 50\): best [\d.]+ s",
    )


def test_bench_store_year(capsys, monkeypatch):
    out = run_script("bench_store_year.py", ["--nights", "20", "--keep-days", "5"], capsys,
                     monkeypatch)  # fmt: skip
    has_lines(
        out,
        r"^20 nights: \d+ runs, store [\d.]+ MB",
        r"^runs list \(latest 50\): best \d+ ms",
        r"^runs list \(all\): best \d+ ms",
        r"^runs show \(latest matching run\): best \d+ ms",
        r"^runs diff \(last two matching runs\): best \d+ ms",
        r"^decisions in force on the last night: \d+",
        r"^runs prune --older-than 5d: [1-9]\d* run\(s\) deleted in [\d.]+ s, store [\d.]+ MB",
        r"^the next night's prune: [1-9]\d* run\(s\) deleted in [\d.]+ s, store [\d.]+ MB",
    )


@SLOW
def test_bench_soak(capsys, monkeypatch):
    """The web soak: a matching run lands after 20 pages and the page shows it."""
    out = run_script("web/bench_soak.py", ["--pages", "20", "--every", "20"], capsys, monkeypatch)
    has_lines(
        out,
        r"^start: memory \d+ MiB, \d+ threads, \d+ open files \(\d+ on the store\)",
        r"^20 pages \(\d+ s\), matching run \d+ landed, shown: True; memory \d+ MiB",
        r"^pages not answered 200: 0",
    )


@SLOW
def test_bench_region(tmp_path, capsys, monkeypatch):
    """Two tiny fictional members on a 2-worker LocalCluster, then serially (as
    tests/region does: a real cluster)."""
    from sufficiency.region.synthetic import write_region

    write_region(tmp_path / "inputs", 2, seed=7, sizes=[40, 70], num_years=3)
    args = ["--inputs", str(tmp_path / "inputs"), "--paths", "10", "--months", "12",
            "--scenarios", "1", "--workers", "2", "--out", str(tmp_path / "out")]  # fmt: skip
    out = run_script("region/bench_region.py", args, capsys, monkeypatch)
    has_lines(
        out,
        r"^2 tasks \(2 authorities x 1 scenarios, 10 paths x 12 months, backtest\), 2 workers",
        r"^  client peak memory \(RSS, this process\) \d+ MiB",
        r"^  task durations: total [\d.]+ s, median",
        r"^  on 128 cores \(estimate\): \d+ s",
        r"^2 tasks serially \(one process\): [\d.]+ s",
        r"^  speed-up [\d.]+x on 2 workers; results identical: True",
    )


def test_bench_load_asks_for_pages_that_exist(tmp_path, monkeypatch):
    """Every address the load test asks for is a page: a child's page was asked for as
    ``/matching/children/{child_id:path}``, the 404 page timed as the child's."""
    from urllib.parse import unquote

    from starlette.routing import Match

    from sufficiency.store import RunStore
    from sufficiency.web.app import create_app

    monkeypatch.syspath_prepend(str(BENCH / "web"))
    bench = runpy.run_path(str(BENCH / "web" / "bench_load.py"), run_name="imported")
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    app = create_app(RunStore(url))
    for role, paths in bench["pages_by_role"](url).items():
        for path in paths:
            address = bench["page_url"](path, "R 1/2")
            scope = {"type": "http", "path": unquote(address), "method": "GET"}
            found = [r for r in app.routes if r.matches(scope)[0] == Match.FULL]
            assert found and "{" not in address, (role, path, address)
            params = found[0].matches(scope)[1].get("path_params", {})
            assert params.get("child_id", "R 1/2") == "R 1/2", (path, address, params)


@SLOW
def test_bench_load(capsys, monkeypatch):
    """The web load test over SQLite (its default store; no PostgreSQL needed)."""
    args = ["--users", "3", "--seconds", "3", "--ramp", "1"]
    out = run_script("web/bench_load.py", args, capsys, monkeypatch)
    has_lines(
        out,
        r"^pages: \d+ in \d+ s \([\d.]+ a second\), errors: 0$",
        r"^response time: median \d+ ms, 90th percentile \d+ ms, 99th \d+ ms, worst \d+ ms",
        r"^sign-in \(password and TOTP, Argon2id\): median \d+ ms",
    )


@SLOW
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (soffice)")
def test_workbook_pdf(tmp_path):
    import subprocess

    if not (ROOT / ".venv" / "bin" / "sufficiency").exists():
        pytest.skip("the script runs the repository's .venv/bin/sufficiency, absent here")
    done = subprocess.run(
        ["bash", str(BENCH / "finance" / "workbook_pdf.sh"), str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    has_lines(done.stdout, r"^Pages: +\d+", r"spend-page-\d+\.png$")
