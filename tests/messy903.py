"""Council-shaped SSDA903 folders, built from a clean one, for testing the 903 reader.

Each builder copies a clean history (by default the bundled sample authority: one
folder per collection year, ``<YYYY>/{header,episodes,uasc}.csv``, named by the year
the collection ends) into a new folder in one of the shapes councils and other tools
really hold 903 data, and returns a :class:`Messy903` saying what it did and what a
correct reader must find there: the children looked after at the end of the data
(counted here independently of ``sufficiency``, the way DfE counts them), the date
the data ends and the collection years present.

Nothing here imports ``sufficiency``: the fixtures stay independent of the reader
they test. Builders are deterministic (seeded) and take a second or less each (the
extra tables of a return are synthesised once per process and remembered).

Import from a test in any folder under ``tests/`` with ``from messy903 import ...``:
``tests/conftest.py`` sits in a folder without ``__init__.py``, so pytest puts
``tests/`` on ``sys.path`` before collecting any test.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

#: The bundled synthetic sample authority: the clean source of every builder.
SAMPLE_903 = Path(__file__).resolve().parent.parent / "data" / "sample" / "ssda903"

#: Every 903 table and its columns, exactly as DfE's validator lists them
#: (csc-validator-be-903, ``lac_validator/config.py``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
        "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
    ),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": (
        "CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
        "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": (
        "CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    "PlacedAdoption": (
        "CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED",
    ),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "DoLo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}  # fmt: skip

#: The three tables of the clean folder: file stem -> validator table name.
MAIN_TABLES = {"header": "Header", "episodes": "Episodes", "uasc": "UASC"}

#: The other tables, and the spellings councils save them under (one is picked per year).
EXTRA_FILE_NAMES: dict[str, tuple[str, ...]] = {
    "Reviews": ("Reviews.csv", "reviews.csv", "REVIEWS.csv"),
    "Missing": ("missing.csv", "Missing.csv", "MISSING.csv"),
    "OC2": ("OC2.csv", "oc2.csv", "Oc2.csv"),
    "OC3": ("OC3.csv", "oc3.csv", "Oc3.csv"),
    "AD1": ("AD1.csv", "ad1.csv", "Ad1.csv"),
    "PlacedAdoption": (
        "placed_for_adoption.csv", "PlacedAdoption.csv", "Placed_for_Adoption.csv",
    ),
    "PrevPerm": ("previous_permanence.csv", "PrevPerm.csv", "Previous_Permanence.csv"),
    "SWEpisodes": ("sw_episodes.csv", "SWEpisodes.csv", "SW_Episodes.csv"),
    "DoLo": ("DoLo.csv", "dolo.csv", "DOLO.csv"),
}  # fmt: skip

#: Columns holding dates, in any table.
DATE_COLUMNS = frozenset(
    {
        "DOB", "MC_DOB", "DECOM", "DEC", "DUC", "REVIEW", "DATE_INT", "DATE_MATCH",
        "DATE_PLACED", "DATE_PLACED_CEASED", "DATE_PERM", "MIS_START", "MIS_END",
        "SW_DECOM", "SW_DEC", "DOLO_START", "DOLO_END",
    }
)  # fmt: skip

#: Legal statuses of agreed series of short breaks: left out of DfE's counts.
SHORT_BREAKS = frozenset({"V3", "V4"})
#: The tags of an XML ``EPISODE``, in the order of DfE's example return.
XML_EPISODE_TAGS = (
    "DECOM", "RNE", "LS", "CIN", "PL", "PL_POST", "HOME_POST", "URN", "PLACE_PROVIDER",
    "DEC", "REC", "REASON_PLACE_CHANGE",
)  # fmt: skip
_SEED = 903
_COUNCIL = "Anytown Council"


class Return(NamedTuple):
    """One collection year's return: raw strings as in the CSVs, blanks as ``""``."""

    header: pd.DataFrame
    episodes: pd.DataFrame
    uasc: pd.DataFrame


@dataclass(frozen=True)
class Revision:
    """An episode start date a council changed between two returns.

    ``year`` is the collection year of the later return, the one holding ``revised``;
    the previous return still holds ``original``.
    """

    year: int
    child: str
    original: date
    revised: date


@dataclass(frozen=True)
class Messy903:
    """A messy 903 folder and what a correct reader must find in it.

    Attributes
    ----------
    path
        The folder written.
    variant
        The builder's name, e.g. ``"xml_returns"``.
    description
        What was done to the clean folder, in a sentence or two.
    expected_count
        Children looked after at ``data_end`` in the latest return, counted as DfE
        does (:func:`dfe_count`): no short breaks, no one aged 18 or over.
    data_end
        The last day the data covers: 31 March of the latest collection year, or
        the cut date of an in-year extract.
    years
        Collection years present, by the year each ends, ascending.
    missing_years
        Collection years deliberately absent from the middle of the history.
    year_shapes
        ``(year, shape)`` pairs, e.g. ``(2026, "xlsx dates=date title blank-row")``.
    locations
        ``(year, relative path)`` pairs: the folder (or XML file) holding each year.
    revisions
        Episode start dates revised between returns (``revised_start_dates``).
    vanished
        Children dropped from the latest return while open at the end of the one
        before (``vanished_children``).
    """

    path: Path
    variant: str
    description: str
    expected_count: int
    data_end: date
    years: tuple[int, ...]
    missing_years: tuple[int, ...] = ()
    year_shapes: tuple[tuple[int, str], ...] = ()
    locations: tuple[tuple[int, str], ...] = ()
    revisions: tuple[Revision, ...] = ()
    vanished: tuple[str, ...] = ()

    def shape(self, year: int) -> str:
        """The shape ``year`` was written in."""
        return dict(self.year_shapes)[year]

    def location(self, year: int) -> Path:
        """The folder, or XML file, holding ``year``."""
        return self.path / dict(self.locations)[year]


# --- collection years and dates -------------------------------------------------------


def collection_start(year: int) -> date:
    """1 April opening the collection year that ends in ``year``."""
    return date(year - 1, 4, 1)


def collection_end(year: int) -> date:
    """31 March closing the collection year that ends in ``year``."""
    return date(year, 3, 31)


def collection_label(year: int) -> str:
    """``2025-26`` for the collection year ending in 2026."""
    return f"{year - 1}-{year % 100:02d}"


def _parse_dates(values: pd.Series) -> pd.Series:
    """DD/MM/YYYY strings as timestamps, blanks as NaT (anything else raises)."""
    text = values.fillna("").astype(str).str.strip()
    return pd.to_datetime(text.where(text != ""), format="%d/%m/%Y")


def _dmy(values: pd.Series) -> pd.Series:
    """Timestamps as DD/MM/YYYY strings, NaT as blank."""
    return values.dt.strftime("%d/%m/%Y").fillna("").astype(str)


def _age(born: date, on: date) -> int:
    """Whole years; a 29 February birthday falls on 1 March in other years, as in law."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# --- the independent DfE count --------------------------------------------------------


def dfe_count(episodes: pd.DataFrame, header: pd.DataFrame, as_at: date) -> int:
    """Children looked after on ``as_at``, counted as DfE counts them.

    A child counts if they have an episode open on ``as_at`` (DECOM on or before it,
    DEC blank or after it) that is not a short break (LS V3 or V4), and they are under
    18 on ``as_at``. Written from the raw 903 strings with plain pandas, independently
    of ``sufficiency``.

    Parameters
    ----------
    episodes
        Episodes table (CHILD, DECOM, DEC, LS at least) with DD/MM/YYYY strings;
        blanks as ``""`` or missing values.
    header
        Header table (CHILD, DOB at least). Children with no header row or no date of
        birth cannot be aged and are left out.
    as_at
        The count date.

    Returns
    -------
    int
        Distinct children looked after.
    """
    when = pd.Timestamp(as_at)
    decom = _parse_dates(episodes["DECOM"])
    dec = _parse_dates(episodes["DEC"])
    legal = episodes["LS"].fillna("").astype(str).str.strip().str.upper()
    open_then = (decom <= when) & (dec.isna() | (dec > when)) & ~legal.isin(SHORT_BREAKS)
    looked_after = set(episodes.loc[open_then, "CHILD"].astype(str).str.strip())
    born = dict(
        zip(
            header["CHILD"].astype(str).str.strip(),
            _parse_dates(header["DOB"]),
            strict=True,
        )
    )
    return sum(
        1
        for child in looked_after
        if child in born and not pd.isna(born[child]) and _age(born[child].date(), as_at) < 18
    )


def clean_count(source: Path | str = SAMPLE_903, as_at: date | None = None) -> int:
    """:func:`dfe_count` of a clean folder's latest return, on its 31 March by default."""
    returns = load_returns(source)
    latest = max(returns)
    ret = returns[latest]
    return dfe_count(ret.episodes, ret.header, as_at or collection_end(latest))


# --- reading the clean source ---------------------------------------------------------


@lru_cache(maxsize=4)
def _load_cached(source: str) -> tuple[tuple[int, Return], ...]:
    out = []
    for folder in sorted(Path(source).iterdir()):
        if not (folder.is_dir() and folder.name.isdigit() and len(folder.name) == 4):
            continue
        tables = []
        for stem, name in MAIN_TABLES.items():
            path = folder / f"{stem}.csv"
            if path.exists():
                df = pd.read_csv(path, dtype=str, keep_default_na=False)
            else:
                df = pd.DataFrame({c: pd.Series(dtype=str) for c in COLUMNS[name]})
            tables.append(df)
        out.append((int(folder.name), Return(*tables)))
    if not out:
        raise FileNotFoundError(f"{source} holds no <YYYY>/ folders of 903 returns")
    return tuple(out)


def load_returns(source: Path | str = SAMPLE_903) -> dict[int, Return]:
    """Every return in a clean folder, by collection year, as raw strings (copies)."""
    cached = _load_cached(str(Path(source).resolve()))
    return {year: Return(*(t.copy() for t in ret)) for year, ret in cached}


# --- the other 903 tables, synthesised for the children of a return -------------------


def _choice(rng: np.random.Generator, options: Iterable[str], n: int, p=None) -> np.ndarray:
    return rng.choice(np.array(list(options), dtype=object), size=n, p=p)


def _flag(rng: np.random.Generator, n: int, p_one: float) -> np.ndarray:
    return np.where(rng.random(n) < p_one, "1", "0").astype(object)


def _table(name: str, kids: pd.DataFrame, mask, **columns) -> pd.DataFrame:
    """Rows of table ``name`` for the children selected by ``mask``; unnamed columns blank."""
    unknown = set(columns) - set(COLUMNS[name])
    if unknown:
        raise KeyError(f"{name} has no column(s) {sorted(unknown)}")
    keep = np.asarray(mask, dtype=bool)
    out = {"CHILD": kids["CHILD"].to_numpy()[keep], "DOB": kids["DOB"].to_numpy()[keep]}
    for col in COLUMNS[name][2:]:
        value = columns.get(col, "")
        if isinstance(value, str):
            out[col] = np.full(int(keep.sum()), value, dtype=object)
        else:
            out[col] = np.asarray(value, dtype=object)[keep]
    return pd.DataFrame(out).astype(str)


_EXTRAS_CACHE: dict[tuple[int, int, int, int], dict[str, pd.DataFrame]] = {}


def extra_tables_for(ret: Return, year: int, seed: int = _SEED) -> dict[str, pd.DataFrame]:
    """Plausible rows of every other 903 table for the children in a return's header.

    Reviews every six months in care, a few missing episodes, OC2 outcomes for
    children looked after for a year, OC3 for older care leavers, AD1 and placed for
    adoption rows for adopted children, previous permanence for starters, social
    worker episodes and a few deprivation of liberty orders. Deterministic for
    ``(seed, year)`` and the return's contents (remembered, so several builders reading
    the same return pay once).
    """
    key = (
        year,
        seed,
        int(pd.util.hash_pandas_object(ret.episodes, index=False).sum()),
        int(pd.util.hash_pandas_object(ret.header, index=False).sum()),
    )
    if key not in _EXTRAS_CACHE:
        if len(_EXTRAS_CACHE) >= 64:
            _EXTRAS_CACHE.clear()
        _EXTRAS_CACHE[key] = _extra_tables(ret, year, seed)
    return {name: df.copy() for name, df in _EXTRAS_CACHE[key].items()}


def _extra_tables(ret: Return, year: int, seed: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng([seed, year])
    start, end = pd.Timestamp(collection_start(year)), pd.Timestamp(collection_end(year))
    ep = ret.episodes
    decom, dec = _parse_dates(ep["DECOM"]), _parse_dates(ep["DEC"])
    rows = pd.DataFrame(
        {
            "CHILD": ep["CHILD"].astype(str).to_numpy(),
            "decom": decom.to_numpy(),
            "first": decom.clip(lower=start).to_numpy(),
            "last": dec.fillna(end).clip(upper=end).to_numpy(),
            "open": dec.isna().to_numpy(),
            "adopted": ep["REC"].isin(["E11", "E12"]).to_numpy(),
            "adoption": ep["PLACE"].isin(["A3", "A4", "A5", "A6"]).to_numpy(),
            "k2_open": (ep["PLACE"].eq("K2") & dec.isna()).to_numpy(),
            "started": (ep["RNE"].eq("S") & (decom >= start)).to_numpy(),
            "dec": dec.to_numpy(),
        }
    )
    per_child = rows.groupby("CHILD", sort=False).agg(
        first=("first", "min"),
        last=("last", "max"),
        entered=("decom", "min"),
        open=("open", "any"),
        adopted=("adopted", "any"),
        k2_open=("k2_open", "any"),
        started=("started", "any"),
    )
    placed = (
        rows[rows["adoption"]]
        .groupby("CHILD", sort=False)
        .agg(placed=("decom", "min"), placed_end=("dec", "max"), still=("open", "any"))
    )
    kids = ret.header[["CHILD", "DOB"]].astype(str).drop_duplicates("CHILD")
    kids = kids.merge(per_child, left_on="CHILD", right_index=True, how="inner")
    kids = kids.merge(placed, left_on="CHILD", right_index=True, how="left")
    kids = kids.reset_index(drop=True)
    n = len(kids)
    born = _parse_dates(kids["DOB"])
    age_end = ((end - born).dt.days / 365.25).to_numpy()
    day = pd.Timedelta(days=1)
    stay_days = np.maximum((kids["last"] - kids["first"]).dt.days.to_numpy(), 1)
    out: dict[str, pd.DataFrame] = {}

    first_review = kids["first"] + 20 * day
    reviews = []
    for k in range(2):
        when = first_review + 182 * k * day
        mask = (when <= kids["last"]).to_numpy()
        young = ((when - born).dt.days / 365.25).to_numpy() < 4
        code = np.where(young, "PN0", _choice(rng, [f"PN{i}" for i in range(1, 8)], n))
        reviews.append(_table("Reviews", kids, mask, REVIEW=_dmy(when), REVIEW_CODE=code))
    out["Reviews"] = (
        pd.concat(reviews)
        .assign(_order=lambda d: d["CHILD"].map({c: i for i, c in enumerate(kids["CHILD"])}))
        .sort_values(["_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )

    mis_start = kids["first"] + pd.to_timedelta(rng.integers(0, stay_days), unit="D")
    mis_end = mis_start + pd.to_timedelta(rng.integers(0, 10, n), unit="D")
    mis_end = mis_end.where(mis_end <= end)
    out["Missing"] = _table(
        "Missing",
        kids,
        (age_end >= 10) & (rng.random(n) < 0.08),
        MISSING=_choice(rng, ["M", "A"], n, p=[0.7, 0.3]),
        MIS_START=_dmy(mis_start),
        MIS_END=_dmy(mis_end),
    )

    sdq_age = (age_end >= 4) & (age_end < 17)
    scored = sdq_age & (rng.random(n) < 0.8)
    misuse = np.where((age_end >= 10) & (rng.random(n) < 0.06), "1", "0").astype(object)
    out["OC2"] = _table(
        "OC2",
        kids,
        kids["open"].to_numpy() & (kids["entered"] <= end - 365 * day).to_numpy(),
        SDQ_SCORE=np.where(scored, rng.integers(0, 41, n).astype(str), ""),
        SDQ_REASON=np.where(sdq_age & ~scored, _choice(rng, ["SDQ1", "SDQ2", "SDQ4"], n), ""),
        CONVICTED=np.where(age_end >= 10, _flag(rng, n, 0.04), "0"),
        HEALTH_CHECK=_flag(rng, n, 0.9),
        IMMUNISATIONS=_flag(rng, n, 0.9),
        TEETH_CHECK=_flag(rng, n, 0.85),
        HEALTH_ASSESSMENT=_flag(rng, n, 0.9),
        SUBSTANCE_MISUSE=misuse,
        INTERVENTION_RECEIVED=np.where(misuse == "1", _flag(rng, n, 0.7), ""),
        INTERVENTION_OFFERED=np.where(misuse == "1", _flag(rng, n, 0.9), ""),
    )

    in_touch = _choice(rng, ["YES", "YES", "YES", "NO", "REFU"], n)
    touching = in_touch == "YES"
    accom = _choice(rng, list("BCDEGHKRSTUVWXYZ"), n) + _choice(rng, ["1", "1", "2"], n)
    out["OC3"] = _table(
        "OC3",
        kids,
        (age_end >= 17) & ~kids["open"].to_numpy(),
        IN_TOUCH=in_touch,
        ACTIV=np.where(touching, _choice(rng, ["F1", "F2", "P1", "P2", "G4", "G6"], n), "0"),
        ACCOM=np.where(touching, accom, "0"),
    )

    was_placed = kids["placed"].notna().to_numpy()
    adopted = kids["adopted"].to_numpy()
    if not adopted.any():
        adopted = was_placed
    base = kids["placed"].fillna(kids["first"])
    date_int = (base - pd.to_timedelta(rng.integers(200, 600, n), unit="D")).clip(lower=born + day)
    date_match = (base - pd.to_timedelta(rng.integers(14, 90, n), unit="D")).clip(lower=date_int)
    couple = rng.random(n) < 0.75
    out["AD1"] = _table(
        "AD1",
        kids,
        adopted,
        DATE_INT=_dmy(date_int),
        DATE_MATCH=_dmy(date_match),
        FOSTER_CARE=_flag(rng, n, 0.2),
        NB_ADOPTR=np.where(couple, "2", "1"),
        SEX_ADOPTR=np.where(
            couple, _choice(rng, ["MF", "MF", "MF", "MM", "FF"], n), _choice(rng, ["F1", "M1"], n)
        ),
        LS_ADOPTR=np.where(couple, _choice(rng, ["L11", "L12", "L2", "L3", "L4"], n), "L0"),
    )

    ceased = ~kids["still"].fillna(True).astype(bool).to_numpy()
    out["PlacedAdoption"] = _table(
        "PlacedAdoption",
        kids,
        was_placed,
        DATE_PLACED=_dmy(kids["placed"]),
        DATE_PLACED_CEASED=np.where(ceased, _dmy(kids["placed_end"]), ""),
        REASON_PLACED_CEASED=np.where(
            ceased, np.where(kids["adopted"], "RD1", _choice(rng, ["RD3", "RD4"], n)), ""
        ),
    )

    prev = _choice(rng, ["Z1", "P4", "P1", "P2", "P3"], n, p=[0.75, 0.1, 0.04, 0.08, 0.03])
    perm_date = born + pd.to_timedelta(
        (rng.random(n) * np.maximum((kids["entered"] - born).dt.days.to_numpy(), 1)).astype(int),
        unit="D",
    )
    out["PrevPerm"] = _table(
        "PrevPerm",
        kids,
        kids["started"].to_numpy(),
        PREV_PERM=prev,
        DATE_PERM=np.where(np.isin(prev, ["P1", "P2", "P3"]), _dmy(perm_date), ""),
    )

    workers = np.array([f"SW{i:05d}" for i in rng.integers(1000, 99999, 80)], dtype=object)
    changed = rng.random(n) < 0.3
    middle = kids["first"] + pd.to_timedelta(stay_days // 2, unit="D")
    open_now = kids["open"].to_numpy()
    reasons = ["CHCHAN", "MANAGE", "LEFTRL", "ORGRST", "ABSENC", "PCCHAN", "OTHERS"]
    sw_first = _table(
        "SWEpisodes",
        kids,
        np.ones(n, dtype=bool),
        SW_ID=workers[rng.integers(0, len(workers), n)],
        SW_DECOM=_dmy(kids["first"]),
        SW_DEC=np.where(changed, _dmy(middle), np.where(open_now, "", _dmy(kids["last"]))),
        SW_REASON=_choice(rng, reasons, n),
    )
    sw_second = _table(
        "SWEpisodes",
        kids,
        changed,
        SW_ID=workers[rng.integers(0, len(workers), n)],
        SW_DECOM=_dmy(middle),
        SW_DEC=np.where(open_now, "", _dmy(kids["last"])),
        SW_REASON=_choice(rng, reasons, n),
    )
    sw = pd.concat([sw_first.assign(_k=0), sw_second.assign(_k=1)])
    sw["_order"] = sw["CHILD"].map({c: i for i, c in enumerate(kids["CHILD"])})
    out["SWEpisodes"] = (
        sw.sort_values(["_order", "_k"], kind="stable")
        .drop(columns=["_order", "_k"])
        .reset_index(drop=True)
    )

    dolo_start = kids["first"] + pd.to_timedelta(rng.integers(0, stay_days), unit="D")
    dolo_end = dolo_start + pd.to_timedelta(rng.integers(30, 400, n), unit="D")
    out["DoLo"] = _table(
        "DoLo",
        kids,
        kids["k2_open"].to_numpy() & (age_end >= 10) & (rng.random(n) < 0.15),
        DOLO_START=_dmy(dolo_start),
        DOLO_END=_dmy(dolo_end.where(dolo_end <= end)),
    )
    return out


# --- writers --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    """How one year's tables are written."""

    kind: str = "csv"  # csv | xlsx | xml
    dates: str = "dmy"  # csv: dmy | iso | midnight; xlsx: date | serial | text
    title: bool = False  # a title row above the column names
    blank: str = ""  # a blank row under the title; csv: commas | empty; xlsx: row
    numeric_ids: bool = False  # xlsx: CHILD stored as a number, as Excel does

    @property
    def label(self) -> str:
        """E.g. ``xlsx dates=serial numeric-ids``; just ``xml`` for XML."""
        if self.kind == "xml":
            return "xml"
        parts = [self.kind, f"dates={self.dates}"]
        parts += ["title"] if self.title else []
        parts += [f"blank={self.blank}"] if self.blank else []
        parts += ["numeric-ids"] if self.numeric_ids else []
        return " ".join(parts)


_CSV = _Shape()
_XML = _Shape("xml")
_CSV_DATE_FORMATS = {"dmy": "%d/%m/%Y", "iso": "%Y-%m-%d", "midnight": "%d/%m/%Y 00:00:00"}
_EXCEL_EPOCH = pd.Timestamp(1899, 12, 30)


def _csv_row(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def _title(stem: str, year: int) -> str:
    return f"SSDA903 {stem} {collection_label(year)}, {_COUNCIL}"


def _write_csv(df: pd.DataFrame, path: Path, shape: _Shape, title: str) -> None:
    fmt = _CSV_DATE_FORMATS[shape.dates]
    out = df.copy()
    if shape.dates != "dmy":
        for col in out.columns.intersection(sorted(DATE_COLUMNS)):
            out[col] = _parse_dates(df[col]).dt.strftime(fmt).fillna("")
    width = len(df.columns)
    lead = _csv_row([title] + [""] * (width - 1)) if shape.title else ""
    lead += {"": "", "commas": "," * (width - 1) + "\n", "empty": "\n"}[shape.blank]
    path.write_text(lead + out.to_csv(index=False, lineterminator="\n"), encoding="utf-8")


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>'
    ),
    # Style 1 is a date: numFmt 164 "dd/mm/yyyy", as Excel saves a UK date column.
    "xl/styles.xml": (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="2">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _write_xlsx(df: pd.DataFrame, path: Path, shape: _Shape, title: str) -> None:
    """One sheet, written directly as SpreadsheetML (openpyxl takes ~10x as long).

    Text is stored as inline strings; with ``dates="date"`` dates are serial numbers in
    a cell styled ``dd/mm/yyyy`` (a real Excel date cell), with ``"serial"`` bare
    numbers, with ``"text"`` the DD/MM/YYYY strings.
    """
    columns: list[list[str]] = []
    for col in df.columns:
        text = df[col].fillna("").astype(str).tolist()
        if col in DATE_COLUMNS and shape.dates != "text":
            serials = (_parse_dates(df[col]) - _EXCEL_EPOCH).dt.days
            style = ' s="1"' if shape.dates == "date" else ""
            cells = [
                "" if pd.isna(n) else f'<c r="{{}}"{style}><v>{int(n)}</v></c>' for n in serials
            ]
        elif col == "CHILD" and shape.numeric_ids:
            cells = [
                f"<c r=\"{{}}\"><v>{v}</v></c>" if v.isdigit() and not v.startswith("0")
                else _text_cell(v)
                for v in text
            ]  # fmt: skip
        else:
            cells = [_text_cell(v) for v in text]
        columns.append(cells)
    lead: list[list[str]] = []
    if shape.title:
        lead.append([_text_cell(title)])
    if shape.blank:
        lead.append([])
    lead.append([_text_cell(c) for c in df.columns])
    letters = [chr(ord("A") + i) for i in range(len(df.columns))]
    rows = []
    for r, cells in enumerate([*lead, *zip(*columns, strict=True)], start=1):
        body = "".join(c.format(f"{letters[i]}{r}") for i, c in enumerate(cells) if c)
        rows.append(f'<row r="{r}">{body}</row>')
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{letters[-1]}{len(rows)}"/>'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )
    parts = {**_XLSX_PARTS, "xl/worksheets/sheet1.xml": sheet}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, part in parts.items():
            # A fixed timestamp keeps the file byte-identical from run to run.
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            book.writestr(info, _XML_DECLARATION + part, zipfile.ZIP_DEFLATED)


def _text_cell(value: str) -> str:
    if value == "":
        return ""
    text = escape(value).replace("{", "{{").replace("}", "}}")
    return f'<c r="{{}}" t="inlineStr"><is><t>{text}</t></is></c>'


def _escaped(df: pd.DataFrame) -> pd.DataFrame:
    """Every value as a string escaped for XML text, blanks as ``""``."""
    text = df.fillna("").astype(object).astype(str)
    for col in text.columns:
        values = text[col].tolist()
        joined = "\n".join(values)
        if "&" in joined or "<" in joined or ">" in joined:
            text[col] = [
                v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for v in values
            ]
    return text


def _elements(
    df: pd.DataFrame, tags: Iterable[tuple[str, str]], wrap: str = "", omit_blank: bool = False
) -> dict[str, str]:
    """XML for each child's rows of ``df``, one ``(tag, column)`` leaf after another.

    A blank is an empty tag (``<DEC />``) as in DfE's example, or left out with
    ``omit_blank``; each row is wrapped in ``<wrap>`` if given; a child's rows are
    joined in file order.
    """
    if df.empty:
        return {}
    text = _escaped(df)
    xml = pd.Series("", index=text.index, dtype=object)
    for tag, col in tags:
        value = text[col].to_numpy(dtype=object)
        blank = "" if omit_blank else f"<{tag} />"
        xml = xml + np.where(value == "", blank, f"<{tag}>" + value + f"</{tag}>")
    if wrap:
        xml = f"<{wrap}>" + xml + f"</{wrap}>"
    out: dict[str, str] = {}
    for child, piece in zip(text["CHILD"].tolist(), xml.tolist(), strict=True):
        out[child] = out.get(child, "") + piece
    return out


def _first_rows(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop_duplicates("CHILD") if not df.empty else df


def xml_return(ret: Return, extras: Mapping[str, pd.DataFrame] | None = None) -> bytes:
    """One return as a DfE XML file, in the layout of the validator's example.

    Root ``EXPSSDA903``; a ``CHILD`` per header row holding a ``HEADER`` (CHILDID,
    UPN, SEX, DOB, ETHNIC, UASC, DUC, OC3 and AD1 items, AMISSING, AREVIEW, MOTHER,
    MC_DOB, PERMANENCE, OC2, AD_PLACED) then its ``EPISODE`` elements (PL for PLACE).
    Blanks are empty tags, except inside PERMANENCE and OC2 where, as in the example,
    blank items are left out. UASC is ``1`` for children in the UASC table, otherwise
    empty. Social worker episodes and DoLo are not written: the validator's
    ``read_xml_from_text`` does not read them from XML. Values are written as they
    are in the CSVs (e.g. SEX stays ``M``/``F`` if the CSV says so).
    """
    extras = extras or {}

    def items(name: str) -> list[tuple[str, str]]:
        return [(c, c) for c in COLUMNS[name][2:]]

    def extra(name: str, wrap: str = "", omit_blank: bool = False, once: bool = False):
        df = extras.get(name)
        if df is None:
            return {}
        return _elements(_first_rows(df) if once else df, items(name), wrap, omit_blank)

    header = _first_rows(ret.header)
    opening = _elements(
        header, [("CHILDID", "CHILD")] + [(t, t) for t in ("UPN", "SEX", "DOB", "ETHNIC")]
    )
    uasc = _elements(_first_rows(ret.uasc), [("DUC", "DUC")])
    uasc = {child: "<UASC>1</UASC>" + duc for child, duc in uasc.items()}
    late = [
        extra("OC3", once=True),
        extra("AD1", once=True),
        extra("Missing", "AMISSING"),
        extra("Reviews", "AREVIEW"),
        _elements(header, [("MOTHER", "MOTHER"), ("MC_DOB", "MC_DOB")]),
        extra("PrevPerm", "PERMANENCE", omit_blank=True, once=True),
        extra("OC2", "OC2", omit_blank=True, once=True),
        extra("PlacedAdoption", "AD_PLACED"),
    ]
    episode_tags = [(t, "PLACE" if t == "PL" else t) for t in XML_EPISODE_TAGS]
    episodes = _elements(ret.episodes, episode_tags, "EPISODE")
    parts = ["<?xml version='1.0' encoding='us-ascii'?>\n<EXPSSDA903>"]
    for child, xml in opening.items():
        parts += ["<CHILD><HEADER>", xml, uasc.get(child, "<UASC />")]
        parts += [pieces.get(child, "") for pieces in late]
        parts += ["</HEADER>", episodes.get(child, ""), "</CHILD>"]
    parts.append("</EXPSSDA903>")
    return "".join(parts).encode("ascii", "xmlcharrefreplace")


def _write_year(
    dest: Path,
    folder: str,
    year: int,
    ret: Return,
    shape: _Shape,
    extras: Mapping[str, pd.DataFrame] | None,
    last: Return | None,
) -> str:
    """Write one year under ``dest/folder``; return where it is, relative to ``dest``."""
    where = dest / folder
    where.mkdir(parents=True, exist_ok=True)
    if shape.kind == "xml":
        name = f"SSDA903_{collection_label(year)}.xml"
        (where / name).write_bytes(xml_return(ret, extras))
        return folder or name
    for stem, df in zip(MAIN_TABLES, ret, strict=True):
        if shape.kind == "xlsx":
            _write_xlsx(df, where / f"{stem}.xlsx", shape, _title(stem, year))
        else:
            _write_csv(df, where / f"{stem}.csv", shape, _title(stem, year))
    for name, df in (extras or {}).items():
        names = EXTRA_FILE_NAMES[name]
        _write_csv(df, where / names[year % len(names)], _CSV, "")
    if last is not None:
        for stem, df in zip(MAIN_TABLES, last, strict=True):
            _write_csv(df, where / f"{stem}_last.csv", _CSV, "")
    return folder


def _fresh(dest: Path | str) -> Path:
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    return dest


def _build(
    dest: Path | str,
    variant: str,
    description: str,
    returns: Mapping[int, Return],
    shapes: Mapping[int, _Shape] | None = None,
    *,
    seed: int,
    data_end: date | None = None,
    folder_name: Callable[[int], str] = str,
    extras: bool = False,
    last: bool = False,
    flat_xml: bool = False,
    notes: Mapping[int, str] | None = None,
    missing: tuple[int, ...] = (),
    revisions: tuple[Revision, ...] = (),
    vanished: tuple[str, ...] = (),
) -> Messy903:
    """Write ``returns`` year by year and describe the result."""
    dest = _fresh(dest)
    shapes, notes = shapes or {}, notes or {}
    years = sorted(returns)
    locations, labels = [], []
    for year in years:
        shape = shapes.get(year, _CSV)
        is_xml = shape.kind == "xml"
        folder = "" if (flat_xml and is_xml) else folder_name(year)
        ex = extra_tables_for(returns[year], year, seed) if (extras or is_xml) else None
        prev = returns.get(year - 1) if (last and not is_xml) else None
        locations.append((year, _write_year(dest, folder, year, returns[year], shape, ex, prev)))
        labels.append((year, f"{shape.label} {notes[year]}" if year in notes else shape.label))
    latest = returns[years[-1]]
    end = data_end or collection_end(years[-1])
    return Messy903(
        path=dest,
        variant=variant,
        description=description,
        expected_count=dfe_count(latest.episodes, latest.header, end),
        data_end=end,
        years=tuple(years),
        missing_years=missing,
        year_shapes=tuple(labels),
        locations=tuple(locations),
        revisions=revisions,
        vanished=vanished,
    )


# --- transformations of the clean returns ---------------------------------------------


def _from_end(years: Iterable[int], pattern: list[_Shape], rest: _Shape) -> dict[int, _Shape]:
    """Shapes for the latest year, the one before, ...; ``rest`` for earlier years."""
    ordered = sorted(years, reverse=True)
    return {y: pattern[i] if i < len(pattern) else rest for i, y in enumerate(ordered)}


def _middle_year(years: list[int]) -> int:
    if len(years) < 3:
        raise ValueError("need at least three collection years to drop a middle one")
    return sorted(years)[len(years) // 2]


def _cut(ret: Return, cut: date) -> Return:
    """An in-year extract: nothing after ``cut``."""
    when = pd.Timestamp(cut)
    ep = ret.episodes
    decom, dec = _parse_dates(ep["DECOM"]), _parse_dates(ep["DEC"])
    kept = decom <= when
    ep = ep[kept].copy()
    ep.loc[(dec[kept] > when).to_numpy(), ["DEC", "REC", "REASON_PLACE_CHANGE"]] = ""
    children = set(ep["CHILD"])
    header = ret.header[ret.header["CHILD"].isin(children)].copy()
    header.loc[(_parse_dates(header["MC_DOB"]) > when).to_numpy(), "MC_DOB"] = ""
    uasc = ret.uasc[ret.uasc["CHILD"].isin(children)].copy()
    return Return(header.reset_index(drop=True), ep.reset_index(drop=True), uasc)


def _revise(
    returns: dict[int, Return], years: Iterable[int], rng: np.random.Generator, share: float
) -> tuple[dict[int, Return], tuple[Revision, ...]]:
    """Move the start of some episodes open at 1 April by a few days or weeks.

    Returns after the one revised carry the revised date on. A revised date stays
    after the child's previous episode start (in the previous return), after their
    birth, before the collection year and before the episode ends.
    """
    out = dict(returns)
    revisions: list[Revision] = []
    for year in sorted(years):
        if year - 1 not in returns:
            continue
        ret = returns[year]
        ep = ret.episodes.copy()
        decom, dec = _parse_dates(ep["DECOM"]), _parse_dates(ep["DEC"])
        start = pd.Timestamp(collection_start(year))
        eligible = np.flatnonzero((decom < start).to_numpy())
        if len(eligible) == 0:
            continue
        before = returns[year - 1].episodes
        starts: dict[str, list[pd.Timestamp]] = {}
        for child, when in zip(before["CHILD"], _parse_dates(before["DECOM"]), strict=True):
            starts.setdefault(child, []).append(when)
        born = dict(zip(ret.header["CHILD"], _parse_dates(ret.header["DOB"]), strict=True))
        size = min(len(eligible), max(3, round(share * len(eligible))))
        for i in np.sort(rng.choice(eligible, size=size, replace=False)):
            child, original = ep.at[i, "CHILD"], decom.iat[i]
            earlier = [t for t in starts.get(child, []) if t < original]
            low = max([*earlier, born.get(child, pd.Timestamp(1900, 1, 1))]) + pd.Timedelta(days=1)
            high = min(start, dec.iat[i] if pd.notna(dec.iat[i]) else start) - pd.Timedelta(days=1)
            days = int(rng.integers(3, 43)) * int(rng.choice([-1, 1]))
            for shift in (days, -days):
                revised = original + pd.Timedelta(days=shift)
                if low <= revised <= high:
                    ep.at[i, "DECOM"] = revised.strftime("%d/%m/%Y")
                    revisions.append(Revision(year, child, original.date(), revised.date()))
                    break
        out[year] = ret._replace(episodes=ep)
    # Later returns carry a revised date on, so returns disagree only where it was revised.
    for later, ret in out.items():
        moved = {
            (r.child, r.original.strftime("%d/%m/%Y")): r.revised.strftime("%d/%m/%Y")
            for r in revisions
            if r.year < later
        }
        if not moved:
            continue
        ep = ret.episodes.copy()
        keys = list(zip(ep["CHILD"], ep["DECOM"], strict=True))
        ep["DECOM"] = [moved.get(key, key[1]) for key in keys]
        out[later] = ret._replace(episodes=ep)
    return out, tuple(revisions)


def _vanish(
    returns: dict[int, Return], rng: np.random.Generator, number: int
) -> tuple[dict[int, Return], tuple[str, ...]]:
    """Drop from the latest return some children open at the end of the one before."""
    years = sorted(returns)
    latest, before = returns[years[-1]], returns[years[-2]].episodes
    open_before = set(before.loc[before["DEC"].fillna("").str.strip() == "", "CHILD"])
    eligible = sorted(open_before & set(latest.episodes["CHILD"]))
    chosen = sorted(rng.choice(eligible, size=min(number, len(eligible)), replace=False))
    out = dict(returns)
    out[years[-1]] = Return(*(t[~t["CHILD"].isin(chosen)].reset_index(drop=True) for t in latest))
    return out, tuple(str(c) for c in chosen)


def sector(postcodes: pd.Series) -> pd.Series:
    """Postcodes cut to sector level (``W11 2AB`` -> ``W11 2``); blanks stay blank."""
    text = postcodes.fillna("").astype(str).str.upper().str.replace(" ", "", regex=False)
    cut = text.str[:-3] + " " + text.str[-3]
    return cut.where(text.str.len() >= 5, text)


def _sectors(returns: Mapping[int, Return]) -> dict[int, Return]:
    out = {}
    for year, ret in returns.items():
        ep = ret.episodes.copy()
        ep["HOME_POST"], ep["PL_POST"] = sector(ep["HOME_POST"]), sector(ep["PL_POST"])
        out[year] = ret._replace(episodes=ep)
    return out


def _blank_uasc(returns: Mapping[int, Return], years: Iterable[int]) -> dict[int, Return]:
    out = dict(returns)
    for year in years:
        out[year] = returns[year]._replace(uasc=returns[year].uasc.iloc[0:0])
    return out


def _write_unrelated(dest: Path, latest: Path, before: Path) -> None:
    """Files people leave next to their returns: none of them a 903 table."""
    (dest / "README.md").write_text(
        "# SSDA903 returns\n\nCopies of the children looked after returns sent to DfE, one "
        "folder per collection year. Ask the performance team before changing anything.\n",
        encoding="utf-8",
    )
    notes = (
        "Notes for the next return\n\nThree children transferred in from a neighbouring "
        "council: check their start dates against the transfer letters, and chase the "
        "missing UPNs with the virtual school.\n"
    )
    budget = "month,budget_gbp\n" + "".join(
        f"{m.strftime('%Y-%m')},{1_250_000 + 5_000 * i}\n"
        for i, m in enumerate(pd.date_range("2025-04-01", periods=12, freq="MS"))
    )
    for folder in (dest, latest):
        (folder / "notes.txt").write_text(notes, encoding="utf-8")
    for folder in (dest, before):
        (folder / "budget.csv").write_text(budget, encoding="utf-8")
    (latest / "~$episodes.xlsx").write_bytes(b"\x07jbloggs" + b"\x20" * 47 + b"\x00\x00\x00")
    (latest / ".~lock.episodes.csv#").write_text(
        ",jbloggs,LAPTOP-042,01.04.2026 09:12,file:///C:/Users/jbloggs/AppData/Roaming/"
        "LibreOffice/4;\n",
        encoding="utf-8",
    )


# --- the builders ---------------------------------------------------------------------


def extra_tables(
    dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED
) -> Messy903:
    """Every other 903 table in each year's folder, plus last year's files as ``*_last``.

    Reviews, missing, OC2, OC3, AD1, placed for adoption, previous permanence, social
    worker episodes and DoLo, with the validator's exact columns, named as councils save
    them (``Reviews.csv``, ``missing.csv``, ``OC2.csv``, ``placed_for_adoption.csv``...;
    the spelling varies by year); and ``header_last.csv``, ``episodes_last.csv``,
    ``uasc_last.csv`` holding the previous year's return, as DfE's tool takes them.
    """
    return _build(
        dest,
        "extra_tables",
        "Every other 903 table, and the previous year's header/episodes/uasc as *_last.csv, "
        "in each year's folder.",
        load_returns(source),
        seed=seed,
        extras=True,
        last=True,
    )


def blank_uasc(dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED) -> Messy903:
    """UASC tables holding only their column names in the latest year and every other one."""
    returns = load_returns(source)
    blanked = sorted(returns, reverse=True)[::2]
    return _build(
        dest,
        "blank_uasc",
        f"uasc.csv has column names and no rows in {', '.join(map(str, sorted(blanked)))}.",
        _blank_uasc(returns, blanked),
        seed=seed,
        notes={y: "uasc-empty" for y in blanked},
    )


def unrelated_files(
    dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED
) -> Messy903:
    """The clean folder plus files that are not 903 tables.

    ``README.md``, ``notes.txt`` and ``budget.csv`` (month, budget_gbp) at the top;
    ``notes.txt``, an Office lock file ``~$episodes.xlsx`` and a LibreOffice lock file
    ``.~lock.episodes.csv#`` in the latest year's folder; ``budget.csv`` in the one
    before.
    """
    returns = load_returns(source)
    result = _build(
        dest,
        "unrelated_files",
        "README.md, notes.txt and budget.csv at the top; notes.txt and Office/LibreOffice "
        "lock files in the latest year's folder; budget.csv in the year before.",
        returns,
        seed=seed,
    )
    years = sorted(returns)
    _write_unrelated(result.path, result.location(years[-1]), result.location(years[-2]))
    return result


def xml_returns(
    dest: Path | str, source: Path | str = SAMPLE_903, *, flat: bool = False, seed: int = _SEED
) -> Messy903:
    """Each year as one DfE XML return, ``SSDA903_2025-26.xml``.

    In its year's folder (``2026/SSDA903_2025-26.xml``), or with ``flat`` all files side
    by side in ``dest``. The XML carries reviews, missing episodes, OC2, OC3, AD1,
    placed for adoption and previous permanence items too (see :func:`xml_return`).
    """
    returns = load_returns(source)
    return _build(
        dest,
        "xml_returns",
        "Each year as one DfE XML file named SSDA903_<YYYY-YY>.xml"
        + (", all in one folder." if flat else ", in its year's folder."),
        returns,
        dict.fromkeys(returns, _XML),
        seed=seed,
        flat_xml=flat,
    )


def xml_and_csv_returns(
    dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED
) -> Messy903:
    """A mixed folder: the latest year and every other one as XML, the rest as CSV."""
    returns = load_returns(source)
    return _build(
        dest,
        "xml_and_csv_returns",
        "The latest year and every other one as DfE XML, the others as CSV.",
        returns,
        _from_end(returns, [_XML, _CSV] * len(returns), _CSV),
        seed=seed,
    )


def start_year_names(
    dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED
) -> Messy903:
    """Folders named by the year each collection starts: ``2025/`` holds 2025-26."""
    return _build(
        dest,
        "start_year_names",
        "Year folders named by the year the collection starts (2025/ holds 2025-26).",
        load_returns(source),
        seed=seed,
        folder_name=lambda year: str(year - 1),
    )


def in_year_extract(
    dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED
) -> Messy903:
    """The latest return cut at 31 December of its year: an in-year extract.

    Episodes starting after 31 December dropped; DEC, REC and REASON_PLACE_CHANGE after
    it blanked; header (and UASC) rows of children with no episode left dropped.
    """
    returns = load_returns(source)
    latest = max(returns)
    cut = date(latest - 1, 12, 31)
    returns[latest] = _cut(returns[latest], cut)
    return _build(
        dest,
        "in_year_extract",
        f"The {collection_label(latest)} return cut at {cut:%d/%m/%Y}.",
        returns,
        seed=seed,
        data_end=cut,
        notes={latest: f"in-year-to={cut.isoformat()}"},
    )


def missing_year(
    dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED
) -> Messy903:
    """One collection year from the middle of the history left out."""
    returns = load_returns(source)
    gone = _middle_year(list(returns))
    del returns[gone]
    return _build(
        dest,
        "missing_year",
        f"No folder for {collection_label(gone)}.",
        returns,
        seed=seed,
        missing=(gone,),
    )


def revised_start_dates(
    dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED
) -> Messy903:
    """Start dates of some episodes open at 1 April moved between one return and the next.

    In the latest return and the one two years before, about 6% of the episodes open
    at the start of the year (which the previous return also holds) start a few days or
    weeks earlier or later than in the previous return; returns after a revised one
    carry the revised date on; nothing else changes.
    """
    returns = load_returns(source)
    years = sorted(returns)
    rng = np.random.default_rng([seed, 8])
    returns, revisions = _revise(returns, [years[-1], years[-3]], rng, share=0.06)
    return _build(
        dest,
        "revised_start_dates",
        f"{len(revisions)} episode start dates revised between returns (see revisions).",
        returns,
        seed=seed,
        revisions=revisions,
    )


def vanished_children(
    dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED, number: int = 12
) -> Messy903:
    """Children open at the end of one return, absent from the next (the latest) entirely."""
    rng = np.random.default_rng([seed, 9])
    returns, vanished = _vanish(load_returns(source), rng, number)
    return _build(
        dest,
        "vanished_children",
        f"{len(vanished)} children open at the end of the previous return are missing from "
        "every table of the latest one.",
        returns,
        seed=seed,
        vanished=vanished,
    )


def sector_postcodes(
    dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED
) -> Messy903:
    """HOME_POST and PL_POST cut to postcode sectors (``W11 2``), as regional pipelines do."""
    return _build(
        dest,
        "sector_postcodes",
        "HOME_POST and PL_POST cut to sector level (outward code, space, first inward digit).",
        _sectors(load_returns(source)),
        seed=seed,
    )


#: date_formats, latest year first: Excel dates, midnight times, ISO, Excel serials.
_DATE_SHAPES = [
    _Shape("xlsx", dates="date", numeric_ids=True),
    _Shape("csv", dates="midnight"),
    _Shape("csv", dates="iso"),
    _Shape("xlsx", dates="serial", numeric_ids=True),
]


def date_formats(
    dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED
) -> Messy903:
    """Dates as Excel and other tools leave them, one style per year.

    Latest year: XLSX with real Excel date cells (and CHILD stored as a number, as
    Excel keeps it); the year before: CSV with ``DD/MM/YYYY 00:00:00``; then CSV with
    ISO dates (``2024-04-01``); then XLSX with dates as bare serial numbers (numeric
    cells, no date format); earlier years XLSX with date cells again.
    """
    returns = load_returns(source)
    return _build(
        dest,
        "date_formats",
        "XLSX with date cells, CSV with 00:00:00 times, CSV with ISO dates, XLSX with "
        "serial-number dates (see year_shapes).",
        returns,
        _from_end(returns, _DATE_SHAPES, _DATE_SHAPES[0]),
        seed=seed,
    )


#: title_rows, latest year first; dates stay DD/MM/YYYY text so only the title differs.
_TITLE_SHAPES = [
    _Shape("csv", title=True, blank="commas"),
    _Shape("xlsx", dates="text", title=True, blank="row"),
    _Shape("csv", title=True),
    _Shape("xlsx", dates="text", title=True),
    _Shape("csv", title=True, blank="empty"),
]


def title_rows(dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED) -> Messy903:
    """A title row (``SSDA903 episodes 2025-26, Anytown Council``) above every table.

    In CSV (the title padded with commas as Excel saves it) and XLSX, with a blank
    row under the title in some years (a row of commas, an empty line, or an empty
    XLSX row).
    """
    returns = load_returns(source)
    return _build(
        dest,
        "title_rows",
        "A title row, and in some years a blank row, above the column names (see year_shapes).",
        returns,
        _from_end(returns, _TITLE_SHAPES * len(returns), _CSV),
        seed=seed,
    )


#: everything, latest year first.
_EVERYTHING_SHAPES = [
    _Shape("xlsx", dates="date", title=True, blank="row", numeric_ids=True),
    _XML,
    _Shape("csv", dates="iso", title=True),
    _Shape("xlsx", dates="serial", numeric_ids=True),
    _Shape("csv", dates="midnight", title=True, blank="commas"),
]


def everything(dest: Path | str, source: Path | str = SAMPLE_903, *, seed: int = _SEED) -> Messy903:
    """Every shape at once, where they fit together: the hardest case.

    Folders named by start year; a middle year missing; the latest return an in-year
    extract to 31 December, in XLSX with date cells, CHILD as numbers, a title and a
    blank row, missing a dozen children open at the end of the year before, with
    revised episode start dates; the year before in DfE XML; earlier years in CSV with
    ISO dates and a title row, XLSX with serial dates, CSV with midnight times and a
    title and a blank row; postcodes cut to sectors; the other 903 tables and *_last
    copies in every non-XML folder; empty UASC tables in two years; unrelated files.
    """
    returns = load_returns(source)
    gone = _middle_year(list(returns))
    del returns[gone]
    years = sorted(returns)
    latest = years[-1]
    returns, vanished = _vanish(returns, np.random.default_rng([seed, 9]), 12)
    returns, revisions = _revise(returns, [latest], np.random.default_rng([seed, 8]), 0.06)
    cut = date(latest - 1, 12, 31)
    returns[latest] = _cut(returns[latest], cut)
    blanked = [y for i, y in enumerate(reversed(years)) if i in (0, 3)]
    returns = _blank_uasc(_sectors(returns), blanked)
    notes = {y: "uasc-empty" for y in blanked}
    notes[latest] = " ".join(filter(None, [notes.get(latest), f"in-year-to={cut.isoformat()}"]))
    result = _build(
        dest,
        "everything",
        "All shapes at once (see the builder's docstring and year_shapes).",
        returns,
        _from_end(returns, _EVERYTHING_SHAPES, _XML),
        seed=seed,
        data_end=cut,
        folder_name=lambda year: str(year - 1),
        extras=True,
        last=True,
        notes=notes,
        missing=(gone,),
        revisions=revisions,
        vanished=vanished,
    )
    _write_unrelated(result.path, result.location(latest), result.location(years[-2]))
    return result


#: Every builder by variant name, for parametrised tests.
BUILDERS: dict[str, Callable[..., Messy903]] = {
    f.__name__: f
    for f in (
        extra_tables,
        blank_uasc,
        unrelated_files,
        xml_returns,
        xml_and_csv_returns,
        start_year_names,
        in_year_extract,
        missing_year,
        revised_start_dates,
        vanished_children,
        sector_postcodes,
        date_formats,
        title_rows,
        everything,
    )
}
