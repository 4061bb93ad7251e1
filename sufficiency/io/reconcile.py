"""Reconcile several years of 903 returns the way DfE counts children, on imperfect data.

Each collection year's return is the authority for its own period (1 April to
31 March, or to an in-year extract's last date), and a later return for whatever it
says about earlier times:

1. **Within a return**, an episode repeated is counted once, and overlapping episodes
   of one child are trimmed so each ends when the next starts (the later one stands).
2. **An episode left open** at the end of a return, whose child is not in care when
   the next return held begins (absent from it, or back only later), ended when that
   return's period began: it is closed on its first day, so the child counts on the
   earlier return's 31 March, as that return says (across a missing year, on the
   missing year's last day: the child left at some unknown time in it).
3. **Across returns**, an episode in a later return replaces any episode of the same
   child that overlaps it in an earlier return: a revised start date is one episode,
   not two (an earlier episode overlapping a later one of the same placement type,
   provider and postcode is its earlier version, unless the later one starts after the
   earlier return's period, across a missing year). Any other earlier episode that ran
   into the later one is trimmed to meet it, and one that led into a replaced episode
   is moved to meet its replacement, so a period of care stays unbroken.
4. **A missing year** (a gap between the first and last returns held) is reported; its
   months are left out of rate estimation, since who entered, moved and left then is
   unknown.
5. **A numeric CHILD written two ways** in different tables is one child: without the
   leading zeros it has elsewhere (as Excel drops them from a CSV it opens and saves),
   as a decimal (``123.0``, as pandas saves a number column with blanks), or with
   thousands separators (``100,211``, a number column so formatted; was read as a child
   under a new identifier, or a new child), or, in a CSV with semicolons or tabs between
   columns (Excel's CSV or "Text (Tab delimited)" in a European language), with full
   stops for them (``100.211``: groups of exactly three digits, so never ``123.0``). It is read
   in its zero-led, whole-number form, unless two forms appear in one table or their
   dates of birth differ.
6. **A return with no episodes**, or none that can be used (every CHILD in Excel's
   scientific notation, no start date that can be read), though children were in care
   when the return before it ended (a failed or filtered export) is read as no return
   for its year, not as a year in which every child left.
7. **A child under a new identifier** in the next return (a new case-management
   system), with the date of birth and the start of the episode running across the
   year's end of a child of the return before who is not in it under their own, is
   that child (:mod:`sufficiency.io.renumbered`).

Rows that cannot be used (no start date, an end before the start, no date of birth in
any return) are set aside; codes that can be read by a stated rule are (an unknown
placement type counts as ``other``). Only the fields the forecast uses are checked:
postcodes, ethnicity and the rest are carried through as written. Every finding is a
:class:`~sufficiency.errors.Problem` with the ``action`` taken.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection
from dataclasses import replace

import numpy as np
import pandas as pd

from sufficiency import codes
from sufficiency.errors import Problem
from sufficiency.figures import day as said_day
from sufficiency.io.cells import ROUNDED_MESSAGE, SCIENTIFIC_MESSAGE, excel_rounded, scientific
from sufficiency.io.dates import WRONG_WEEKDAY, eighteenth_birthdays, read_dates, wrong_weekday
from sufficiency.io.fill_down import fill_down
from sufficiency.io.history import SSDA903History
from sufficiency.io.id_shape import NOT_AN_ID, NOT_AN_ID_MESSAGE, not_an_id
from sufficiency.io.quality import DataQuality, ReturnInfo
from sufficiency.io.renumbered import renumbered, renumbering_problems
from sufficiency.io.set_aside import aside_rows, backwards_problems, live_children, open_set_aside
from sufficiency.io.ssda903_scan import DFE_TABLES, Return, period, year_label
from sufficiency.io.uasc_dob import uasc_dob_problems
from sufficiency.io.uasc_table import uasc_table
from sufficiency.io.x1_gap import X1_ACTION, X1_GAP, X1_MESSAGE, join_x1_gaps, name_unfollowed
from sufficiency.io.year_end_open import read_ends

EPISODE_COLUMNS = DFE_TABLES["episodes"]
#: Episode columns without which a table cannot be used.
_NEEDED = ("CHILD", "DECOM", "DEC", "LS", "PLACE")
_NAT = pd.NaT
_FAR = pd.Timestamp("2262-01-01")
#: Placement types DfE has retired, and what they became.
RETIRED_PLACE = {"H5": "K3", "P2": "K3", "Z1": "Z11", "Q1": "U1", "Q2": "U4"}
#: Placement types whose forecast category the provider decides (in-house or external
#: foster carers and children's homes), for which DfE requires a provider.
PROVIDER_DECIDES = frozenset({"U4", "U5", "U6", "Q2", "K2", "R1", "S1"})


class _Findings:
    """Collects problems with the action taken, row by row."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        #: episode rows set aside, for the children in care at the end they leave out
        self.aside: list[pd.DataFrame] = []

    def rows(
        self,
        df: pd.DataFrame,
        mask: pd.Series | np.ndarray,
        column: str | None,
        code: str,
        message: str,
        action: str,
        severity: str = "error",
    ) -> None:
        sel = df.loc[np.asarray(mask, dtype=bool), ["_src", "_row"]]
        for src, row in zip(sel["_src"].tolist(), sel["_row"].tolist(), strict=True):
            self.items.append(
                Problem(src, int(row), column, None, message, severity=severity,  # type: ignore[arg-type]
                        code=code, action=action)
            )  # fmt: skip

    def add(self, problem: Problem) -> None:
        self.items.append(problem)


def _frame(tables: tuple, columns: tuple[str, ...], found: _Findings, kind: str,
           year: int = 0) -> pd.DataFrame:  # fmt: skip
    frames = []
    for t in tables:
        raw = t.raw
        data = raw.data
        missing = [c for c in _NEEDED if c.lower() not in data.columns] if kind == "episodes" else (
            [c for c in ("CHILD", "DOB") if c.lower() not in data.columns]
        )  # fmt: skip
        if missing:
            found.add(
                Problem(raw.source, None, ", ".join(missing), None,
                        f"has no {', '.join(missing)} column", code="missing_column",
                        action="table set aside")
            )  # fmt: skip
            continue
        if raw.row_errors:  # a row with more cells than the header: its values unknown
            for p in raw.row_errors:
                found.add(replace(p, action="row set aside"))
            rows = np.asarray(data.index, dtype=np.int64) + raw.first_data_row
            data = data[~np.isin(rows, [p.row for p in raw.row_errors])]
        f = pd.DataFrame(
            {
                c: (
                    data[c.lower()].astype("string")  # already stripped by the reader
                    if c.lower() in data.columns
                    else pd.Series(pd.NA, index=data.index, dtype="string")
                )
                for c in columns
            },
            index=data.index,
        )
        f["_src"] = raw.source
        f["_row"] = (np.asarray(data.index, dtype=np.int64) + raw.first_data_row).astype(np.int64)
        f = fill_down(f, found) if kind == "episodes" else f  # a child's ID on one row
        # identifiers whose digits Excel lost: in scientific notation, or rounded to 15
        lost = {"excel_scientific": (scientific(f["CHILD"]), SCIENTIFIC_MESSAGE),
                "excel_rounded": (excel_rounded(f["CHILD"]), ROUNDED_MESSAGE)}  # fmt: skip
        gone = lost["excel_scientific"][0] | lost["excel_rounded"][0]
        if len(f) and gone.all():  # no child can be told from another: no table
            code = max(lost, key=lambda c: int(lost[c][0].sum()))
            found.add(
                Problem(raw.source, None, "CHILD", None, f"every CHILD {lost[code][1]}",
                        code=code, action="table set aside")
            )  # fmt: skip
            continue
        for code, (mask, message) in lost.items():
            found.rows(f, mask, "CHILD", code, f"CHILD {message}", "row set aside")
        named = not_an_id(f["CHILD"]) & ~gone  # a name typed as the ID: never used as one
        found.rows(f, named, "CHILD", NOT_AN_ID, f"CHILD {NOT_AN_ID_MESSAGE}", "row set aside")
        gone |= named
        if kind == "episodes":
            found.aside.append(aside_rows(f, gone, year, lost=True))
        frames.append(f[~gone])
    if not frames:
        return pd.DataFrame(columns=[*columns, "_src", "_row", "_order"])
    out = pd.concat(frames, ignore_index=True)
    # the order rows were read in, across the tables (in file-name order): where two
    # rows of one episode differ, the later one stands, so a later file's row is used
    # whatever its position in its own file
    out["_order"] = np.arange(len(out))
    if len(frames) > 1:
        out = out.drop_duplicates(list(columns), keep="last")
    return out.reset_index(drop=True)


def _dates(s: pd.Series) -> pd.Series:
    return read_dates(s)


def _upper(s: pd.Series) -> pd.Series:
    return s.astype("string").str.upper()


def _parse_episodes(ret: Return, found: _Findings) -> pd.DataFrame:
    """One return's episodes, typed, with rows that cannot be used set aside."""
    ep = _frame(ret.tables.get("episodes", ()), EPISODE_COLUMNS, found, "episodes", ret.year)
    ep["collection_year"] = ret.year
    blank = ep["CHILD"].isna()
    found.rows(ep, blank, "CHILD", "child_blank", "row has no CHILD", "row set aside")
    ep = ep[~blank]
    decom = _dates(ep["DECOM"])
    ep, dec = read_ends(ep, _dates(ep["DEC"]), decom, ret, found)  # open, or ended, no DEC
    bad_start = decom.isna()
    bad_end = dec.isna() & ep["DEC"].notna() & ~bad_start
    for col, bad, what, code in ((ep["DECOM"], bad_start, "start (DECOM)", "decom_invalid"),
                                 (ep["DEC"], bad_end, "end (DEC)", "dec_invalid")):  # fmt: skip
        weekday = wrong_weekday(col)  # Tuesday 3 March 2025, a Monday
        found.rows(ep, bad & weekday, col.name, code, f"episode {what} {WRONG_WEEKDAY}",
                   "episode set aside")  # fmt: skip
        found.rows(ep, bad & ~weekday, col.name, code, f"episode {what} is "
                   + ("blank or " if code == "decom_invalid" else "")
                   + "not a date in the form DD/MM/YYYY", "episode set aside")  # fmt: skip
    backwards = (dec < decom).fillna(False)
    for problem in backwards_problems(ep, dec, decom):  # naming the child
        found.add(problem)
    zero = (dec == decom).fillna(False)
    found.rows(ep, zero, "DEC", "zero_length", "episode starts and ends on the same day",
               "episode left out; the episodes either side still meet", "warning")  # fmt: skip
    late = (decom > ret.end).fillna(False)
    found.rows(ep, late & ~bad_start, "DECOM", "decom_after_year",
               f"episode starts after the end of the {year_label(ret.year)} "
               "collection year", "episode set aside")  # fmt: skip
    keep = ~(bad_start | bad_end | backwards | zero | late)
    found.aside.append(aside_rows(ep, bad_start | bad_end | backwards, ret.year))
    ep = ep[keep].copy()
    ep["DECOM"], ep["DEC"] = decom[keep], dec[keep]
    after = (ep["DEC"] > ret.end).fillna(False)
    found.rows(ep, after, "DEC", "dec_after_year",
               f"episode ends after the end of the {year_label(ret.year)} "
               "collection year", "read as open at the end of the return", "warning")  # fmt: skip
    ep.loc[after, "DEC"] = _NAT
    before = (ep["DEC"] < ret.start).fillna(False)
    found.rows(ep, before, "DEC", "dec_before_year",
               f"episode ended before the {year_label(ret.year)} collection year "
               "began", "kept", "warning")  # fmt: skip
    if before.sum() >= SEVERAL_YEARS_MIN and before.mean() >= 0.1:
        label = year_label(ret.year)
        found.add(
            Problem(ret.sources("episodes"), None, "DEC", None,
                    f"holds {int(before.sum()):,} episodes that ended before the {label} "
                    f"collection year began, the first on {said_day(ep.loc[before, 'DEC'].min())}"
                    ": an extract of several years from the case system, not one year's "
                    f"return? Only {label} is read as a return, so the rates use its months "
                    "alone; give the returns year by year, each in its own folder",
                    severity="warning",
                    code="several_years", action=f"read as the {label} return")
        )  # fmt: skip
    for col in ("RNE", "LS", "PLACE", "PLACE_PROVIDER"):
        ep[col] = _upper(ep[col])
    _read_codes(ep, ret.year, found)
    return ep


#: A return holding at least this many episodes that ended before its year (and a tenth
#: of its rows) is an extract of several years: DfE's return holds none.
SEVERAL_YEARS_MIN = 50


def _read_codes(ep: pd.DataFrame, year: int, found: _Findings) -> None:
    """Check the codes the forecast uses, and say how each unknown one is read."""
    rne = ep["RNE"]
    odd = ~rne.isin(list(codes.RNE_CODES)).fillna(False)
    found.rows(ep, odd, "RNE", "unknown_rne", "reason for new episode is blank or not a 903 code",
               "read as P (a new placement)", "warning")  # fmt: skip
    ep.loc[odd, "RNE"] = "P"
    ls = ep["LS"]
    odd = ~ls.isin(list(codes.LEGAL_STATUS_CODES)).fillna(False)
    found.rows(ep, odd, "LS", "unknown_legal_status",
               "legal status is blank or not a 903 code", "counted as a care order (C2)",
               "warning")  # fmt: skip
    place = ep["PLACE"]
    valid_now = codes.place_codes_for_year(year)
    known = place.isin(list(codes.ALL_PLACE_CODES | set(RETIRED_PLACE))).fillna(False)
    found.rows(ep, ~known, "PLACE", "unknown_place", "placement type is blank or not a 903 code",
               "counted as other", "warning")  # fmt: skip
    retired = known & ~place.isin(list(valid_now)).fillna(False)
    found.rows(ep, retired, "PLACE", "retired_place",
               f"placement type is not valid in the {year_label(year)} return",
               "read in the category of its successor (H5 and P2 as K3, Q1 as U1, Q2 as U4, "
               "Z1 as Z11)", "warning")  # fmt: skip
    provider = ep["PLACE_PROVIDER"]
    blank = provider.isna() & place.isin(list(PROVIDER_DECIDES)).fillna(False)
    found.rows(ep, blank, "PLACE_PROVIDER", "blank_provider",
               "placement provider is blank, but it says whether this foster or residential "
               "placement is in-house or external (IFA, private or voluntary home)",
               "counted as in-house (PR1)", "warning")  # fmt: skip
    odd = provider.notna() & ~provider.isin(list(codes.PROVIDER_CODES)).fillna(False)
    found.rows(ep, odd, "PLACE_PROVIDER", "unknown_provider",
               "placement provider is not a 903 code", "read as none given", "warning")  # fmt: skip
    ep.loc[odd, "PLACE_PROVIDER"] = pd.NA


def _parse_header(ret: Return, found: _Findings) -> pd.DataFrame:
    h = _frame(ret.tables.get("header", ()), DFE_TABLES["header"], found, "header")
    h = h[h["CHILD"].notna()].copy()
    h["DOB"] = _dates(h["DOB"])
    h["collection_year"] = ret.year
    dup = h.duplicated("CHILD", keep="last")
    used = h[~dup].set_index("CHILD")
    dob = pd.Series(used["DOB"].reindex(h["CHILD"]).to_numpy(), index=h.index)
    other = (dup & h["DOB"].notna() & dob.notna() & (h["DOB"] != dob)).to_numpy(bool)
    found.rows(h, dup & ~other, "CHILD", "duplicate_child", "child appears twice in this "
               "header", "the later row used", "warning")  # fmt: skip
    for i in h.index[other]:  # another date of birth: an age band may hang on the choice
        found.add(Problem(str(h.at[i, "_src"]), int(h.at[i, "_row"]), "DOB", None,
                          "child appears twice in this header with different dates of birth: "
                          f"row {used.at[h.at[i, 'CHILD'], '_row']}'s is used; check which is "
                          "right", severity="warning", code="duplicate_child",
                          action="the later row used"))  # fmt: skip
    return h[~dup]


#: A numeric CHILD, however written: leading zeros, a decimal point (``123.0``), or
#: thousands separators (``100,211``, a number column formatted with them).
_NUMERIC_ID = r"0*[1-9](?:\d*|\d{0,2}(?:,\d{3})+)(?:\.0+)?"
#: A CHILD with full stops for thousands separators (``100.211``), as Excel in a European
#: language saves a number column so formatted: read so only from a file with semicolons
#: between columns (such Excel's CSV, whose decimal point is a comma), where a full stop is
#: never a decimal point; groups of exactly three digits, never ``123.0``.
_DOTTED_ID = r"0*[1-9]\d{0,2}(?:\.\d{3})+"


def numeric_key(ids: pd.Series, dotted: bool = False) -> pd.Series:
    """The whole number each numeric CHILD of ``ids`` is (``00123``, ``123.0`` and ``123``
    are 123; ``100,211``, and ``100.211`` where ``dotted``, are 100211), ``<NA>`` for an
    identifier that is no number: the form rule 5 reads a child's other forms as."""
    text = ids.astype("string")
    num = text.str.fullmatch(_NUMERIC_ID) | (text.str.fullmatch(_DOTTED_ID) & dotted)
    key = text.str.replace(r"\.0+$", "", regex=True).str.replace(r"[,.]", "", regex=True)
    return key.str.lstrip("0").where(num.fillna(False).astype(bool))


def _dotted_ids(
    tables: list[pd.DataFrame], semicolons: Collection[str]
) -> dict[tuple[str, int], str]:
    """Rewrite each CHILD with full stops for thousands separators in a table read from a
    file in ``semicolons`` to its form with commas (read as those are, rule 5), returning
    each such row's (file, row) and CHILD as written."""
    written: dict[tuple[str, int], str] = {}
    if not semicolons:
        return written
    # one so written in a file with commas too is an identifier with a full stop in it
    elsewhere = set().union(*(t.loc[~t["_src"].isin(list(semicolons)), "CHILD"].dropna()
                              for t in tables))  # fmt: skip
    for t in tables:
        hit = t["_src"].isin(list(semicolons)) & t["CHILD"].str.fullmatch(_DOTTED_ID)
        hit &= ~t["CHILD"].isin(list(elsewhere))
        hit = hit.fillna(False).to_numpy(bool)
        if hit.any():
            sel = t.loc[hit, ["_src", "_row", "CHILD"]]
            written.update(zip(zip(sel["_src"], sel["_row"], strict=True), sel["CHILD"],
                               strict=True))  # fmt: skip
            t.loc[hit, "CHILD"] = t.loc[hit, "CHILD"].str.replace(".", ",", regex=False)
    return written


def _same_ids(
    eps: dict[int, pd.DataFrame],
    headers: list[pd.DataFrame],
    found: _Findings,
    semicolons: Collection[str] = (),
) -> None:
    """Read a numeric CHILD written two ways in different tables as one child (module
    docstring, rule 5), rewriting it in place to the zero-led, whole-number form; one with
    full stops for thousands separators is read so from the files in ``semicolons``."""
    tables = [*eps.values(), *headers]
    dotted = _dotted_ids(tables, semicolons)
    _read_forms(tables, headers, found, dotted)
    _undotted(tables, dotted)


def _read_forms(
    tables: list[pd.DataFrame],
    headers: list[pd.DataFrame],
    found: _Findings,
    dotted: dict[tuple[str, int], str],
) -> None:
    """:func:`_same_ids`'s reading of each form as its zero-led, whole-number form
    (``dotted``: the rows whose CHILD was written with full stops, and how)."""
    ids = pd.Series(pd.concat([t["CHILD"] for t in tables]).dropna().unique(), dtype="string")
    num = ids[ids.str.fullmatch(_NUMERIC_ID).fillna(False).to_numpy(bool)]
    forms = pd.DataFrame({"id": num.to_numpy(object), "key": numeric_key(num).to_numpy(object)})
    # a form with thousands separators is read without them even where it is the only one
    # (a child new in that return): no identifier's own form has them
    forms = forms[forms["key"].duplicated(keep=False) | forms["id"].str.contains(",")]
    if forms.empty:
        return
    groups = {k: list(g) for k, g in forms.groupby("key")["id"]}
    # two children whose identifiers differ only so: two forms in one table
    for t in tables:
        here = set(t["CHILD"].dropna())
        for k in [k for k, g in groups.items() if len(here.intersection(g)) > 1]:
            del groups[k]
    h = pd.concat(headers, ignore_index=True) if headers else pd.DataFrame()
    dobs = h.dropna(subset=["DOB"]).groupby("CHILD")["DOB"].agg(set) if len(h) else pd.Series()
    canon: dict[str, str] = {}
    for k, g in groups.items():
        led = [i for i in g if "." not in i and "," not in i and i.startswith("0")]
        if len(led) > 1:  # 0123 and 00123: no telling which
            continue
        target = led[0] if led else k
        for i in g:
            # a different date of birth: another child
            if i != target and not (i in dobs.index and target in dobs.index
                                    and not dobs[i] & dobs[target]):  # fmt: skip
                canon[i] = target
    known = set(ids)
    for t in tables:
        hit = t["CHILD"].isin(list(canon)).fillna(False).to_numpy(bool)
        if not hit.any():
            continue
        sel = t.loc[hit, ["_src", "_row", "CHILD"]]
        for src, row, child in zip(sel["_src"], sel["_row"], sel["CHILD"], strict=True):
            how = (
                "is written with thousands separators (full stops), as Excel in a European "
                "language saves a number column formatted with them"
                if (src, row) in dotted
                else "is written with thousands separators (commas), as a number column "
                "formatted with them is saved"
                if "," in child
                else "is written as a decimal number, as a number column with blanks is saved"
                if "." in child
                else "has lost the leading zeros it has in other tables (as Excel drops them)"
            )
            same = f"the same child as {canon[child]}" if canon[child] in known else (
                f"read as {canon[child]}")  # fmt: skip
            found.add(
                Problem(str(src), int(row), "CHILD", dotted.get((src, row), str(child)),
                        f"child identifier {how}: {same}", severity="warning",
                        code="child_id_form", action=f"read as {canon[child]}")
            )  # fmt: skip
        t.loc[hit, "CHILD"] = t.loc[hit, "CHILD"].map(canon)


def _undotted(tables: list[pd.DataFrame], dotted: dict[tuple[str, int], str]) -> None:
    """Each CHILD :func:`_dotted_ids` rewrote that is not read as another form (two forms in
    one table, another date of birth) back as written."""
    if not dotted:
        return
    for t in tables:
        at = pd.Series(list(zip(t["_src"], t["_row"], strict=True)), index=t.index, dtype=object)
        back = at.map(dotted)
        keep = back.notna() & t["CHILD"].str.contains(",", regex=False).fillna(False)
        t.loc[keep, "CHILD"] = back[keep].astype("string")


def _renumber(
    returns: list[Return],
    eps: dict[int, pd.DataFrame],
    headers: dict[int, pd.DataFrame],
    found: _Findings,
) -> None:
    """Read a child who comes back in the next return under a new identifier as the same
    child (rule 7; :mod:`sufficiency.io.renumbered`), renaming them in that return."""
    for older, newer in itertools.pairwise(returns):
        pairs = renumbered(eps[older.year], headers[older.year], eps[newer.year],
                           headers[newer.year], newer.start)  # fmt: skip
        if pairs.empty:
            continue
        for p in renumbering_problems(pairs, year_label(older.year)):
            found.add(p)
        old = dict(zip(pairs["CHILD"], pairs["OLD"], strict=True))
        for frame in (eps[newer.year], headers[newer.year]):
            frame["CHILD"] = frame["CHILD"].replace(old).astype("string")


def _drop_empty(
    returns: list[Return], eps: dict[int, pd.DataFrame], found: _Findings
) -> list[Return]:
    """Leave out a return whose episodes tables have no rows, or none that can be used (no
    CHILD column, every CHILD whose digits Excel lost, no start date that can be
    read), though children were in care when the return before it ended: their episodes
    would be in it, so it is a failed or filtered export, or one that cannot be read, not
    a year in which every child left (module docstring, rule 6)."""
    kept: list[Return] = []
    for r in returns:
        tables = r.tables.get("episodes", ())
        if len(eps[r.year]) == 0 and kept:
            before = kept[-1]
            ep = eps[before.year]
            n = ep.loc[ep["DEC"].isna(), "CHILD"].nunique()
            if n:
                label = year_label(r.year)
                none = "no rows" if not any(len(t.raw.data) for t in tables) else (
                    "no rows that can be used (above)")  # fmt: skip
                found.add(
                    Problem(r.sources("episodes"), None, None, None,
                            f"the {label} episodes table has {none}, though {n:,} children "
                            f"were in care when the {year_label(before.year)} return ended",
                            severity="warning", code="empty_return",
                            action=f"read as no return for {label}")
                )  # fmt: skip
                continue
        kept.append(r)
    return kept


def _within_return(ep: pd.DataFrame, found: _Findings) -> pd.DataFrame:
    """Count a repeated episode once; trim overlapping episodes of a child to meet. Of two
    rows of one child starting the same day, one with an end date is used before an open
    one (its later state: last year's rows pasted below this year's left the open version
    last, and 112 children who had left counted in care), else the later row."""
    ep = ep.assign(_ended=ep["DEC"].notna())
    ep = ep.sort_values(["CHILD", "DECOM", "_ended", "_order"], kind="stable")
    ep = ep.drop(columns="_ended")
    same = ep.duplicated(["CHILD", "DECOM"], keep="last")
    identical = ep.duplicated(["CHILD", "DECOM", "DEC", "PLACE", "LS"], keep="last")
    found.rows(ep, same & identical, "DECOM", "duplicate_episode",
               "episode repeated in this return", "counted once", "warning")  # fmt: skip
    found.rows(ep, same & ~identical, "DECOM", "overlapping_episodes",
               "child has two episodes starting the same day in this return",
               "the one with an end date used, else the later row")  # fmt: skip
    ep = ep[~same]
    child = ep["CHILD"].to_numpy(object)
    nxt_same = np.r_[child[1:] == child[:-1], False]
    nxt_start = np.r_[ep["DECOM"].to_numpy("datetime64[ns]")[1:], np.datetime64("NaT")]
    end = ep["DEC"].to_numpy("datetime64[ns]")
    over = nxt_same & (np.isnat(end) | (end > nxt_start))
    found.rows(ep, over, "DEC", "overlapping_episodes",
               "episode overlaps the child's next episode in this return",
               "trimmed to end when the next starts")  # fmt: skip
    dec = ep["DEC"].to_numpy("datetime64[ns]").copy()
    dec[over] = nxt_start[over]
    ep = ep.assign(DEC=dec)
    return ep


def _close_absent(eps: dict[int, pd.DataFrame], returns: list[Return], found: _Findings) -> None:
    """Close open episodes whose child is not in care when the next return held begins,
    by that return or any later one (a later return showing the child in care then
    corrects the next one's omission: :func:`_resolve_child` meets its episode instead)."""
    for i, (r, nxt) in enumerate(itertools.pairwise(returns)):
        ep = eps[r.year]
        later = eps[nxt.year]
        covering = (later["DECOM"] <= nxt.start) & (
            later["DEC"].isna() | (later["DEC"] >= nxt.start)
        )
        in_care = set(later.loc[covering, "CHILD"])
        for after in returns[i + 2 :]:
            e = eps[after.year]
            on = (e["DECOM"] <= nxt.start) & (e["DEC"].isna() | (e["DEC"] >= nxt.start))
            in_care |= set(e.loc[on, "CHILD"])
        open_ = ep["DEC"].isna() & ~ep["CHILD"].isin(in_care)
        # return r says the child was looked after on its last day, the next return that
        # they were not from its first: the episode ends on that first day, so the child
        # counts on r's 31 March, as r (DfE's count that year) says. Across a missing year,
        # on the gap's last day: the child left at some unknown time in it, and its
        # months are left out of the rates
        close_on = nxt.start - pd.Timedelta(days=int(nxt.year > r.year + 1))
        label = year_label(nxt.year)
        found.rows(ep, open_, "DEC",
                   "closed_absent", f"episode is open at the end of the return, but the child is "
                   f"not in care when the {label} return begins",
                   f"closed on {said_day(close_on)}", "warning")  # fmt: skip
        ep.loc[open_, "DEC"] = close_on
        if nxt.year > r.year + 1:
            _bridge_gap(ep, later[covering], label, found)


def _bridge_gap(ep: pd.DataFrame, covering: pd.DataFrame, label: str, found: _Findings) -> None:
    """Across a missing year, end an open episode when the child's next known one begins.

    A child open in one placement before a missing year and in another placement (begun
    during it) after is known to have moved, but not when or through which placements:
    the open episode ends when the later one begins, so the period of care stays
    unbroken; the move falls in the missing year, whose months the rates leave out.
    """
    cov = covering.sort_values("DECOM").drop_duplicates("CHILD", keep="last").set_index("CHILD")
    open_ = ep["DEC"].isna() & ep["CHILD"].isin(cov.index)
    if not open_.any():
        return
    nxt = cov.reindex(ep.loc[open_, "CHILD"])
    nxt.index = ep.index[open_]
    later_start = nxt["DECOM"] > ep.loc[open_, "DECOM"]
    mine = ep.loc[open_]
    posts = nxt["PL_POST"].notna() & mine["PL_POST"].notna()
    other = (
        (nxt["PLACE"] != mine["PLACE"]).fillna(True)
        | (nxt["PLACE_PROVIDER"].fillna("") != mine["PLACE_PROVIDER"].fillna(""))
        | (posts & (nxt["PL_POST"] != mine["PL_POST"]).fillna(False))
    )
    move = (later_start & other).reindex(ep.index, fill_value=False)
    found.rows(ep, move, "DEC", "gap_bridged",
               f"episode is open before a missing year, and the child is in another placement "
               f"when the {label} return begins", "ended when that placement began",
               "warning")  # fmt: skip
    ep.loc[move, "DEC"] = nxt.loc[move[move].index, "DECOM"]


def _across_returns(all_eps: pd.DataFrame, found: _Findings) -> pd.DataFrame:
    """Later returns replace what they overlap in earlier ones (see the module docstring)."""
    all_eps = all_eps.sort_values(
        ["CHILD", "DECOM", "collection_year"], ascending=[True, True, False], kind="stable"
    )
    repeat = all_eps.duplicated(["CHILD", "DECOM"], keep="first")
    # the latest return's copy of each episode stands; say where an earlier one differed
    kept = all_eps[~repeat]
    older = all_eps[repeat]
    if len(older):
        latest = kept.set_index(["CHILD", "DECOM"])["DEC"]
        theirs = latest.reindex(pd.MultiIndex.from_frame(older[["CHILD", "DECOM"]]))
        differs = (older["DEC"].notna() & (older["DEC"].to_numpy() != theirs.to_numpy())).to_numpy(
            bool
        )
        found.rows(older, differs, "DEC", "revised_dates",
                   "episode end date differs in a later return", "the later return's date used",
                   "warning")  # fmt: skip
    ep = kept.reset_index(drop=True)
    child = ep["CHILD"].to_numpy(object)
    start = ep["DECOM"].to_numpy("datetime64[ns]")
    end = ep["DEC"].to_numpy("datetime64[ns]")
    end_or_far = np.where(np.isnat(end), np.datetime64(_FAR), end)
    run_max = pd.Series(end_or_far).groupby(child).cummax().to_numpy("datetime64[ns]")
    prev_end = np.r_[np.datetime64("NaT"), run_max[:-1]]
    same = np.r_[False, child[1:] == child[:-1]]
    conflict = same & (prev_end > start)
    if not conflict.any():
        return ep
    affected = set(child[conflict])
    mask = ep["CHILD"].isin(affected).to_numpy(bool)
    fixed = [_resolve_child(g, found) for _, g in ep[mask].groupby("CHILD", sort=False)]
    return pd.concat([ep[~mask], *fixed], ignore_index=True)


def _resolve_child(g: pd.DataFrame, found: _Findings) -> pd.DataFrame:
    """One child's episodes from several returns: the latest return's stand, earlier ones
    fill in before them (trimmed, extended or replaced as the module docstring says)."""
    years = sorted(g["collection_year"].unique(), reverse=True)
    kept = g[g["collection_year"] == years[0]].sort_values("DECOM")
    replaced: list[int] = []
    trimmed: list[int] = []
    # start of an earlier version dropped; its predecessor moves to meet `cut`. Kept from
    # one return to the one before: the predecessor may be in an earlier return than the
    # versions dropped (an episode of 2023-24 revised by 2025-26, its 2024-25 copy the one
    # kept here, since each episode's latest copy is; its predecessor, X1 in 2023-24, ended
    # on the old start, so a revised start date broke the period of care in two: an exit
    # and an entry no child made)
    chain = None
    for y in years[1:]:
        first = kept.iloc[0]
        cut = first["DECOM"]
        rows = g[g["collection_year"] == y].sort_values("DECOM", ascending=False)
        out = []
        for idx, e in rows.iterrows():
            end = e["DEC"] if pd.notna(e["DEC"]) else _FAR
            if chain is not None and pd.notna(e["DEC"]) and e["DEC"] == chain:
                if e["DECOM"] >= cut:
                    replaced.append(idx)
                    chain = e["DECOM"]
                    continue
                e = e.copy()
                e["DEC"] = cut
                out.append(e)
                trimmed.append(idx)
                cut, chain = e["DECOM"], None
                continue
            chain = None
            if end <= cut:
                out.append(e)
                cut = e["DECOM"]
            elif e["DECOM"] >= cut or (_same_placement(e, first) and cut <= period(y)[1]):
                # superseded by the later return, or the later return's episode with the
                # start date it was revised from (a start after return y's period, across
                # a missing year, is no revision of it: return y stands for its own period)
                replaced.append(idx)
                chain = e["DECOM"]
            else:
                e = e.copy()
                e["DEC"] = cut
                out.append(e)
                trimmed.append(idx)
                cut = e["DECOM"]
        if out:
            kept = pd.concat([pd.DataFrame(out), kept]).sort_values("DECOM")
    found.rows(g, g.index.isin(replaced), "DECOM", "revised_episode",
               "episode overlaps one of the same child's episodes in a later return",
               "replaced by the later return's episode", "warning")  # fmt: skip
    found.rows(g, g.index.isin(trimmed), "DEC", "revised_episode",
               "episode runs into one of the same child's episodes in a later return",
               "end moved to meet the later return's episode", "warning")  # fmt: skip
    return kept


def _same_placement(a: pd.Series, b: pd.Series) -> bool:
    """Whether two episodes describe the same placement (a revised start date, not a move
    the earlier return did not know of): same type and provider, and the same placement
    postcode where both give one."""
    same = a["PLACE"] == b["PLACE"] and _eq(a["PLACE_PROVIDER"], b["PLACE_PROVIDER"])
    if pd.notna(a["PL_POST"]) and pd.notna(b["PL_POST"]):
        same = same and a["PL_POST"] == b["PL_POST"]
    return bool(same)


def _eq(a: object, b: object) -> bool:
    return bool((pd.isna(a) and pd.isna(b)) or a == b)


def _dobs(headers: list[pd.DataFrame], found: _Findings) -> pd.DataFrame:
    """One header row per child: the latest return's, with the latest valid date of birth."""
    h = pd.concat(headers, ignore_index=True) if headers else pd.DataFrame(
        columns=[*DFE_TABLES["header"], "collection_year", "_src", "_row"]
    )  # fmt: skip
    h = h.sort_values(["CHILD", "collection_year"], kind="stable")
    valid = h[h["DOB"].notna()]
    counts = valid.groupby("CHILD")["DOB"].nunique()
    changed = set(counts.index[counts > 1])
    if changed:
        latest_rows = valid[valid["CHILD"].isin(changed)].drop_duplicates("CHILD", keep="last")
        found.rows(latest_rows, np.ones(len(latest_rows), bool), "DOB", "dob_revised",
                   "date of birth differs between returns", "the latest return's used",
                   "warning")  # fmt: skip
    dob = valid.drop_duplicates("CHILD", keep="last").set_index("CHILD")["DOB"]
    out = h.drop_duplicates("CHILD", keep="last").copy()
    # reindex, not map: a map over an empty Series of dates (no valid date of birth in
    # any return) fails in pandas
    out["DOB"] = dob.reindex(out["CHILD"]).to_numpy()
    return out.reset_index(drop=True)


def reconcile(returns: list[Return]) -> SSDA903History:
    """Parse and reconcile ``returns`` (earliest first): see the module docstring."""
    found = _Findings()
    eps: dict[int, pd.DataFrame] = {}
    headers = []
    returns_read = list(returns)
    for r in returns:
        eps[r.year] = _parse_episodes(r, found)
        headers.append(_parse_header(r, found))
        for problem in uasc_dob_problems(r, headers[-1]):  # the header's date used
            found.add(problem)
    # a European Excel's text: its CSV has semicolons, its "Text (Tab delimited)" tabs
    semicolons = {t.raw.source for r in returns for kind in ("episodes", "header")
                  for t in r.tables.get(kind, ()) if t.raw.delimiter in (";", "\t")}  # fmt: skip
    _same_ids(eps, headers, found, semicolons)
    returns = _drop_empty(returns, eps, found)
    returns = [r for r in returns if len(eps[r.year]) or r.tables.get("episodes")]
    _renumber(returns, eps, dict(zip([r.year for r in returns_read], headers, strict=True)),
              found)  # fmt: skip
    latest = returns[-1]
    data_end = _data_end(latest, eps[latest.year], found)
    eps[latest.year] = _complete_months(latest, eps[latest.year], data_end, found)
    returns[-1] = Return(latest.year, latest.tables, latest.start, data_end)
    for r in returns:
        eps[r.year] = _within_return(eps[r.year], found)
    _close_absent(eps, returns, found)
    all_eps = _across_returns(pd.concat([eps[r.year] for r in returns], ignore_index=True), found)
    all_eps, gap = join_x1_gaps(all_eps)  # X1, the next episode a day or more later
    found.rows(all_eps, gap, "DEC", X1_GAP, X1_MESSAGE, X1_ACTION, "warning")
    name_unfollowed(all_eps, found)  # X1, no episode after it
    header = _dobs(headers, found)
    _no_header(returns_read, eps, header, found)
    live = live_children(all_eps, data_end)  # before those with no date of birth go
    all_eps, set_aside_open = _check_dobs(all_eps, header, data_end, found)
    dob = header.drop_duplicates("CHILD").set_index("CHILD")["DOB"]
    set_aside_open += open_set_aside(found.aside, latest.year, live, dob, data_end)
    all_eps = all_eps.sort_values(["CHILD", "DECOM"], kind="stable").reset_index(drop=True)
    years = tuple(r.year for r in returns)
    missing = tuple(y for y in range(years[0], years[-1] + 1) if y not in years)
    counted = dfe_count(all_eps, header, data_end)
    quality = DataQuality(
        problems=tuple(found.items),
        returns=tuple(
            ReturnInfo(r.year, r.start, r.end, r.sources("episodes"), len(eps[r.year]))
            for r in returns
        ),
        missing_years=missing,
        not_used=(),
        data_end=data_end,
        num_looked_after=counted,
        num_set_aside_open=set_aside_open,
    )
    keep_cols = [*EPISODE_COLUMNS, "collection_year"]
    episodes = all_eps[keep_cols].copy()
    for col in ("CHILD", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "PL_POST", "URN"):
        episodes[col] = episodes[col].astype("string")
    episodes["collection_year"] = episodes["collection_year"].astype("Int64")
    head = header[[*DFE_TABLES["header"], "collection_year"]].copy()
    head = (
        head[head["CHILD"].isin(set(episodes["CHILD"]))].sort_values("CHILD").reset_index(drop=True)
    )
    return SSDA903History(
        header=head,
        episodes=episodes,
        uasc=uasc_table(returns, head, numeric_key),
        years=years,
        data_start=period(years[0])[0],
        data_end=data_end,
        missing_years=missing,
        quality=quality,
    )


#: A latest return whose days after its latest episode date should, at the return's own
#: pace, hold this many days with an episode start or end, and hold none, is an in-year
#: extract (a quiet spell that long in a whole year has a chance of e**-6, 1 in 400; a
#: small authority's quiet March, a few days' worth at its pace, is not evidence).
YEAR_END_EVENTS = 6.0
#: An in-year extract whose month ends with days that should hold this many days with an
#: episode start or end, at the return's own pace, and hold none, was taken part-way
#: through that month (a quiet spell that long in a whole month has a chance of e**-3, 5%).
PART_MONTH_EVENTS = 3.0


def _data_end(latest: Return, ep: pd.DataFrame, found: _Findings) -> pd.Timestamp:
    """The last day the latest return covers: 31 March, or for an in-year extract the end
    of the last whole month it holds.

    A return is an in-year extract only when its quiet spell is evidence: the days from its
    latest episode date to 31 March should, at the return's pace, have held
    :data:`YEAR_END_EVENTS` days with a start or an end. A small authority's return with
    no start or end in March (a few dozen a year) covers the whole year, and is said so;
    read as an extract, its history and forecast would start a month or more early. An
    extract ends with the month of its latest date, or the month before when the days left
    in that month should likewise have held :data:`PART_MONTH_EVENTS` days with a start or
    an end (an extract taken on 14 November holds half of November: read as a whole month,
    its entries and moves would start the forecast low), unless the month is the year's
    first."""
    dates = pd.concat([ep["DECOM"], ep["DEC"]]).dropna()
    dates = dates[(dates >= latest.start) & (dates <= latest.end)]
    if dates.empty:  # nothing happened in the year: nothing says it stops early
        return latest.end
    last_date = pd.Timestamp(dates.max())
    last = last_date + pd.offsets.MonthEnd(0)
    if last >= latest.end:
        return latest.end
    # days with a start or an end, not events: a day's burst (a data migration's) is one
    num_days = dates.dt.normalize().nunique()
    per_day = num_days / ((last_date - latest.start).days + 1)
    quiet = (latest.end - last_date).days
    if quiet * per_day < YEAR_END_EVENTS:
        found.add(
            Problem(latest.sources("episodes"), None, None, None,
                    f"the {year_label(latest.year)} return's latest start or end of an "
                    f"episode is on {said_day(last_date)}, {quiet} days before the year ends; "
                    f"at its pace ({num_days:,} day(s) with a start or an end since "
                    f"{said_day(latest.start)}) a quiet spell that long is chance, so it is "
                    f"read as the whole year, to {said_day(latest.end)}, not as an in-year "
                    "extract", severity="warning", code="quiet_year_end",
                    action=f"the history ends, and forecasts start, on {said_day(latest.end)}")
        )  # fmt: skip
        return latest.end
    before = last_date - pd.offsets.MonthEnd(1)  # the end of the month before
    if (last - last_date).days * per_day >= PART_MONTH_EVENTS and before >= latest.start:
        return before
    return last


def episodes_as_of(ep: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Episodes as they stood on ``cutoff``: those starting later left out, those ending
    later open (``DEC``, ``REC`` and ``REASON_PLACE_CHANGE`` blanked)."""
    ep = ep[(ep["DECOM"] <= cutoff).to_numpy(bool)].copy()
    later = (ep["DEC"] > cutoff).to_numpy(bool)
    ep.loc[later, "DEC"] = _NAT
    ep.loc[later, ["REC", "REASON_PLACE_CHANGE"]] = pd.NA
    return ep


def _complete_months(
    latest: Return, ep: pd.DataFrame, data_end: pd.Timestamp, found: _Findings
) -> pd.DataFrame:
    """The latest return's episodes as they stood at ``data_end`` (the end of its last
    whole month): later starts left out, later ends read as open, and said so."""
    later_start = (ep["DECOM"] > data_end).to_numpy(bool)
    later_end = (ep["DEC"] > data_end).to_numpy(bool) & ~later_start
    if not (later_start.any() or later_end.any()):
        return ep
    last_date = pd.concat([ep["DECOM"], ep["DEC"]]).max()
    found.add(
        Problem(latest.sources("episodes"), None, None, None,
                f"the {year_label(latest.year)} return's latest date is {said_day(last_date)}, "
                f"{(last_date + pd.offsets.MonthEnd(0) - last_date).days} days before its "
                "month ends: read as an extract taken part-way through the month, so the "
                f"history ends at {said_day(data_end)}, the last whole month, and "
                f"{int(later_start.sum()):,} episode(s) starting and {int(later_end.sum()):,} "
                "ending after it are left out",
                severity="warning", code="part_month",
                action=f"read as it stood on {said_day(data_end)}")
    )  # fmt: skip
    return episodes_as_of(ep, data_end)


def _no_header(returns: list[Return], eps: dict[int, pd.DataFrame], header: pd.DataFrame,
               found: _Findings) -> None:  # fmt: skip
    """Name each return with episodes but no header table, and how many of its children
    have no date of birth in any other return (their episodes set aside)."""
    born = header.loc[header["DOB"].notna(), "CHILD"]
    for r in (r for r in returns if r.tables.get("episodes") and not r.tables.get("header")):
        n = int(eps[r.year].loc[~eps[r.year]["CHILD"].isin(born), "CHILD"].nunique())
        found.add(
            Problem(r.sources("episodes"), None, None, None,
                    f"the {year_label(r.year)} return has no header table (CHILD, SEX, "
                    f"DOB...): {n:,} of its children appear in no other return's header, so "
                    "have no date of birth, and their episodes are set aside; add that "
                    "year's header file (or its header row, if a file was skipped as not a "
                    "903 table)", severity="warning", code="no_header",
                    action="dates of birth taken from the other returns")
        )  # fmt: skip


def _check_dobs(
    ep: pd.DataFrame, header: pd.DataFrame, data_end: pd.Timestamp, found: _Findings
) -> tuple[pd.DataFrame, int]:
    """Set aside children with no usable date of birth, or born after an episode starts.

    Returns the episodes kept and how many set-aside children had an open episode
    (not a short break) on ``data_end``.
    """
    dob = header.drop_duplicates("CHILD").set_index("CHILD")["DOB"]
    ep_dob = pd.Series(dob.reindex(ep["CHILD"]).to_numpy(), index=ep.index)  # see _dobs
    no_dob = ep_dob.isna()
    born_late = (ep_dob > ep["DECOM"]).fillna(False)
    late_children = set(ep.loc[born_late, "CHILD"])
    first_no_dob = no_dob & ~ep.duplicated("CHILD")
    found.rows(ep, first_no_dob, "CHILD", "no_dob",
               "child has episodes but no valid date of birth in any return's header",
               "the child's episodes set aside")  # fmt: skip
    first_late = born_late & ~ep[born_late].duplicated("CHILD").reindex(ep.index, fill_value=True)
    found.rows(ep, first_late, "DOB", "dob_after_start",
               "child's date of birth is after the start of this episode",
               "the child's episodes set aside")  # fmt: skip
    # DfE's rule 352: a period of care cannot begin at 18 or over. A date of birth typed
    # a decade early (2002 for 2012) made a child in care 23: left out of every count
    # and of the forecast, with nothing said
    adult = (
        (ep["RNE"].astype("string").str.upper() == "S")
        & (ep["DECOM"] >= pd.Series(eighteenth_birthdays(ep_dob), index=ep.index))
    ).fillna(False) & ~ep["CHILD"].isin(late_children)
    found.rows(ep, adult, "DOB", "adult_at_start",
               "child was 18 or over when this period of care began (DfE's rule 352): check "
               "the date of birth in the header", "kept; not counted or forecast as a child "
               "in care, being 18 or over", severity="warning")  # fmt: skip
    drop = no_dob | ep["CHILD"].isin(late_children)
    gone = ep[drop]
    open_gone = gone[
        gone["DEC"].isna()
        & (gone["DECOM"] <= data_end)
        & ~gone["LS"].isin(list(codes.SHORT_BREAK_LEGAL_STATUSES)).fillna(False)
    ]
    return ep[~drop], int(open_gone["CHILD"].nunique())


def dfe_count(episodes: pd.DataFrame, header: pd.DataFrame, on: pd.Timestamp) -> int:
    """Children looked after on ``on`` as DfE counts them at 31 March.

    Distinct children with an episode open on ``on`` (started on or before it, not ended
    by it), leaving out short breaks (legal status V3 or V4) and children aged 18 or over.
    """
    children = pd.Series(live_children(episodes, on))
    dob = header.drop_duplicates("CHILD").set_index("CHILD")["DOB"].reindex(children)
    return int(np.sum(np.asarray(eighteenth_birthdays(dob) > on)))


__all__ = ["dfe_count", "reconcile"]
