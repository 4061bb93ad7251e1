"""Tests of the messy 903 fixtures themselves (not of the 903 reader).

Each variant is built once per module from the bundled sample and read back here
with plain pandas, openpyxl and ``xml.etree``, so a reader test can trust what a
:class:`~messy903.Messy903` says about its folder.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from messy903 import (
    BUILDERS,
    COLUMNS,
    EXTRA_FILE_NAMES,
    MAIN_TABLES,
    SAMPLE_903,
    XML_EPISODE_TAGS,
    Messy903,
    Return,
    clean_count,
    collection_end,
    collection_start,
    dfe_count,
    everything,
    extra_tables_for,
    load_returns,
    sector,
    xml_returns,
)
from openpyxl import load_workbook

#: The order of HEADER items in DfE's example return (validator tests/fake_data/fake_903.xml).
EXAMPLE_HEADER_ORDER = (
    "CHILDID", "UPN", "SEX", "DOB", "ETHNIC", "UASC", "DUC", "IN_TOUCH", "ACTIV", "ACCOM",
    "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR",
    "AMISSING", "AREVIEW", "MOTHER", "MC_DOB", "PERMANENCE", "OC2", "AD_PLACED",
)  # fmt: skip
DATE_COLS = {"DOB", "MC_DOB", "DECOM", "DEC", "DUC"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Messy903]:
    """Each variant built once, on first use."""
    cache: dict[str, Messy903] = {}

    def get(name: str) -> Messy903:
        if name not in cache:
            cache[name] = BUILDERS[name](tmp_path_factory.mktemp(name))
        return cache[name]

    return get


@pytest.fixture(scope="module")
def clean() -> dict[int, Return]:
    """The bundled sample, as the builders read it."""
    return load_returns()


# --- reading the variants back, independently of sufficiency --------------------------


def _normalise_date(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float):
        return (datetime(1899, 12, 30) + timedelta(days=int(value))).strftime("%d/%m/%Y")
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.strptime(text, "%Y-%m-%d").strftime("%d/%m/%Y")
    return text.removesuffix(" 00:00:00")


def read_table(path: Path) -> pd.DataFrame:
    """A CSV or XLSX table as DD/MM/YYYY strings, skipping any rows above CHILD."""
    if path.suffix == ".xlsx":
        rows = xlsx_rows(path)
    else:
        rows = [line.split(",") for line in path.read_text().splitlines()[:5]]
    skip = next(i for i, row in enumerate(rows) if row and row[0] == "CHILD")
    if path.suffix == ".xlsx":
        width = len(rows[skip])
        body = [row + [None] * (width - len(row)) for row in rows[skip + 1 :]]
        df = pd.DataFrame(body, columns=rows[skip], dtype=object)
    else:
        df = pd.read_csv(path, skiprows=skip, dtype=str, keep_default_na=False)
    df = df.astype(object).where(df.notna(), "")
    for col in df.columns:
        if col in DATE_COLS:
            df[col] = df[col].map(_normalise_date)
        else:
            df[col] = df[col].map(lambda v: "" if v is None else str(v))
    return df.astype(str)


def xlsx_rows(path: Path) -> list[list[object]]:
    """Cell values of the first sheet, read straight from its XML (openpyxl is too slow
    for whole tables in unit tests; :func:`first_cells` checks openpyxl agrees)."""
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(path) as book:
        dates = 'numFmtId="164"' in book.read("xl/styles.xml").decode()
        root = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
    epoch = datetime(1899, 12, 30)
    rows = []
    for row in root.iter(f"{ns}row"):
        values: list[object] = []
        for cell in row:  # <c r="B2" [t="inlineStr"] [s="1"]><v>..</v> or <is><t>..</t></is>
            column = ord(cell.get("r").rstrip("0123456789")[-1]) - ord("A")
            values += [None] * (column - len(values))
            if cell.get("t") == "inlineStr":
                values.append(cell[0][0].text)
            elif cell.get("s") == "1" and dates:
                values.append(epoch + timedelta(days=int(cell[0].text)))
            else:
                values.append(int(cell[0].text))
        rows.append(values)
    return rows


def first_cells(path: Path, rows: int = 4) -> list[list[object]]:
    """The first rows' cells as openpyxl sees them."""
    book = load_workbook(path, read_only=True)
    cells = [list(r) for r in book.active.iter_rows(max_row=rows)]
    book.close()
    return cells


def read_xml(path: Path) -> dict[str, pd.DataFrame]:
    """Tables from a DfE XML return, following the validator's ``read_xml_from_text``."""
    rename = {"CHILDID": "CHILD", "PL": "PLACE"}

    def leaves(node: ET.Element) -> dict[str, str | None]:
        return {rename.get(n.tag, n.tag): n.text for n in node.iter() if len(n) == 0}

    def fields(data: dict[str, str | None], table: str) -> dict[str, str]:
        return {c: data.get(c) or "" for c in COLUMNS[table]}

    nested = {"AREVIEW": "Reviews", "AMISSING": "Missing", "OC2": "OC2"}
    nested |= {"PERMANENCE": "PrevPerm", "AD_PLACED": "PlacedAdoption"}
    tables: dict[str, list[dict[str, str]]] = {t: [] for t in COLUMNS}
    for child in ET.parse(path).getroot():
        data = leaves(child)
        tables["Header"].append(fields(data, "Header"))
        for table, key in (("UASC", "UASC"), ("OC3", "IN_TOUCH"), ("AD1", "DATE_INT")):
            if data.get(key) is not None:
                tables[table].append(fields(data, table))
        for part in child:
            if part.tag == "EPISODE":
                tables["Episodes"].append(fields({**data, **leaves(part)}, "Episodes"))
            for item in part if part.tag == "HEADER" else ():
                if item.tag in nested:
                    row = fields({**data, **leaves(item)}, nested[item.tag])
                    tables[nested[item.tag]].append(row)
    return {t: pd.DataFrame(rows, columns=list(COLUMNS[t])) for t, rows in tables.items()}


def same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal as strings, ignoring the index."""
    pd.testing.assert_frame_equal(
        left.reset_index(drop=True).astype(str),
        right.reset_index(drop=True).astype(str),
        check_dtype=False,
    )


def table_files(folder: Path, stem: str) -> list[Path]:
    return [p for p in folder.iterdir() if p.stem == stem and p.suffix in (".csv", ".xlsx")]


# --- every builder --------------------------------------------------------------------


@pytest.mark.parametrize("name", list(BUILDERS))
def test_builder_describes_what_it_wrote(built, clean, name: str) -> None:
    """Every year it lists exists where it says, and the count and end date are plausible."""
    result = built(name)
    assert result.variant == name
    assert result.years == tuple(sorted(result.years))
    assert set(result.years) | set(result.missing_years) == set(clean)
    assert [y for y, _ in result.locations] == list(result.years)
    assert all(result.location(y).exists() for y in result.years)
    assert result.data_end in (collection_end(max(clean)), date(max(clean) - 1, 12, 31))
    assert result.expected_count > 0
    if name not in ("in_year_extract", "vanished_children", "everything"):
        assert result.expected_count == clean_count()
        assert result.data_end == collection_end(max(clean))


def test_builders_are_deterministic(built, tmp_path: Path) -> None:
    """The same source and seed give byte-identical folders."""
    first, second = built("everything"), everything(tmp_path)

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert files(first.path) == files(second.path)
    assert first.expected_count == second.expected_count


def test_builder_raises_on_a_non_empty_destination(tmp_path: Path) -> None:
    """A builder never writes over an existing folder's files."""
    (tmp_path / "x.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        xml_returns(tmp_path)


# --- the independent DfE count --------------------------------------------------------

AS_AT = date(2026, 3, 31)


def _episodes(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["CHILD", "DECOM", "DEC", "LS"])


def _header(**dobs: str) -> pd.DataFrame:
    return pd.DataFrame({"CHILD": list(dobs), "DOB": list(dobs.values())})


def test_dfe_count_counts_open_episodes_once_per_child() -> None:
    """Open on the day: started on or before it, ended after it or not at all."""
    episodes = _episodes(
        ("a", "01/01/2025", "", "C2"),  # open
        ("b", "01/01/2025", "31/03/2026", "C2"),  # ended on the day: not looked after
        ("c", "01/01/2025", "01/04/2026", "C2"),  # ends after the day: looked after
        ("d", "01/04/2026", "", "C2"),  # starts after the day
        ("e", "31/03/2026", "", "V2"),  # starts on the day
        ("f", "01/01/2025", "01/02/2026", "C2"),  # closed, then open again
        ("f", "01/02/2026", "", "C2"),
    )
    header = _header(**dict.fromkeys("abcdef", "01/01/2015"))
    assert dfe_count(episodes, header, AS_AT) == 4  # a, c, e, f


def test_dfe_count_leaves_out_short_breaks() -> None:
    """LS V3 and V4 episodes never count, whatever else is open."""
    episodes = _episodes(
        ("a", "01/03/2026", "", "V3"),
        ("b", "01/03/2026", "", "V4"),
        ("c", "01/03/2026", "", "V2"),
    )
    assert dfe_count(episodes, _header(a="01/01/2015", b="01/01/2015", c="01/01/2015"), AS_AT) == 1


def test_dfe_count_leaves_out_children_aged_18() -> None:
    """18 on the day (or before) is out; 18 tomorrow is in; 29 February turns on 1 March."""
    episodes = _episodes(*((c, "01/01/2025", "", "C2") for c in "abcd"))
    header = _header(
        a="31/03/2008",  # 18 on the day
        b="01/04/2008",  # 18 tomorrow
        c="01/01/2001",  # well over 18
        d="29/02/2008",  # 18 on 1 March 2026
    )
    assert dfe_count(episodes, header, AS_AT) == 1
    assert dfe_count(episodes, header, date(2026, 2, 28)) == 3  # a, b and d


def test_dfe_count_leaves_out_children_without_a_header_row() -> None:
    """A child missing from the header cannot be aged, so is not counted."""
    episodes = _episodes(("a", "01/01/2025", "", "C2"), ("b", "01/01/2025", "", "C2"))
    assert dfe_count(episodes, _header(a="01/01/2015"), AS_AT) == 1


def test_clean_count_is_dfe_count_of_the_latest_return(clean) -> None:
    """clean_count reads the latest return on its 31 March."""
    latest = max(clean)
    expected = dfe_count(clean[latest].episodes, clean[latest].header, collection_end(latest))
    assert clean_count() == expected > 0


# --- XML ------------------------------------------------------------------------------


def test_xml_round_trips_to_the_csv_tables(built, clean) -> None:
    """Read as the validator reads XML, each year gives back the CSVs' tables."""
    result = built("xml_returns")
    for year in (min(result.years), max(result.years)):
        path = result.location(year) / f"SSDA903_{year - 1}-{year % 100:02d}.xml"
        tables = read_xml(path)
        ret = clean[year]
        same(tables["Header"], ret.header[list(COLUMNS["Header"])])
        same(tables["Episodes"], ret.episodes[list(COLUMNS["Episodes"])])
        same(tables["UASC"], ret.uasc[list(COLUMNS["UASC"])])
        extras = extra_tables_for(ret, year)
        for name in ("Reviews", "Missing", "OC2", "OC3", "AD1", "PlacedAdoption", "PrevPerm"):
            same(tables[name], extras[name])


def test_xml_follows_the_example_layout(built) -> None:
    """Tag names and order, empty tags for blanks, the declaration: as DfE's example."""
    result = built("xml_returns")
    path = next(result.location(max(result.years)).glob("*.xml"))
    assert path.name == f"SSDA903_{max(result.years) - 1}-{max(result.years) % 100:02d}.xml"
    assert path.read_bytes().startswith(b"<?xml version='1.0' encoding='us-ascii'?>\n")
    root = ET.parse(path).getroot()
    assert root.tag == "EXPSSDA903"
    assert b"<DEC />" in path.read_bytes()
    for child in root:
        assert child.tag == "CHILD"
        assert [p.tag for p in child] == ["HEADER"] + ["EPISODE"] * (len(child) - 1)
        items = [e.tag for e in child[0]]
        ranks = [EXAMPLE_HEADER_ORDER.index(t) for t in items]
        assert ranks == sorted(ranks), items
        assert child[0].find("UASC").text in (None, "1")
        assert (child[0].find("DUC") is not None) == (child[0].find("UASC").text == "1")
        for episode in child[1:]:
            assert tuple(e.tag for e in episode) == XML_EPISODE_TAGS
    assert not [e for e in root.iter() if e.text == ""]


def test_flat_xml_returns_sit_side_by_side(tmp_path: Path) -> None:
    """With flat=True every year's XML file is in the top folder."""
    source = tmp_path / "source"
    for year in (2025, 2026):
        shutil.copytree(SAMPLE_903 / str(year), source / str(year))
    result = xml_returns(tmp_path / "flat", source, flat=True)
    assert sorted(p.name for p in result.path.iterdir()) == [
        "SSDA903_2024-25.xml",
        "SSDA903_2025-26.xml",
    ]
    assert result.location(2026) == result.path / "SSDA903_2025-26.xml"
    assert result.expected_count == clean_count(source)


def test_mixed_folder_has_xml_and_csv_years(built) -> None:
    """The latest year is XML, the one before CSV, alternately."""
    result = built("xml_and_csv_returns")
    latest = max(result.years)
    assert list(result.location(latest).glob("*.xml"))
    assert not list(result.location(latest).glob("*.csv"))
    assert (result.location(latest - 1) / "episodes.csv").exists()
    assert {result.shape(y) for y in result.years} == {"xml", "csv dates=dmy"}


# --- extra tables ---------------------------------------------------------------------


def test_extra_tables_carry_exactly_the_validator_columns(built) -> None:
    """One file per other 903 table, columns exactly as the validator lists them."""
    result = built("extra_tables")
    rows = dict.fromkeys(EXTRA_FILE_NAMES, 0)
    for year in result.years:
        folder = result.location(year)
        header = pd.read_csv(folder / "header.csv", dtype=str)
        for name, spellings in EXTRA_FILE_NAMES.items():
            found = [folder / s for s in spellings if (folder / s).exists()]
            assert len(found) == 1, (year, name)
            table = pd.read_csv(found[0], dtype=str, keep_default_na=False)
            assert tuple(table.columns) == COLUMNS[name]
            assert set(table["CHILD"]) <= set(header["CHILD"])
            dob = dict(zip(header["CHILD"], header["DOB"], strict=True))
            assert (table["DOB"] == table["CHILD"].map(dob)).all()
            rows[name] += len(table)
    assert all(rows.values()), rows
    spellings = {p.name for y in result.years for p in result.location(y).iterdir()}
    assert {"Reviews.csv", "missing.csv", "OC2.csv", "placed_for_adoption.csv"} <= spellings


def test_last_files_hold_the_previous_return(built, clean) -> None:
    """header_last.csv and friends in each year are the year before's tables."""
    result = built("extra_tables")
    first = min(result.years)
    assert not list(result.location(first).glob("*_last.csv"))
    for year in result.years[1:]:
        for stem, table in zip(MAIN_TABLES, clean[year - 1], strict=True):
            last = pd.read_csv(result.location(year) / f"{stem}_last.csv", dtype=str)
            same(last.fillna(""), table)


# --- the other shapes -----------------------------------------------------------------


def test_blank_uasc_years_have_only_column_names(built, clean) -> None:
    """Blanked years' uasc.csv is a header line; other years are untouched."""
    result = built("blank_uasc")
    blanked = [y for y in result.years if "uasc-empty" in result.shape(y)]
    assert max(result.years) in blanked and len(blanked) < len(result.years)
    for year in result.years:
        text = (result.location(year) / "uasc.csv").read_text()
        if year in blanked:
            assert text == "CHILD,SEX,DOB,DUC\n"
        else:
            same(read_table(result.location(year) / "uasc.csv"), clean[year].uasc)


def test_unrelated_files_sit_beside_the_returns(built) -> None:
    """README, notes, a budget and two lock files, none of them a 903 table."""
    result = built("unrelated_files")
    latest = result.location(max(result.years))
    assert {"README.md", "notes.txt", "budget.csv"} <= {p.name for p in result.path.iterdir()}
    assert {"notes.txt", "~$episodes.xlsx", ".~lock.episodes.csv#"} <= {
        p.name for p in latest.iterdir()
    }
    assert (result.location(max(result.years) - 1) / "budget.csv").exists()
    budget = pd.read_csv(result.path / "budget.csv")
    assert list(budget.columns) == ["month", "budget_gbp"] and len(budget) == 12


def test_start_year_names_name_folders_by_the_first_year(built, clean) -> None:
    """2025/ holds the return ending 31 March 2026."""
    result = built("start_year_names")
    assert sorted(p.name for p in result.path.iterdir()) == [str(y - 1) for y in sorted(clean)]
    latest = max(clean)
    same(read_table(result.location(latest) / "episodes.csv"), clean[latest].episodes)


def test_in_year_extract_has_nothing_after_31_december(built, clean) -> None:
    """No episode date after the cut; the count is the clean data's on 31 December."""
    result = built("in_year_extract")
    latest = max(result.years)
    cut = date(latest - 1, 12, 31)
    assert result.data_end == cut
    folder = result.location(latest)
    episodes, header = read_table(folder / "episodes.csv"), read_table(folder / "header.csv")
    for col in ("DECOM", "DEC"):
        when = pd.to_datetime(episodes[col].where(episodes[col] != ""), format="%d/%m/%Y")
        assert (when.dropna() <= pd.Timestamp(cut)).all()
    assert ((episodes["DEC"] == "") == (episodes["REC"] == "")).all()
    assert set(header["CHILD"]) == set(episodes["CHILD"])
    assert set(read_table(folder / "uasc.csv")["CHILD"]) <= set(episodes["CHILD"])
    full = clean[latest]
    assert result.expected_count == dfe_count(full.episodes, full.header, cut)
    assert len(episodes) < len(full.episodes)
    same(read_table(result.location(latest - 1) / "episodes.csv"), clean[latest - 1].episodes)


def test_missing_year_leaves_out_a_middle_year(built, clean) -> None:
    """One middle year's folder is gone; the latest year and the count are unchanged."""
    result = built("missing_year")
    (gone,) = result.missing_years
    assert min(clean) < gone < max(clean)
    assert not (result.path / str(gone)).exists()
    assert result.expected_count == clean_count()
    assert result.data_end == collection_end(max(clean))


def _open_at_start(episodes: pd.DataFrame, year: int) -> set[tuple[str, str]]:
    decom = pd.to_datetime(episodes["DECOM"], format="%d/%m/%Y")
    rows = episodes[decom < pd.Timestamp(collection_start(year))]
    return set(zip(rows["CHILD"], rows["DECOM"], strict=True))


def _open_at_end(episodes: pd.DataFrame) -> set[tuple[str, str]]:
    rows = episodes[episodes["DEC"] == ""]
    return set(zip(rows["CHILD"], rows["DECOM"], strict=True))


def test_revised_start_dates_differ_only_where_intended(built, clean) -> None:
    """Between returns, only the listed start dates disagree, by 3 to 42 days."""
    result = built("revised_start_dates")
    assert {r.year for r in result.revisions} == {max(clean), max(clean) - 2}
    for year in result.years:
        moved = {
            (r.child, r.original.strftime("%d/%m/%Y")): r.revised.strftime("%d/%m/%Y")
            for r in result.revisions
            if r.year <= year
        }
        episodes = read_table(result.location(year) / "episodes.csv")
        expected = clean[year].episodes.copy()
        keys = zip(expected["CHILD"], expected["DECOM"], strict=True)
        expected["DECOM"] = [moved.get(key, key[1]) for key in keys]
        same(episodes, expected)
        same(read_table(result.location(year) / "header.csv"), clean[year].header)
        if year - 1 in clean:
            before = read_table(result.location(year - 1) / "episodes.csv")
            disagree = _open_at_start(episodes, year) - _open_at_end(before)
            baseline = _open_at_start(clean[year].episodes, year) - _open_at_end(
                clean[year - 1].episodes
            )
            intended = {
                (r.child, r.revised.strftime("%d/%m/%Y"))
                for r in result.revisions
                if r.year == year
            }
            assert disagree == intended | baseline
    for r in result.revisions:
        assert 3 <= abs((r.revised - r.original).days) <= 42
        assert r.revised < collection_start(r.year)


def test_vanished_children_are_open_before_and_gone_after(built, clean) -> None:
    """Each vanished child is open at the end of the previous return and in no latest table."""
    result = built("vanished_children")
    latest = max(result.years)
    assert len(result.vanished) == 12
    before = clean[latest - 1].episodes
    open_before = set(before.loc[before["DEC"] == "", "CHILD"])
    assert set(result.vanished) <= open_before
    folder = result.location(latest)
    for stem, table in zip(MAIN_TABLES, clean[latest], strict=True):
        now = read_table(folder / f"{stem}.csv")
        assert not set(now["CHILD"]) & set(result.vanished)
        same(now, table[~table["CHILD"].isin(result.vanished)])
    kept = clean[latest]
    kept = Return(*(t[~t["CHILD"].isin(result.vanished)] for t in kept))
    assert result.expected_count == dfe_count(kept.episodes, kept.header, result.data_end)
    assert result.expected_count <= clean_count()


def test_sector_postcodes_are_outward_code_and_one_digit(built, clean) -> None:
    """Every postcode is cut to its sector (W11 2); blanks stay blank."""
    assert sector(pd.Series(["W11 2AB", "SW1A1AA", "", "b15 8pz"])).tolist() == [
        "W11 2",
        "SW1A 1",
        "",
        "B15 8",
    ]
    result = built("sector_postcodes")
    for year in result.years:
        episodes = read_table(result.location(year) / "episodes.csv")
        for col in ("HOME_POST", "PL_POST"):
            filled = episodes.loc[episodes[col] != "", col]
            assert filled.str.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]? \d").all()
            assert (episodes[col] == sector(clean[year].episodes[col])).all()


def test_date_formats_store_dates_as_promised(built, clean) -> None:
    """Excel date cells, serial numbers, ISO and midnight strings; the same dates as clean."""
    result = built("date_formats")
    shapes = {result.shape(y) for y in result.years}
    assert {"csv dates=iso", "csv dates=midnight", "xlsx dates=serial numeric-ids"} <= shapes
    assert "xlsx dates=date numeric-ids" in shapes
    for year in result.years:
        folder, shape = result.location(year), result.shape(year)
        stem_path = table_files(folder, "episodes")[0]
        if shape.startswith("xlsx"):
            child, decom = first_cells(stem_path)[1][:2]
            assert isinstance(child.value, int)
            if "serial" in shape:
                assert isinstance(decom.value, int) and not decom.is_date
            else:
                assert isinstance(decom.value, datetime) and decom.is_date
        else:
            first = stem_path.read_text().splitlines()[1].split(",")[1]
            pattern = r"\d{4}-\d{2}-\d{2}" if "iso" in shape else r"\d\d/\d\d/\d{4} 00:00:00"
            assert re.fullmatch(pattern, first)
        for stem, table in zip(MAIN_TABLES, clean[year], strict=True):
            same(read_table(table_files(folder, stem)[0]), table)


def test_title_rows_sit_above_the_column_names(built, clean) -> None:
    """A title row (and sometimes a blank one) in CSV and XLSX; the table below is clean."""
    result = built("title_rows")
    kinds = set()
    for year in result.years:
        path = table_files(result.location(year), "episodes")[0]
        kinds.add(path.suffix)
        label = f"SSDA903 episodes {year - 1}-{year % 100:02d}, Anytown Council"
        if path.suffix == ".csv":
            assert path.read_text().splitlines()[0].startswith(f'"{label}",')
        else:
            assert first_cells(path)[0][0].value == label
        for stem, table in zip(MAIN_TABLES, clean[year], strict=True):
            same(read_table(table_files(result.location(year), stem)[0]), table)
    assert kinds == {".csv", ".xlsx"}
    assert sum("blank" in result.shape(y) for y in result.years) >= 2


def test_everything_combines_the_shapes(built, clean) -> None:
    """Start-year folders, a gap, XML, XLSX and CSV, an in-year cut, vanished children."""
    result = built("everything")
    latest = max(result.years)
    cut = date(latest - 1, 12, 31)
    assert result.data_end == cut and result.missing_years and result.vanished
    assert result.revisions
    assert sorted(p.name for p in result.path.iterdir() if p.is_dir()) == [
        str(y - 1) for y in result.years
    ]
    kinds = {result.shape(y).split()[0] for y in result.years}
    assert kinds == {"xml", "xlsx", "csv"}
    assert "in-year-to" in result.shape(latest) and "uasc-empty" in result.shape(latest)
    assert (result.path / "README.md").exists()
    kept = clean[latest]
    kept = Return(*(t[~t["CHILD"].isin(result.vanished)] for t in kept))
    assert result.expected_count == dfe_count(kept.episodes, kept.header, cut)
    # The latest return, rebuilt by hand from the clean one and what the result says.
    expected = kept.episodes.copy()
    moved = {(r.child, f"{r.original:%d/%m/%Y}"): f"{r.revised:%d/%m/%Y}" for r in result.revisions}
    keys = zip(expected["CHILD"], expected["DECOM"], strict=True)
    expected["DECOM"] = [moved.get(key, key[1]) for key in keys]
    when = {c: pd.to_datetime(expected[c], format="%d/%m/%Y") for c in ("DECOM", "DEC")}
    expected = expected[when["DECOM"] <= pd.Timestamp(cut)].copy()
    after = (when["DEC"] > pd.Timestamp(cut))[expected.index]
    expected.loc[after, ["DEC", "REC", "REASON_PLACE_CHANGE"]] = ""
    for col in ("HOME_POST", "PL_POST"):
        expected[col] = sector(expected[col])
    same(read_table(result.location(latest) / "episodes.xlsx"), expected)
    before = next(result.location(latest - 1).glob("*.xml"))
    xml_episodes = read_xml(before)["Episodes"]
    assert (xml_episodes["PL_POST"] == sector(clean[latest - 1].episodes["PL_POST"])).all()
    assert xml_episodes["DECOM"].tolist() == clean[latest - 1].episodes["DECOM"].tolist()
