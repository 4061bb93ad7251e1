"""DEC and REC read together: an open episode written as ending on its return's last day
(an extract's ``COALESCE(end, @period_end)``), and a reason for ending with no end date."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.io.reconcile import dfe_count
from sufficiency.io.ssda903 import read_history
from sufficiency.io.year_end_open import REC_WITHOUT_DEC, YEAR_END_OPEN

END = pd.Timestamp("2026-03-31")
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\n"
)


def _edit(sample_dir: Path, tmp_path: Path, change) -> tuple[Path, list[int]]:
    """A copy of the sample with ``change(row)`` applied to its 2025-26 episodes; the
    spreadsheet rows it changed."""
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    path = history / "2026" / "episodes.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    changed = [i + 2 for i, row in enumerate(rows) if change(row)]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return history, changed


def _open_as_year_end(row: dict[str, str]) -> bool:
    if row["DEC"]:
        return False
    row["DEC"] = "31/03/2026"
    return True


def test_open_episodes_written_as_ending_on_the_last_day_are_open(sample_dir, tmp_path):
    """Every open episode of 2025-26 given DEC 31/03/2026 and no REC: read as written, no
    child was looked after on 31/03/2026 (0, not 869), with nothing said."""
    clean = read_history(sample_dir / "ssda903")
    history, changed = _edit(sample_dir, tmp_path, _open_as_year_end)
    h = read_history(history)
    assert dfe_count(h.episodes, h.header, END) == dfe_count(clean.episodes, clean.header, END)
    assert dfe_count(h.episodes, h.header, END) == 869
    assert h.quality is not None
    said = [p for p in h.quality.problems if p.code == YEAR_END_OPEN]
    assert sorted(p.row for p in said) == changed
    assert {(p.column, p.severity, p.action) for p in said} == {
        ("DEC", "warning", "read as open (looked after at the end of the return)")
    }
    assert {Path(p.file).parts[-2:] for p in said} == {("2026", "episodes.csv")}
    out = CliRunner().invoke(main, ["validate", "--date", "2026-04-01", str(history)]).output
    assert f"({len(changed)} rows), column DEC: episode ends on the last day of the 2025-26" in out


def _return(root: Path, episodes: list[str], header: list[str]) -> Path:
    d = root / "2026"
    d.mkdir(parents=True)
    (d / "header.csv").write_text(HEADER + "".join(header))
    (d / "episodes.csv").write_text(EPISODES + "".join(episodes))
    return root


def _ep(child: str, decom: str, dec: str, rec: str, rne: str = "S") -> str:
    return f"{child},{decom},{rne},C2,N1,U4,PR1,{dec},{rec},,WR9 8DS,WR1 1AA,\n"


HEADS = [f"{c},1,01/01/2012,WBRI,,,\n" for c in "ABCD"]


def test_an_episode_ending_on_the_last_day_with_a_reason_ended(tmp_path):
    """A child who left on 31 March (E13), or moved then (X1), is not read as open; nor is
    one ending then with no REC where the return writes no REC at all (no evidence)."""
    h = read_history(_return(tmp_path / "a", [
        _ep("A", "01/05/2025", "31/03/2026", "E13"),
        _ep("B", "01/05/2025", "01/06/2025", "E4A"),
        _ep("C", "01/05/2025", "", ""),
        _ep("D", "01/05/2025", "31/03/2026", ""),
    ], HEADS))  # fmt: skip
    by_child = h.episodes.set_index("CHILD")["DEC"]
    assert by_child["A"] == END
    assert pd.isna(by_child["D"])  # B's ending gives its REC: D's blank one says open
    assert dfe_count(h.episodes, h.header, END) == 2
    no_rec = read_history(_return(tmp_path / "b", [
        _ep("A", "01/05/2025", "31/03/2026", ""),
        _ep("B", "01/05/2025", "01/06/2025", ""),
        _ep("C", "01/05/2025", "", ""),
    ], HEADS))  # fmt: skip
    assert no_rec.episodes.set_index("CHILD")["DEC"]["A"] == END
    assert no_rec.quality is not None
    assert YEAR_END_OPEN not in {p.code for p in no_rec.quality.problems}


def test_a_reason_for_ending_without_an_end_date_is_named(sample_dir, tmp_path):
    """20 episodes of 2025-26 with an E code in REC and DEC lost: the children count as
    looked after on 31/03/2026 (877, not 869), as written, and each row is named; validate
    names them too (it said nothing of 19 of them)."""

    def lose_end(row: dict[str, str], n=[0]) -> bool:  # noqa: B006 (a counter)
        if row["REC"].startswith("E") and n[0] < 20:
            n[0] += 1
            row["DEC"] = ""
            return True
        return False

    history, changed = _edit(sample_dir, tmp_path, lose_end)
    h = read_history(history)
    assert h.quality is not None
    said = [p for p in h.quality.problems if p.code == REC_WITHOUT_DEC]
    assert sorted(p.row for p in said) == changed and len(changed) == 20
    assert {p.column for p in said} == {"DEC"}
    assert "give its end date" in said[0].action
    out = CliRunner().invoke(main, ["validate", "--date", "2026-04-01", str(history)]).output
    assert "(20 rows), column DEC: episode has a reason for ending (REC) but no end date" in out


def _in_year(row: dict[str, str], written: bool) -> bool:
    """The 2025-26 return as taken on 31/12/2025: later episodes dropped (``False``), later
    ends blank, and with ``written`` every open episode's DEC the day it was taken."""
    start = pd.Timestamp(pd.to_datetime(row["DECOM"], dayfirst=True))
    if start > pd.Timestamp("2025-12-31"):
        row["CHILD"] = ""  # dropped below
        return False
    if row["DEC"] and pd.to_datetime(row["DEC"], dayfirst=True) > pd.Timestamp("2025-12-31"):
        row["DEC"] = row["REC"] = row["REASON_PLACE_CHANGE"] = ""
    if written and not row["DEC"]:
        row["DEC"] = "31/12/2025"
        return True
    return False


def test_an_in_year_extracts_open_episodes_written_as_its_date_are_open(sample_dir, tmp_path):
    """Taken on 31/12/2025 with open episodes' DEC written as that day: read as written, no
    child was looked after on 31/12/2025 (867 are)."""
    counts = []
    for written in (False, True):
        history, changed = _edit(
            sample_dir, tmp_path / str(written), lambda r, w=written: _in_year(r, w)
        )
        path = history / "2026" / "episodes.csv"
        text = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(t for t in text if not t.startswith(",")) + "\n", "utf-8")
        h = read_history(history)
        assert h.end == pd.Timestamp("2025-12-31")
        counts.append(dfe_count(h.episodes, h.header, h.end))
        assert h.quality is not None
        said = [p for p in h.quality.problems if p.code == YEAR_END_OPEN]
        assert len(said) == len(changed) and (len(said) > 0) == written
        assert all("(31 December 2025)" in p.message for p in said)
    assert counts == [867, 867]
