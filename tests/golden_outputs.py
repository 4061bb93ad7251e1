"""Golden outputs: what every command writes on the sample authority and a regional instance.

Refactoring must not change a figure. :func:`produce` runs each command as a user would
(through the CLI, in-process) and :func:`snapshot` reduces what it wrote to comparable
files: every CSV byte for byte, ``summary.json`` without wall-clock timings, and each
workbook's cell values as JSON (a workbook's bytes carry a creation time).

Regenerate after an intended change of output, and say why in the commit::

    .venv/bin/python tests/golden_outputs.py --update
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SAMPLE = ROOT / "data" / "sample"
RUN_DATE = "2026-04-01"

#: Keys (in summary.json and the match report's Technical detail sheet) that measure
#: wall-clock time: those ending so, or (a workbook row's label) naming a runtime.
VOLATILE_SUFFIXES = ("_seconds",)
VOLATILE_WORDS = ("runtime",)


def _regional_instance(folder: Path) -> tuple[Path, Path]:
    """A county-spread instance (150 children, 4,000 homes) from the matching benchmarks."""
    sys.path.insert(0, str(ROOT / "benchmarks" / "matching"))
    try:
        from generate import generate_instance
    finally:
        sys.path.pop(0)
    refs, plcs = generate_instance(150, 4000, seed=7, run_date=dt.date(2026, 3, 1))
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "referrals.csv", folder / "placements.csv"
    for frame, path in zip((refs, plcs), paths, strict=True):
        frame = frame.copy()
        for col in frame.columns:  # the input contract writes lists as ;-separated codes
            if frame[col].map(lambda v: isinstance(v, tuple)).any():
                frame[col] = frame[col].map(
                    lambda v: ";".join(map(str, v)) if isinstance(v, tuple) else v
                )
        frame.to_csv(path, index=False)
    return paths


def commands(out: Path) -> dict[str, list[str]]:
    """Each job's command line (the sample's, as `make demo` runs them, with fewer paths).

    Paths are relative to the working folder :func:`produce` sets up, because outputs
    name their inputs as the user gave them and goldens must not hold a checkout's path.
    """
    s = Path("sample")
    refs, plcs = _regional_instance(Path("regional_inputs"))
    scenario = str(s / "scenarios" / "step_down_and_in_house.toml")
    return {
        "match": ["match", "--referrals", str(s / "referrals.csv"), "--placements",
                  str(s / "placements.csv"), "--date", RUN_DATE, "--out", str(out / "match")],
        "match_regional": ["match", "--referrals", str(refs), "--placements", str(plcs),
                           "--date", "2026-03-01", "--out", str(out / "match_regional")],
        "forecast": ["forecast", "--history", str(s / "ssda903"), "--out", str(out / "forecast"),
                     "--supply", str(s / "supply.toml"), "--placements", str(s / "placements.csv"),
                     "--scenario", scenario, "--paths", "200", "--date", RUN_DATE],
        "backtest": ["backtest", "--history", str(s / "ssda903"), "--cutoff", "2024-03-31",
                     "--horizon-months", "12", "--paths", "100", "--out", str(out / "backtest")],
        "spend": ["spend", "--history", str(s / "ssda903"), "--out", str(out / "spend"),
                  "--budget", str(s / "budget.csv"), "--scenario", scenario, "--date", RUN_DATE,
                  "--paths", "200"],
        "commission": ["commission", "--history", str(s / "ssda903"), "--levers",
                       str(s / "levers.toml"), "--out", str(out / "commission"), "--paths", "100",
                       "--eval-paths", "100", "--date", RUN_DATE],
    }  # fmt: skip


def produce(work: Path, store_url: str) -> dict[str, str]:
    """Run every job in the folder ``work``, into ``work/out/<job>``; returns the console output."""
    from click.testing import CliRunner

    from sufficiency.cli import main

    printed: dict[str, str] = {}
    work.mkdir(parents=True, exist_ok=True)
    here = Path.cwd()
    os.chdir(work)
    try:
        Path("sample").symlink_to(SAMPLE, target_is_directory=True)
        for job, args in commands(Path("out")).items():
            store = [] if job == "backtest" else ["--store", store_url]  # backtest records no run
            result = CliRunner().invoke(main, [*args, *store])
            if result.exit_code != 0:
                raise RuntimeError(f"{job} exited {result.exit_code}: {result.output}")
            printed[job] = result.output
    finally:
        os.chdir(here)
    return printed


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        # Twelve significant figures: a mean over paths may differ in its last bit between
        # CPUs (numpy's pairwise sums use the machine's vector width); no figure shown is
        # anywhere near that precision.
        return format(value, ".12g")
    return value


def _volatile(key: Any) -> bool:
    return isinstance(key, str) and (
        key.endswith(VOLATILE_SUFFIXES) or any(w in key.lower() for w in VOLATILE_WORDS)
    )


def _without_timings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("<timing>" if _volatile(k) else _without_timings(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def workbook_values(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's cell values, row by row (timings blanked)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    sheets: dict[str, list[list[Any]]] = {}
    for ws in book.worksheets:
        rows = []
        for row in ws.iter_rows(values_only=True):
            cells = [_plain(v) for v in row]
            if cells and _volatile(cells[0]):
                cells[1:] = ["<timing>"] * (len(cells) - 1)
            rows.append(cells)
        sheets[ws.title] = rows
    book.close()
    return sheets


def snapshot(out: Path, dest: Path) -> list[str]:
    """Reduce what the jobs wrote in ``out`` to comparable files in ``dest``; returns names."""
    names: list[str] = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out)
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".csv":
            shutil.copyfile(path, target)
        elif path.suffix == ".json":
            data = _without_timings(json.loads(path.read_text(encoding="utf-8")))
            target.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        elif path.suffix == ".xlsx":
            target = target.with_name(target.name + ".json")
            values = workbook_values(path)
            target.write_text(json.dumps(values, indent=0) + "\n", encoding="utf-8")
        else:
            continue  # HTML pages are checked by their own tests; their bytes hold a run time
        names.append(str(target.relative_to(dest)))
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="rewrite tests/golden")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "work" / "out"
        produce(out.parent, f"sqlite:///{tmp}/runs.db")
        if args.update:
            shutil.rmtree(GOLDEN, ignore_errors=True)
            names = snapshot(out, GOLDEN)
            print(f"Wrote {len(names)} golden files to {GOLDEN}")


if __name__ == "__main__":
    main()
