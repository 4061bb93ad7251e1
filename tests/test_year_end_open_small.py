"""An open episode written as ending on its return's last day, read as open by ``validate``
too, and in a small authority's in-year extract (fewer than ten children in care)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from one_return903 import ep, write_return

from sufficiency.io.open_late_start import COUNTED, LEFT_OUT
from sufficiency.io.reconcile import dfe_count
from sufficiency.io.ssda903 import load_ssda903, read_history
from sufficiency.io.year_end_open import AFTER_EXTRACT, IN_YEAR_MIN, YEAR_END_OPEN


def test_validate_reads_an_open_episode_starting_on_the_last_day_as_open(tmp_path):
    """An extract writing every open episode's DEC as 31/03/2026: the child who came into
    care that day was an error, "starts and ends on the same day", in validate, while the
    forecast reads the episode as open; now validate reads it so, naming it as the others.
    A child who came and left that day (an E code) is still a zero-length episode."""
    eps = [
        ep("A", "01/05/2025", "31/03/2026", ""),
        ep("B", "01/05/2025", "01/06/2025", "E4A"),
        ep("C", "31/03/2026", "31/03/2026", ""),
        ep("D", "31/03/2026", "31/03/2026", "E13"),
    ]
    history, problems = load_ssda903([write_return(tmp_path, eps)])
    assert history is not None
    rows = {(p.code, p.row) for p in problems}
    assert (YEAR_END_OPEN, 4) in rows and (YEAR_END_OPEN, 2) in rows
    assert ("zero_length", 4) not in rows  # C: open, as the forecast reads it
    assert ("zero_length", 5) in rows  # D: came and went the same day
    assert not [p for p in problems if p.severity == "error" and p.row != 5]
    by_child = history.episodes.set_index("CHILD")["DEC"]
    assert pd.isna(by_child["C"]) and pd.isna(by_child["A"])


def _small_extract(written: bool) -> list[str]:
    """Six children in care on 31/12/2025, the day a 2025-26 extract was taken, and three
    who left earlier in the year; with ``written``, the open episodes' DEC is that day."""
    dec = "31/12/2025" if written else ""
    return [
        *(ep(c, "01/05/2025", dec, "") for c in "ABCDEF"),
        *(ep(c, "01/05/2025", "01/09/2025", "E4A") for c in "GHI"),
    ]


def test_a_small_authoritys_in_year_extract_written_to_its_date_is_open(tmp_path):
    """Fewer than IN_YEAR_MIN open episodes written as ending on the extract's date: read
    as written, the authority had no child in care (0, not 6), with nothing said beyond a
    quiet year end; with no open episode in the return at all, they are read as open."""
    assert IN_YEAR_MIN > 6
    blank = read_history(write_return(tmp_path / "blank", _small_extract(written=False)))
    written = read_history(write_return(tmp_path / "written", _small_extract(written=True)))
    assert written.end == blank.end
    assert dfe_count(written.episodes, written.header, written.end) == 6
    assert dfe_count(blank.episodes, blank.header, blank.end) == 6
    assert written.quality is not None
    said = [p for p in written.quality.problems if p.code == YEAR_END_OPEN]
    assert sorted(p.row for p in said) == [2, 3, 4, 5, 6, 7]
    assert all("(31 December 2025)" in p.message for p in said)


def test_a_real_returns_few_endings_on_its_latest_day_stay_ended(tmp_path):
    """A return whose open episodes leave DEC blank, as DfE's do: two children who left on
    its latest date with REC forgotten are not read as open (a slip, not an extract)."""
    eps = [*(ep(c, "01/05/2025", "", "") for c in "ABC"),
           *(ep(c, "01/05/2025", "01/09/2025", "E4A") for c in "GHI"),
           *(ep(c, "01/05/2025", "31/12/2025", "") for c in "JK")]  # fmt: skip
    h = read_history(write_return(tmp_path, eps))
    assert dfe_count(h.episodes, h.header, pd.Timestamp("2026-03-31")) == 3
    assert h.quality is not None
    assert YEAR_END_OPEN not in {p.code for p in h.quality.problems}


def _extract_with_stray(sample_dir: Path, root: Path, written: bool) -> Path:
    """The sample's 2025-26 return as taken on 31/12/2025 (later starts left out, later
    ends blank); with ``written``, every open episode's DEC that day but one's, typed as
    02/02/2026 (a planned end, or a slip)."""
    d = root / "2026"
    d.mkdir(parents=True)
    shutil.copy(sample_dir / "ssda903" / "2026" / "header.csv", d / "header.csv")
    ep = pd.read_csv(sample_dir / "ssda903" / "2026" / "episodes.csv", dtype=str,
                     keep_default_na=False)  # fmt: skip
    taken = pd.Timestamp("2025-12-31")
    start = pd.to_datetime(ep["DECOM"], format="%d/%m/%Y")
    ep = ep[(start <= taken).to_numpy()].copy()
    later = (pd.to_datetime(ep["DEC"], format="%d/%m/%Y") > taken).to_numpy()
    ep.loc[later, ["DEC", "REC", "REASON_PLACE_CHANGE"]] = ""
    if written:
        open_ = ep.index[(ep["DEC"] == "").to_numpy()]
        ep.loc[open_, "DEC"] = "31/12/2025"
        ep.loc[open_[0], "DEC"] = "02/02/2026"
    ep.to_csv(d / "episodes.csv", index=False)
    return root


def test_an_extracts_date_is_found_past_a_stray_later_end(sample_dir, tmp_path):
    """The sample's 2025-26 extract taken on 31/12/2025, its open episodes' DEC written as
    that day, one of them as 02/02/2026: its latest date, so 2 episodes (not the 10 needed)
    ended then, and the 866 on 31/12/2025 read as leaving care: 1 child looked after, not
    867. Now the day most open ends share is the extract's, and the end after it is read
    as open at it, and named."""
    blank = read_history(_extract_with_stray(sample_dir, tmp_path / "blank", written=False))
    written = read_history(_extract_with_stray(sample_dir, tmp_path / "written", written=True))
    assert written.end == blank.end == pd.Timestamp("2025-12-31")
    counted = dfe_count(written.episodes, written.header, written.end)
    assert counted == dfe_count(blank.episodes, blank.header, blank.end) == 867
    assert written.quality is not None
    later = [p for p in written.quality.problems if p.code == AFTER_EXTRACT]
    assert len(later) == 1 and later[0].column == "DEC"
    assert "(31 December 2025, the end written on its open episodes)" in later[0].message
    assert len([p for p in written.quality.problems if p.code == YEAR_END_OPEN]) == 866


def test_a_few_ends_sharing_an_earlier_day_do_not_make_it_the_extracts(tmp_path):
    """No blank DEC, the open episodes' ends written as 31/12/2025, three (fewer than
    IN_YEAR_MIN) more ending on 01/09/2025 with no REC: 31/12/2025 stays the extract's
    day, the September ends stay ends."""
    eps = [*(ep(c, "01/05/2025", "31/12/2025", "") for c in "AB"),
           *(ep(c, "01/05/2025", "01/09/2025", "") for c in "CDE"),
           *(ep(c, "01/05/2025", "01/08/2025", "E4A") for c in "FGHIJ")]  # fmt: skip
    h = read_history(write_return(tmp_path, eps))
    by_child = h.episodes.set_index("CHILD")["DEC"]
    assert pd.isna(by_child["A"]) and pd.isna(by_child["B"])
    assert (by_child[list("CDE")] == pd.Timestamp("2025-09-01")).all()


def test_a_start_typed_after_an_extracts_day_is_said_as_the_forecast_reads_it(tmp_path):
    """The sample's 2025-26 return as an extract taken on 31/12/2025 writing open ends as
    that day, one open episode's start typed 15/01/2026 (a year late): validate said "the
    forecast sets it aside, reading the child as not in care ...; correct DEC", while the
    forecast reads its DEC as open and leaves the episode out as starting after the data
    end (31/12/2025). Now validate says so."""
    from messy903 import in_year_extract

    folder = in_year_extract(tmp_path / "extract").path
    eps_file = folder / "2026" / "episodes.csv"
    ep = pd.read_csv(eps_file, dtype=str, keep_default_na=False)
    opened = ep["DEC"] == ""
    ep.loc[opened, "DEC"] = "31/12/2025"
    late = int(ep.index[opened & ep["DECOM"].str.endswith("/11/2025")][0])
    child = ep.at[late, "CHILD"]
    ep.loc[late, "DECOM"] = "15/01/2026"
    ep.to_csv(eps_file, index=False)
    _, problems = load_ssda903([folder])
    on_row = {p.code: p for p in problems if p.row == late + 2 and p.file == str(eps_file)}
    assert YEAR_END_OPEN in on_row
    said = on_row["dec_before_decom"].message
    assert said == LEFT_OUT.format(end="31 December 2025")
    assert "sets it aside" not in said and "correct DEC" not in said
    history = read_history(folder)
    assert history.end == pd.Timestamp(2025, 12, 31)
    rows = history.episodes[history.episodes["CHILD"] == child]
    assert not (rows["DECOM"] == pd.Timestamp(2026, 1, 15)).any()  # left out, as said


def _late_start(tmp_path: Path, open_children: str) -> tuple[Path, int]:
    """A small extract taken on 31/12/2025 writing open ends as that day, and child Z's
    start typed 15/01/2026 (a year late) with that end; Z's row."""
    eps = [
        *(ep(c, "01/05/2025", "31/12/2025", "") for c in open_children),
        *(ep(c, "01/05/2025", "01/09/2025", "E4A") for c in "MNO"),
        ep("Z", "15/01/2026", "31/12/2025", ""),
    ]
    return write_return(tmp_path, eps), len(eps) + 1


def test_a_start_typed_late_within_the_data_is_said_as_counted(tmp_path):
    """Twelve open ends written 31/12/2025 read as open, and the return's quiet last weeks
    as the whole year: Z's episode, read as open from 15/01/2026, is counted in care on
    31 March, as validate now says (it said the episode was set aside)."""
    folder, row = _late_start(tmp_path, "ABCDEFGHIJKL")
    _, problems = load_ssda903([folder])
    on_z = {p.code: p for p in problems if p.row == row}
    assert YEAR_END_OPEN in on_z
    assert on_z["dec_before_decom"].message == COUNTED
    history = read_history(folder)
    assert history.end == pd.Timestamp(2026, 3, 31)
    assert "Z" in set(history.episodes.loc[history.episodes["DEC"].isna(), "CHILD"])
    assert dfe_count(history.episodes, history.header, history.end) == 13


def test_a_start_after_an_end_read_as_written_is_still_set_aside(tmp_path):
    """Six open ends written 31/12/2025 are too few to be an extract's day: read as
    written, Z's episode ends before it starts and is set aside, as validate says."""
    folder, row = _late_start(tmp_path, "ABCDEF")
    _, problems = load_ssda903([folder])
    said = [p.message for p in problems if p.row == row and p.code == "dec_before_decom"]
    assert len(said) == 1 and "the forecast sets it aside" in said[0]
    assert "Z" not in set(read_history(folder).episodes["CHILD"])
