"""The sample 903 history as council systems export it: with vertical bars between columns
(a case-management system's or database's export) and in UTF-16 without a byte-order mark
(SQL Server's ``bcp -w``, a .NET report writer). Each was refused, every table of the
history ("uses vertical bars", "is a binary file"); each is read as the clean sample is,
the children looked after on 31 March 2026 and the entries of 2025-26 the same, with one
note per file saying how it was read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from messy903 import SAMPLE_903 as SAMPLE
from messy903 import clean_count

from sufficiency.cli import main
from sufficiency.errors import InputDataError
from sufficiency.io.inputs import load_placements
from sufficiency.io.ssda903 import read_history
from sufficiency.io.tables import read_tables


def _entries(h) -> int:
    """Episodes starting a period of care in 2025-26."""
    ep = h.episodes
    start, end = pd.Timestamp(2025, 4, 1), pd.Timestamp(2026, 3, 31)
    return int(((ep["RNE"] == "S") & ep["DECOM"].between(start, end)).sum())


def _export(dest: Path, *, sep: str = ",", encoding: str = "utf-8", suffix: str = ".csv",
            trailing: bool = False) -> Path:  # fmt: skip
    for path in sorted(SAMPLE.glob("*/*.csv")):
        out = dest / path.parent.name / (path.stem + suffix)
        out.parent.mkdir(parents=True, exist_ok=True)
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        text = table.to_csv(sep=sep, index=False, lineterminator="\r\n")
        if trailing:  # an empty last column on every row, as some exports write
            text = text.replace("\r\n", sep + "\r\n")
        out.write_bytes(text.encode(encoding))
    return dest


@pytest.fixture(scope="module")
def clean():
    return read_history(SAMPLE)


@pytest.mark.parametrize("trailing", [False, True])
def test_a_history_exported_with_vertical_bars_reads_as_the_clean_one(tmp_path, clean, trailing):
    h = read_history(_export(tmp_path, sep="|", trailing=trailing))
    assert h.quality is not None
    assert h.quality.num_looked_after == clean_count() == 869
    assert _entries(h) == _entries(clean) == 325
    pd.testing.assert_frame_equal(h.episodes, clean.episodes)
    said = [p.message for p in h.quality.problems if p.code == "delimiter"]
    assert len(said) == 18
    assert said[0] == ("was read with vertical bars between columns (as case-management "
                       "systems and databases export)")  # fmt: skip


def test_validate_reads_a_barred_history_without_an_error(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(_export(tmp_path, sep="|"))])
    assert result.exit_code == 0, result.output
    assert "Checked 1 input: 0 errors, 18 warnings." in result.output
    assert "vertical bars between columns" in result.output


def test_figures_in_a_barred_file_are_read_as_written_not_as_european(tmp_path):
    """A bar says nothing of the language of the Excel that wrote a file: a barred
    register's ``1.234,50`` and ``691,21`` are not read as 1234.50 and 691.21, as a
    European Excel's semicolon file's are (nor said to be 'tabs'): each is an error of its
    row, naming the decimal comma, the rest read."""
    head = "placement_id|setting|provider|postcode|vacancies|weekly_cost|age_min|age_max"
    costs = ["1.234,50", "950", "691,21"]
    rows = [f"P{i}|foster|in_house|WR1 1AA|1|{c}|0|17" for i, c in enumerate(costs)]
    path = tmp_path / "register.csv"
    path.write_text("\r\n".join([head, *rows]))
    t, problems = load_placements(path)
    assert t["weekly_cost"].isna().tolist() == [True, False, True]
    assert t["weekly_cost"].iloc[1] == 950.0
    errors = [(x.row, x.value) for x in problems if x.severity == "error"]
    assert errors == [(2, "1.234,50"), (4, "691,21")]
    assert "european_figures" not in [x.code for x in problems]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(("sep", "suffix"), [("\t", ".txt"), (",", ".csv")])
def test_a_history_in_utf16_without_its_mark_reads_as_the_clean_one(
    tmp_path, clean, encoding, sep, suffix
):
    h = read_history(_export(tmp_path, sep=sep, encoding=encoding, suffix=suffix))
    assert h.quality is not None
    assert h.quality.num_looked_after == 869
    assert _entries(h) == 325
    pd.testing.assert_frame_equal(h.episodes, clean.episodes)
    said = [p.message for p in h.quality.problems if p.code == "utf16_no_bom"]
    order = "little" if encoding.endswith("le") else "big"
    assert len(said) == 18 and said[0].startswith(f"is UTF-16 text ({order}-endian) without")


def test_a_binary_file_is_still_refused_not_taken_for_utf16(tmp_path, malformed_dir):
    with pytest.raises(InputDataError, match="is a binary file, not a CSV"):
        read_tables(malformed_dir / "binary.csv")
    path = tmp_path / "episodes.csv"  # zeros at odd places, but a control character too
    path.write_bytes("CHILD,DECOM\n1001,\x0701/04/2025\n".encode("utf-16-le"))
    with pytest.raises(InputDataError, match="is a binary file, not a CSV"):
        read_tables(path)
