"""Metamorphic relations of the forecast: changes to a 903 history that leave its meaning
as it was leave the forecast as it was, path for path, for the same seed. The right
figures are not known; that they do not move is.

On the sample's last three returns, 20 paths over 6 months (a second or so each):

- the rows of every table in another order, its columns reversed, the files named as
  councils name them side by side in one folder, a year's episodes in two files, the
  returns as DfE's XML: the same paths;
- every child renamed in a way that keeps the IDs' order: the same paths; renamed in
  another order, the same fitted model and the same children at the start, and the paths
  of another draw: each child has a slot in the simulation in the order of the IDs
  (changing that would change every seeded figure and the pinned random stream);
- a forecast started inside the history (31/03/2025, 31/12/2025) sees nothing after its
  start: the paths of the returns cut there;
- a child in and out of care before the windows the rates and entries are measured in,
  or an episode ended before every return (kept, and said in the data quality): the same
  paths.
"""

from __future__ import annotations

import dataclasses
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from messy903 import xml_returns

from sufficiency import api
from sufficiency.config import ForecastParams, Params
from sufficiency.forecast.estimate import fit_model
from sufficiency.forecast.projection import initial_stock
from sufficiency.forecast.states import build_spells

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "ssda903"
YEARS = ("2024", "2025", "2026")
RUN = {"num_paths": 20, "horizon_months": 6, "seed": 5, "run_date": "2026-04-01"}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def three_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's 2023-24 to 2025-26 returns, in year folders."""
    folder = tmp_path_factory.mktemp("three") / "ssda903"
    for year in YEARS:
        shutil.copytree(SAMPLE / year, folder / year)
    return folder


def _forecast(history: Path, params: Params | None = None) -> api.ForecastReport:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the short history's note, on both sides alike
        return api.forecast(history, params, **RUN)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def base(three_years: Path) -> api.ForecastReport:
    return _forecast(three_years)


def _same_paths(a: api.ForecastReport, b: api.ForecastReport) -> None:
    for field in ("stock", "starts", "entries", "exits"):
        np.testing.assert_array_equal(getattr(a.base, field), getattr(b.base, field), field)
    pd.testing.assert_frame_equal(a.demand, b.demand)
    pd.testing.assert_frame_equal(a.starts, b.starts)
    assert a.headline == b.headline
    assert a.notes == b.notes


def _variant(three_years: Path, tmp_path: Path, change: Callable[[Path], None]) -> Path:
    folder = tmp_path / "ssda903"
    shutil.copytree(three_years, folder)
    change(folder)
    return folder


def _shuffle_rows(folder: Path) -> None:
    for k, path in enumerate(sorted(folder.rglob("*.csv"))):
        _read(path).sample(frac=1.0, random_state=k).to_csv(path, index=False)


def _reverse_columns(folder: Path) -> None:
    for path in folder.rglob("*.csv"):
        table = _read(path)
        table[table.columns[::-1]].to_csv(path, index=False)


def _council_names(folder: Path) -> None:
    """``2025/episodes.csv`` -> ``SSDA903_2024-25_Episodes.csv``, all in one folder."""
    for year in YEARS:
        for path in sorted((folder / year).iterdir()):
            label = f"{int(year) - 1}-{year[2:]}"
            path.rename(folder / f"SSDA903_{label}_{path.stem.capitalize()}.csv")
        (folder / year).rmdir()


def _split_a_year(folder: Path) -> None:
    """2024-25's episodes in two files, by row (a child's episodes may be in both)."""
    path = folder / "2025" / "episodes.csv"
    table = _read(path)
    half = len(table) // 2
    table.iloc[:half].to_csv(folder / "2025" / "episodes_part1.csv", index=False)
    table.iloc[half:].to_csv(folder / "2025" / "episodes_part2.csv", index=False)
    path.unlink()


@pytest.mark.parametrize(
    "change", [_shuffle_rows, _reverse_columns, _council_names, _split_a_year],
    ids=["rows shuffled", "columns reversed", "files named as councils do", "a year split"],
)  # fmt: skip
def test_the_same_returns_in_another_shape_give_the_same_paths(
    three_years: Path, base: api.ForecastReport, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    _same_paths(base, _forecast(_variant(three_years, tmp_path, change)))


def test_the_same_returns_as_xml_give_the_same_paths(
    three_years: Path, base: api.ForecastReport, tmp_path: Path
) -> None:
    xml_returns(tmp_path / "xml", source=three_years)
    assert list((tmp_path / "xml").rglob("*.xml"))
    _same_paths(base, _forecast(tmp_path / "xml"))


def test_the_returns_merged_into_one_file_a_table_give_the_same_paths(
    three_years: Path, base: api.ForecastReport, tmp_path: Path
) -> None:
    """One file per table of every year with a YEAR column (Social Finance's LIIA tools'
    ``SSDA903_Episodes_merged.csv``): the same paths. The summary said '3 year column'
    under 'Repaired or set aside (3 finding(s))', a code for a person to read and no
    repair; it now says how the files were read."""
    merged = tmp_path / "merged"
    merged.mkdir()
    for table in ("header", "episodes", "uasc"):
        parts = [_read(three_years / y / f"{table}.csv").assign(YEAR=y) for y in YEARS]
        pd.concat(parts).to_csv(merged / f"SSDA903_{table.capitalize()}_merged.csv", index=False)
    other = _forecast(merged)
    _same_paths(base, other)
    assert other.quality is not None
    lines = other.quality.summary_lines()
    assert not any(line.startswith("Repaired or set aside") for line in lines), lines
    assert (
        "Read as found: 3 tables of several years, each row read as part of the return its "
        "YEAR column names." in lines
    ), lines


def test_a_return_as_a_workbook_with_a_column_hidden_gives_the_same_paths(
    three_years: Path, base: api.ForecastReport, tmp_path: Path
) -> None:
    """2025-26's episodes as an XLSX workbook, its PL_POST column hidden and a notes sheet
    beside it: the same paths. The summary said 'Repaired or set aside (1 finding(s)): 1
    hidden columns', a code and no repair; it now says how the workbook was read."""
    import openpyxl

    folder = _variant(three_years, tmp_path, lambda f: None)
    csv = folder / "2026" / "episodes.csv"
    book = csv.with_suffix(".xlsx")
    with pd.ExcelWriter(book) as writer:
        _read(csv).to_excel(writer, sheet_name="Episodes", index=False)
        pd.DataFrame({"note": ["exported for the return"]}).to_excel(writer, sheet_name="Notes")
    csv.unlink()
    workbook = openpyxl.load_workbook(book)
    workbook["Episodes"].column_dimensions["L"].hidden = True  # PL_POST
    workbook.save(book)
    other = _forecast(folder)
    _same_paths(base, other)
    assert other.quality is not None
    lines = other.quality.summary_lines()
    assert not any(line.startswith("Repaired or set aside") for line in lines), lines
    assert any("columns hidden in Excel in 1 table, read like the others" in line
               for line in lines if line.startswith("Read as found")), lines  # fmt: skip


def _renamed(mapping: Callable[[list[str]], dict[str, str]]) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        tables = {p: _read(p) for p in folder.rglob("*.csv")}
        ids = sorted(set().union(*(set(t["CHILD"]) for t in tables.values())))
        new = mapping(ids)
        assert len(set(new.values())) == len(ids)
        for path, table in tables.items():
            table.assign(CHILD=table["CHILD"].map(new)).to_csv(path, index=False)

    return change


@pytest.mark.parametrize(
    "mapping",
    [lambda ids: {c: f"LA{c}" for c in ids},
     lambda ids: {c: str(700001 + 3 * k) for k, c in enumerate(ids)}],
    ids=["a prefix", "new numbers in the same order"],
)  # fmt: skip
def test_children_renamed_in_the_same_order_give_the_same_paths(
    three_years: Path, base: api.ForecastReport, tmp_path: Path, mapping
) -> None:
    _same_paths(base, _forecast(_variant(three_years, tmp_path, _renamed(mapping))))


def _same_fit(a: object, b: object, where: str) -> None:
    """Every figure of two fitted models (dataclasses of arrays, numbers, tuples) equal."""
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        for field in dataclasses.fields(a):
            _same_fit(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    elif isinstance(a, np.ndarray | pd.Index | pd.Series):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b), where)
    elif isinstance(a, tuple | list):
        assert len(a) == len(b), where  # type: ignore[arg-type]
        for k, (x, y) in enumerate(zip(a, b, strict=True)):  # type: ignore[call-overload]
            _same_fit(x, y, f"{where}[{k}]")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where  # type: ignore[attr-defined]
        for k in a:
            _same_fit(a[k], b[k], f"{where}[{k!r}]")  # type: ignore[index]
    else:
        assert a == b, where


def test_children_renamed_in_another_order_give_the_same_model_and_start(
    three_years: Path, base: api.ForecastReport, tmp_path: Path
) -> None:
    """The fit and the children at the start do not depend on the IDs; the paths are
    another draw of the same model (each child's slot follows the IDs' order), so they
    agree within the simulation's noise, not path for path."""
    rng = np.random.default_rng(0)
    shuffle = _renamed(lambda ids: dict(zip(ids, rng.permutation(ids), strict=True)))
    renamed = _variant(three_years, tmp_path, shuffle)
    fitted = []
    for folder in (three_years, renamed):
        care = build_spells(api.read_903(folder))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = fit_model(care, care.data_end, ForecastParams())
        start = initial_stock(care, care.data_end)
        children = sorted(zip(start.category, start.legal, start.age_months, start.tic_months,
                              start.prevalent, strict=True))  # fmt: skip
        fitted.append((model, children))
    (model_a, start_a), (model_b, start_b) = fitted
    assert start_a == start_b
    _same_fit(model_a, model_b, "model")
    other = _forecast(renamed)
    totals = [r.base.stock.sum(axis=(2, 3)).astype(float) for r in (base, other)]
    assert totals[0][:, 0].tolist() == totals[1][:, 0].tolist()  # the same start
    mean_a, mean_b = (t[:, -1].mean() for t in totals)
    spread = np.hypot(*(t[:, -1].std() for t in totals)) / np.sqrt(RUN["num_paths"])
    assert abs(mean_a - mean_b) < 4 * spread + 1


def _add_child(folder: Path, year: str, child: str, started: str, ended: str) -> None:
    """A child with one episode (in foster care, 'S' then left home) in ``year``'s return."""
    episodes, header = _read(folder / year / "episodes.csv"), _read(folder / year / "header.csv")
    row = dict.fromkeys(episodes.columns, "") | {
        "CHILD": child, "DECOM": started, "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4",
        "PLACE_PROVIDER": "PR1", "DEC": ended, "REC": "E11", "HOME_POST": "WR14 9GA",
        "PL_POST": "WR8 0HU",
    }  # fmt: skip
    pd.concat([episodes, pd.DataFrame([row])]).to_csv(folder / year / "episodes.csv", index=False)
    who = dict.fromkeys(header.columns, "") | {
        "CHILD": child, "SEX": "F", "DOB": "01/02/2010", "ETHNIC": "WBRI", "UPN": "A123456789012",
    }  # fmt: skip
    pd.concat([header, pd.DataFrame([who])]).to_csv(folder / year / "header.csv", index=False)


def test_a_child_in_care_before_the_windows_changes_nothing(
    three_years: Path, tmp_path: Path
) -> None:
    """Rates and entries measured on the last two years: a child in and out of care in the
    first return's first months is in neither window."""
    two = Params(forecast=ForecastParams(reference_years=2.0, entry_history_years=2.0))
    added = _variant(
        three_years, tmp_path, lambda f: _add_child(f, "2024", "999001", "10/04/2023", "01/06/2023")
    )
    _same_paths(_forecast(three_years, two), _forecast(added, two))


def test_an_episode_ended_before_every_return_changes_no_figure(
    three_years: Path, base: api.ForecastReport, tmp_path: Path
) -> None:
    added = _variant(
        three_years, tmp_path, lambda f: _add_child(f, "2024", "999002", "10/04/2019", "01/06/2019")
    )
    other = _forecast(added)
    _same_paths(base, other)
    assert other.quality is not None
    assert "1 episode ended before their return's collection year: kept" in "\n".join(
        other.quality.summary_lines()
    )


def test_a_scenario_and_supply_leave_the_base_forecast_as_it_was(
    three_years: Path, base: api.ForecastReport
) -> None:
    """The scenario is simulated beside the base from the same seed, and supply only read
    against the demand: the base's paths are those of a run without either."""
    sample = SAMPLE.parent
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both = api.forecast(three_years, scenario=sample / "scenarios" / "entries_up_20.toml",
                            supply=sample / "supply.toml", **RUN)  # type: ignore[arg-type]  # fmt: skip
    assert both.scenario is not None and both.shortfall is not None
    for field in ("stock", "starts", "entries", "exits"):
        np.testing.assert_array_equal(getattr(base.base, field), getattr(both.base, field))
    pd.testing.assert_frame_equal(base.demand, both.demand)
    assert not np.array_equal(both.scenario.stock, both.base.stock)


def test_a_forecast_from_inside_the_history_is_that_of_the_history_cut_there(
    three_years: Path, tmp_path: Path
) -> None:
    """Started on 31/03/2025 or on 31/12/2025, the forecast sees nothing after its start:
    the same paths as from the returns to that day (the last one left out, or cut there as
    an in-year extract), as a backtest needs."""
    from messy903 import in_year_extract

    run = {**RUN, "run_date": "2026-01-15"}
    cut = _variant(three_years, tmp_path, lambda f: shutil.rmtree(f / "2026"))
    extract = in_year_extract(tmp_path / "extract", source=three_years).path
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for start, history in (("2025-03-31", cut), ("2025-12-31", extract)):
            whole = api.forecast(three_years, start=start, **run)  # type: ignore[arg-type]
            short = api.forecast(history, **run)  # type: ignore[arg-type]
            assert str(short.base.month_ends[0].date()) == start
            for field in ("stock", "starts", "entries", "exits"):
                np.testing.assert_array_equal(getattr(whole.base, field),
                                              getattr(short.base, field), field)  # fmt: skip
            pd.testing.assert_frame_equal(whole.demand, short.demand)
