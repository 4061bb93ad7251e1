"""Run DfE's SSDA903 validator (``csc-validator-be-903``) over the bundled sample.

Run with the validator's own virtualenv (it pins an old pandas)::

    .validator-venv/bin/python scripts/validate_sample.py data/sample/ssda903 --la E10000034

``DIR`` holds one folder per collection year, named by the year the collection
ends (``2026`` = 1 April 2025 to 31 March 2026), each with ``header.csv``,
``episodes.csv`` and ``uasc.csv``. Each year is validated with its own ruleset
(``lac2025_26`` for 2026) and the previous year's files uploaded as "Prev year",
as the DfE tool does, with the codes that changed between the two specifications
(SEX, H5) restated in this year's coding. Prints, per year, each failing rule with
its message and the number of failing rows per table, then the rules that failed
to run. Exits 1 if any year has any error, otherwise 0.
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
#: First collection year (by end year) whose specification has no H5 placement type.
H5_AS_K3_FROM = 2026


def _restate(content: bytes, column: str, codes: dict[str, str]) -> bytes:
    """Recode one column of a CSV (no quoted cells) by ``codes``; other values are kept."""
    lines = content.decode("utf-8").split("\n")
    at = lines[0].split(",").index(column)
    out = lines[:1]
    for line in lines[1:]:
        cells = line.split(",")
        if len(cells) > at:
            cells[at] = codes.get(cells[at], cells[at])
        out.append(",".join(cells))
    return "\n".join(out).encode("utf-8")


def _uploaded(folder: Path, description: str, restate_for: int = 0) -> list[dict[str, object]]:
    """The year's files as the validator takes them, restated in ``restate_for``'s coding."""
    files = []
    for name in TABLE_FILES:
        path = folder / name
        if path.is_file():
            content = path.read_bytes()
            if restate_for >= SEX_MF_FROM and name in ("header.csv", "uasc.csv"):
                content = _restate(content, "SEX", {"1": "M", "2": "F"})
            if restate_for >= H5_AS_K3_FROM and name == "episodes.csv":
                content = _restate(content, "PLACE", {"H5": "K3"})
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
    # The previous year's return follows the previous specification, and the validator
    # compares raw codes across years, so last year's codes are restated in this year's
    # coding before upload. SEX changed from 1/2 to M/F in 2024-25 (rule 202). H5 left
    # the specification in 2025-26, and an H5 placement open on 31 March 2025 is the same
    # episode coded K3 in 2025-26: DfE's rule 503D allows exactly that change, but
    # validator 0.1.17 applies the exemption only for collectionYear 2024 and 2025.
    files += _uploaded(root / str(year - 1), "Prev year", restate_for=year)
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
