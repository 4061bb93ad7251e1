"""Run DfE's SSDA903 validator (``csc-validator-be-903``) over the bundled sample.

Run with the validator's own virtualenv (it pins an old pandas)::

    .validator-venv/bin/python scripts/validate_sample.py data/sample/ssda903 --la E10000034

``DIR`` holds one folder per collection year, named by the year the collection
ends (``2026`` = 1 April 2025 to 31 March 2026), each with ``header.csv``,
``episodes.csv`` and ``uasc.csv``. Each year is validated with its own ruleset
(``lac2025_26`` for 2026) and the previous year's files uploaded as "Prev year",
as the DfE tool does. Prints, per year, each failing rule with its message and
the number of failing rows per table, then the rules that failed to run.
Exits 1 if any year has any error, otherwise 0.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import logging
import sys
from pathlib import Path

TABLE_FILES = ("header.csv", "episodes.csv", "uasc.csv")


#: First collection year (by end year) whose specification codes SEX as M/F rather than 1/2.
SEX_MF_FROM = 2025


def _recode_sex(content: bytes) -> bytes:
    """Recode SEX 1/2 as M/F in a header or UASC CSV (second column)."""
    lines = content.decode("utf-8").split("\n")
    out = lines[:1]
    for line in lines[1:]:
        cells = line.split(",")
        if len(cells) > 1 and cells[1] in ("1", "2"):
            cells[1] = "M" if cells[1] == "1" else "F"
        out.append(",".join(cells))
    return "\n".join(out).encode("utf-8")


def _uploaded(folder: Path, description: str, sex_mf: bool = False) -> list[dict[str, object]]:
    files = []
    for name in TABLE_FILES:
        path = folder / name
        if path.is_file():
            content = path.read_bytes()
            if sex_mf and name in ("header.csv", "uasc.csv"):
                content = _recode_sex(content)
            files.append({"name": str(path), "description": description, "file_content": content})
    return files


def validate_year(
    root: Path, year: int, la_code: str
) -> tuple[list[tuple[str, str, str, int]], list[str]]:
    """Validate one collection year; return (rule, message, table, count) rows and failed rules."""
    from lac_validator.lac_validator import LacValidator

    ruleset = f"lac{year - 1}_{str(year)[2:]}"
    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    files = _uploaded(root / str(year), "This year")
    if not files:
        raise FileNotFoundError(f"no 903 files in {root / str(year)}")
    # The previous year's return follows the previous specification. SEX changed from 1/2
    # to M/F in 2024-25 and the validator's rule 202 compares the raw codes across years,
    # so last year's SEX codes are restated in this year's coding before upload.
    files += _uploaded(root / str(year - 1), "Prev year", sex_mf=year >= SEX_MF_FROM)
    metadata = {"collectionYear": str(year), "localAuthority": la_code}
    with contextlib.redirect_stdout(io.StringIO()):  # rule 503D prints its result
        v = LacValidator(metadata=metadata, files=files, registry=registry)  # type: ignore[arg-type]
    rows = []
    for table, df in sorted(v.ds_results.items()):
        if table == "metadata":
            continue
        for col in sorted(c for c in df.columns if str(c).startswith("ERR_")):
            count = int(df[col].fillna(False).astype(bool).sum())
            if count:
                code = col[4:]
                rows.append((code, str(registry[code].message), table, count))
    return sorted(rows), sorted(set(v.fails))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="folder with one sub-folder per collection year")
    parser.add_argument("--la", required=True, help="responsible LA code, e.g. E10000034")
    parser.add_argument(
        "--years",
        type=int,
        nargs="+",
        default=[2023, 2024, 2025, 2026],
        help="collection end years",
    )
    parser.add_argument("--verbose", action="store_true", help="show the validator's log")
    args = parser.parse_args(argv)
    logging.disable(logging.NOTSET if args.verbose else logging.CRITICAL)

    any_errors = False
    summary = []
    for year in args.years:
        rows, fails = validate_year(args.root, year, args.la)
        total = sum(r[3] for r in rows)
        any_errors |= total > 0
        summary.append((year, total, len(fails)))
        print(f"\n=== Collection year {year - 1}-{str(year)[2:]} (collectionYear {year}) ===")
        if rows:
            print(f"{'rule':<10} {'table':<14} {'rows':>5}  message")
            for code, message, table, count in rows:
                print(f"{code:<10} {table:<14} {count:>5}  {message}")
        else:
            print("no errors")
        if fails:
            print(f"rules that failed to run ({len(fails)}): {', '.join(fails)}")

    print("\n=== Summary ===")
    for year, total, nfails in summary:
        print(f"{year}: {total} failing rows, {nfails} rules failed to run")
    return 1 if any_errors else 0


if __name__ == "__main__":
    sys.exit(main())
