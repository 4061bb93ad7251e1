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

from sufficiency.config import ForecastParams

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
    mp.setattr(sys, "path", list(sys.path))  # the scripts' own sys.path.insert, undone
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


def stopped(script: str, args: list[str], capsys: pytest.CaptureFixture[str],
            mp: pytest.MonkeyPatch) -> str:  # fmt: skip
    """Run ``benchmarks/<script> ARGS`` in this process, expecting argparse's refusal
    (exit 2); return the last line it wrote to standard error."""
    path = BENCH / script
    mp.syspath_prepend(str(path.parent))
    mp.setattr(sys, "path", list(sys.path))  # the scripts' own sys.path.insert, undone
    mp.setattr(sys, "argv", [str(path), *args])
    siblings = {p.stem for p in path.parent.glob("*.py")}
    for name in [m for m in sys.modules if m in siblings]:
        mp.delitem(sys.modules, name)
    with pytest.raises(SystemExit) as stop:
        runpy.run_path(str(path), run_name="__main__")
    err = capsys.readouterr().err
    assert stop.value.code == 2, (script, args, stop.value.code, err)
    assert "Traceback" not in err
    return err.splitlines()[-1]


@pytest.mark.parametrize(
    "script", ["backtest_changes.py", "backtest_many.py", "backtest_sample.py",
               "bench_forecast.py", "calibration.py", "short_history.py"],
)  # fmt: skip
def test_paths_below_the_forecast_s_least_is_one_sentence(script, capsys, monkeypatch):
    """``--paths 5`` stopped each forecast benchmark with pydantic's ValidationError and
    its traceback; it is now argparse's one line naming the option and the limit."""
    said = stopped(f"forecast/{script}", ["--paths", "5"], capsys, monkeypatch)
    assert said == f"{script}: error: --paths 5: should be greater than or equal to 10"


#: A bad option for each benchmark and the one line it answers with. Each of these was a
#: traceback (or, marked *, a run that went on regardless) before December 6: a count of
#: 0 (``--repeat 0``: UnboundLocalError; ``--repeats 0``, ``--nights 0``,
#: ``--children 0``: IndexError, KeyError or StatisticsError), a negative seed
#: (numpy's ValueError), ``--step 0`` (slicing), a ``--param`` without ``=`` or with a
#: word for a number, a store address that is not one (StoreError), a missing folder,
#: ``--cutoffs`` outside the sample's years (* an empty table), ``--paths 0`` for the
#: region (* pydantic's model_copy does not check: a run of no paths) and ``--out`` a
#: folder holding other files (* bench_region.py emptied it: ``--out .`` deleted the
#: working folder).
BAD_ARGUMENTS = [
    ("bench_postcodes.py", ["--repeat", "0"], "argument --repeat: 0: should be at least 1"),
    ("bench_postcodes.py", ["--n", "-5"], "argument --n: -5: should be at least 1"),
    ("bench_runs_list.py", ["--store", "nonsense"],
     "--store: cannot open run store nonsense: Could not parse SQLAlchemy URL from given "
     "URL string"),
    ("bench_store_year.py", ["--nights", "0"], "argument --nights: 0: should be at least 1"),
    ("bench_store_year.py", ["--keep-days", "-1"],
     "argument --keep-days: -1: should be at least 0"),
    ("commissioning/bench_commission.py", ["--paths", "0"],
     "--paths 0: should be greater than or equal to 10"),
    ("commissioning/bench_commission.py", ["--seed", "-1"],
     "--seed -1: should be greater than or equal to 0"),
    ("forecast/backtest_many.py", ["--step", "0"], "argument --step: 0: should be at least 1"),
    ("forecast/backtest_many.py", ["--seeds", "1", "-1"],
     "argument --seeds: -1: should be at least 0"),
    ("forecast/backtest_sample.py", ["--history", "no such folder"],
     "argument --history: no such folder does not exist"),
    ("forecast/backtest_sample.py", ["--param", "foo"], "argument --param: 'foo' should be "
     "NAME=VALUE, NAME one of " + ", ".join(sorted(
         n for n, f in ForecastParams.model_fields.items() if f.annotation in (int, float)))),
    ("forecast/backtest_sample.py", ["--param", "num_paths=abc"],
     "argument --param: 'num_paths=abc': 'abc' is not a number"),
    ("forecast/backtest_sample.py", ["--param", "num_paths=30"],
     "--param num_paths=: give --paths instead"),
    ("forecast/backtest_sample.py", ["--param", "rate_half_life_years=-1"],
     "--param rate_half_life_years=-1.0: should be greater than or equal to 0"),
    ("forecast/bench_forecast.py", ["--repeats", "0"],
     "argument --repeats: 0: should be at least 1"),
    ("forecast/bench_forecast.py", ["--children", "x"],
     "argument --children: 'x' is not a whole number"),
    ("forecast/bench_read.py", ["--years", "0"], "argument --years: 0: should be at least 1"),
    ("forecast/calibration.py", ["--jobs", "0"], "argument --jobs: 0: should be at least 1"),
    ("forecast/calibration.py", ["--csv", "no such folder/x.csv"],
     "argument --csv: no such folder/x.csv: the folder no such folder does not exist"),
    ("forecast/large_history.py", ["--out", __file__],
     f"argument --out: {__file__} is a file, not a folder to write into"),
    ("forecast/sample_figures.py", ["--history", __file__],
     f"argument --history: {__file__} is not a folder"),
    ("forecast/short_history.py", ["--cutoffs", "2025"],
     "argument --cutoffs: 2025: should be from 2021 to 2024"),
    ("matching/bench_crowded.py", ["--time-limit", "0"],
     "--time-limit 0.0: should be greater than 0"),
    ("matching/bench_crowded.py", ["--shared-homes", "2"],
     "--shared-homes must be a share from 0 to 1, not 2.0"),
    ("matching/bench_match.py", ["--children", "0"],
     "argument --children: 0: should be at least 1"),
    ("matching/bench_match.py", ["--gap", "2"], "--gap 2.0: should be less than or equal to 1"),
    ("matching/bench_repeat.py", ["--max-gb", "0"], "argument --max-gb: 0: should be more than 0"),
    ("matching/bench_sample.py", ["--runs", "0"], "argument --runs: 0: should be at least 1"),
    ("matching/bench_repeat.py", ["--repeat", "3", "--", "--children", "0"],
     "the options after -- for bench_match.py: error: argument --children: 0: should be at "
     "least 1"),
    ("matching/bench_straightforward.py", ["--budget", "-1"],
     "argument --budget: -1: should be more than 0"),
    ("matching/one_county_moves.py", ["--time-limit", "nan"],
     "argument --time-limit: nan: should be a finite number"),
    ("region/bench_region.py", ["--paths", "0"],
     "--paths 0: should be greater than or equal to 10"),
    ("region/bench_region.py", ["--scenarios", "9"],
     "argument --scenarios: 9: should be from 1 to 3"),
    ("region/bench_region.py", ["--out", str(ROOT)],
     f"--out {ROOT} holds other files; this benchmark empties its --out folder, so give a "
     "new folder or an earlier run's"),
    ("web/bench_load.py", ["--think", "2", "1"], "--think 2 1: MIN is more than MAX"),
    ("web/bench_soak.py", ["--every", "0"], "argument --every: 0: should be at least 1"),
]  # fmt: skip


@pytest.mark.parametrize(("script", "args", "said"), BAD_ARGUMENTS,
                         ids=[f"{s} {' '.join(a)}" for s, a, _ in BAD_ARGUMENTS])  # fmt: skip
def test_a_bad_option_is_one_sentence(script, args, said, capsys, monkeypatch):
    """Each benchmark refuses a bad option before any work, in one line naming it."""
    assert stopped(script, args, capsys, monkeypatch) == f"{Path(script).name}: error: {said}"


@pytest.mark.parametrize(
    ("args", "said"),
    [(["-x"], "-x is not an option"), ([__file__], f"{__file__} is a file, not a folder"),
     (["a", "b"], "one OUT_DIR at most")],
)  # fmt: skip
def test_workbook_pdf_refuses_a_bad_argument(args, said):
    """``--help`` was taken for OUT_DIR (a folder named ``--help``, then the whole run)."""
    import subprocess

    script = str(BENCH / "finance" / "workbook_pdf.sh")
    done = subprocess.run(["bash", script, *args], capture_output=True, text=True, check=False)
    assert done.returncode == 2 and said in done.stderr, (done.returncode, done.stderr)
    helped = subprocess.run(["bash", script, "--help"], capture_output=True, text=True,
                            check=False)  # fmt: skip
    assert helped.returncode == 0 and helped.stdout.startswith("usage: ")


SCRIPTS = sorted(str(p.relative_to(BENCH)) for p in BENCH.rglob("*.py")
                 if "parse_args()" in p.read_text(encoding="utf-8"))  # fmt: skip


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_benchmark_answers_help(script, capsys, monkeypatch):
    """``--help`` describes each benchmark and exits 0 (before any work)."""
    out = run_script(script, ["--help"], capsys, monkeypatch)
    assert out.startswith("usage: "), out


# The fast ones.


def test_bench_forecast(capsys, monkeypatch):
    args = ["--children", "50", "--paths", "10", "--months", "6", "--repeats", "1"]
    out = run_script("forecast/bench_forecast.py", args, capsys, monkeypatch)
    has_lines(
        out,
        r"^\d+ children in care, 6 months x 10 paths \(fit \+ simulate\), over 1 runs: "
        r"wall min [\d.]+ s, median [\d.]+ s; process CPU min [\d.]+ s, median [\d.]+ s",
    )


def test_profile_forecast(capsys, monkeypatch):
    """The profile docs/forecast.md quotes, by step, and the generator's draws timed."""
    args = ["--children", "50", "--paths", "10", "--months", "6"]
    out = run_script("forecast/profile_forecast.py", args, capsys, monkeypatch)
    has_lines(
        out,
        r"^50 children, 6 months x 10 paths under cProfile: wall [\d.]+ s, process CPU [\d.]+ s",
        r"^  the fit: [\d.]+ s \(\d+%\)",
        r"^  the month's events: [\d.]+ s",
        r"^    of which resolving them: [\d.]+ s",
        r"^random draws \(CPU time of every generator call\): [\d.]+ s: gamma [\d.]+ s",
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
    out = run_script("matching/bench_crowded.py", [*args, "--shared-homes", "0.3"], capsys,
                     monkeypatch)  # fmt: skip
    has_lines(out, r"^seed 1: optimal .* gap [\d.]+%, [\d.]+ s, objective [\d,.]+")
    assert last_json(out)["shared_homes"] == 0.3


def test_shared_rows_give_homes_a_second_row_with_one_home_id(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH / "matching"))
    from generate import generate_crowded, shared_rows

    _, plcs = generate_crowded(10, 30, seed=1)
    out = shared_rows(plcs, 0.3, seed=1)
    assert len(out) == 39 and out["placement_id"].is_unique
    twice = out[out["home_id"].notna()]
    assert len(twice) == 18 and (twice.groupby("home_id").size() == 2).all()
    beds = twice[twice["home_places"].notna()]
    assert (beds["home_places"] == 2 * beds["vacancies"]).all()


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
        r"^runs list, all runs: best [\d.]+ s, worst [\d.]+ s \(3 runs shown of 3",
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
def test_bench_store_year_next_night(capsys, monkeypatch):
    """The next night's run on the filled store and on a fresh one (docs/operations.md)."""
    args = ["--nights", "10", "--nightly", "1"]
    out = run_script("bench_store_year.py", args, capsys, monkeypatch)
    has_lines(out, r"^next night's run \(validation and matching, decisions from the store\): "
                   r"[\d.]+-[\d.]+ s on this store, [\d.]+-[\d.]+ s on a fresh one")  # fmt: skip


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
        r"^2 tasks \(2 authorities x 1 scenarios, 10 paths x 12 months, backtest\), 2 workers, "
        r"and 4 reading the histories and keying their children$",
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
def test_bench_pages(capsys, monkeypatch):
    """The page times and the scenario run's time docs/web.md quotes."""
    out = run_script("web/bench_pages.py", ["--repeat", "1"], capsys, monkeypatch)
    has_lines(
        out,
        r"^  commissioner /forecast/categories: first \d+ ms, then median \d+ ms",
        r"^\d+ pages: first view \d+-\d+ ms; then \d+-\d+ ms \(median of 1\)",
        r"^scenario run \(sample, 1,000 paths\): [\d.]+ s",
    )


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


@SLOW
def test_bench_root(capsys, monkeypatch):
    args = ["--children", "20", "--placements", "60", "--seeds", "1"]
    out = run_script("matching/bench_root.py", args, capsys, monkeypatch)
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    by = {r["rows"]: r for r in rows}
    assert set(by) == {"cliques", "pairwise"}
    # the clique rows allow the same plans: the same bound from fewer rows
    assert by["cliques"]["root_bound"] == pytest.approx(by["pairwise"]["root_bound"])
    assert by["cliques"]["model_rows"] < by["pairwise"]["model_rows"]


@SLOW
def test_bench_root_highs_options(capsys, monkeypatch):
    # a HiGHS option on top of the solver's own, on the model as built only: the same bound
    args = ["--children", "20", "--placements", "60", "--seeds", "1"]
    args += ["--forms", "cliques"]
    plain = run_script("matching/bench_root.py", args, capsys, monkeypatch)
    options = ["--highs", "presolve=off", "--highs", "mip_heuristic_run_feasibility_jump=false"]
    tuned = run_script("matching/bench_root.py", [*args, *options], capsys, monkeypatch)
    (a,) = [json.loads(line) for line in plain.splitlines() if line.startswith("{")]
    (b,) = [json.loads(line) for line in tuned.splitlines() if line.startswith("{")]
    assert (a["rows"], a["highs"]) == ("cliques", {})
    assert b["highs"] == {"presolve": "off", "mip_heuristic_run_feasibility_jump": False}
    assert b["root_bound"] == pytest.approx(a["root_bound"])


def test_bench_root_refuses_an_unknown_highs_option(capsys, monkeypatch):
    for bad, said in (("nosuch=1", "HiGHS has no option nosuch taking '1'"),
                      ("presolve=3", "HiGHS has no option presolve taking '3'"),
                      ("presolve", "should be KEY=VALUE, as presolve=off")):  # fmt: skip
        assert said in stopped("matching/bench_root.py", ["--highs", bad], capsys, monkeypatch)


@SLOW
def test_bench_pool_many(tmp_path, capsys, monkeypatch):
    args = ["--members", "5", "--paths", "10", "--time-limit", "20", "--out", str(tmp_path)]
    out = run_script("commissioning/bench_pool_many.py", args, capsys, monkeypatch)
    has_lines(
        out,
        r"^5 members written and forecast in [\d.]+ s",
        r"^alone and pooled: [\d.]+ s in all; the members' 5 plans alone",
        r"^out of sample: alone £[\d,]+, pooled £[\d,]+, saving £",
        r"^peak memory \(resident, this process\) [\d,]+ MiB",
    )
