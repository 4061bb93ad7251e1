"""Reconciling 903 returns the way DfE counts children, one rule per test on tiny returns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sufficiency.errors import InputDataError
from sufficiency.forecast.states import build_spells, stock_at
from sufficiency.io.ssda903 import load_ssda903, read_history

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\n"
)


def _ep(child: str, decom: str, dec: str = "", place: str = "U4", provider: str = "PR1",
        rne: str = "S", ls: str = "C2", post: str = "WR1 1AA") -> str:  # fmt: skip
    rec = "X1" if dec else ""
    return f"{child},{decom},{rne},{ls},N1,{place},{provider},{dec},{rec},,WR9 8DS,{post},\n"


def _year(root: Path, name: str, header: list[str], episodes: list[str]) -> Path:
    d = root / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "header.csv").write_text(HEADER + "".join(header))
    (d / "episodes.csv").write_text(EPISODES + "".join(episodes))
    return d


def _head(child: str, dob: str = "01/01/2012") -> str:
    return f"{child},1,{dob},WBRI,,,\n"


def _codes(history) -> list[str]:
    return [p.code for p in history.quality.problems]


def test_revised_start_date_is_one_episode_not_two(tmp_path):
    """A start date revised between returns: the later return's episode replaces the earlier,
    the episode before it is moved to meet it, and the child counts once."""
    _year(tmp_path, "2025", [_head("A")], [
        _ep("A", "01/05/2024", "01/06/2024", place="U6"),
        _ep("A", "01/06/2024", rne="P"),
    ])  # fmt: skip
    _year(tmp_path, "2026", [_head("A")], [_ep("A", "10/06/2024", rne="P")])
    h = read_history(tmp_path)
    ep = h.episodes
    assert ep["DECOM"].tolist() == [pd.Timestamp("2024-05-01"), pd.Timestamp("2024-06-10")]
    assert ep["DEC"].iloc[0] == pd.Timestamp("2024-06-10")
    assert "revised_episode" in _codes(h)
    care = build_spells(h)
    assert (care.spells["kind"] == "entry").sum() == 1
    assert stock_at(care, [pd.Timestamp("2025-03-31")]).sum() == 1
    # validate reports it too, as a warning
    _, problems = load_ssda903([tmp_path])
    assert any(p.code == "revised_episode" and p.severity == "warning" for p in problems)


def test_earlier_placement_missed_by_a_return_is_trimmed_not_dropped(tmp_path):
    """A later return showing a move the earlier one missed keeps the earlier placement,
    ended when the new one starts."""
    _year(tmp_path, "2025", [_head("A")], [_ep("A", "01/05/2024", place="U6")])
    _year(tmp_path, "2026", [_head("A")], [
        _ep("A", "01/05/2024", "01/02/2025", place="U6"),
        _ep("A", "01/02/2025", place="K2", provider="PR4", rne="P", post="B1 1AA"),
    ])  # fmt: skip
    h = read_history(tmp_path)
    assert h.episodes["PLACE"].tolist() == ["U6", "K2"]
    assert h.episodes["DEC"].iloc[0] == pd.Timestamp("2025-02-01")


def test_open_episode_of_a_child_absent_from_the_next_return_is_closed(tmp_path):
    """A child open at the end of 2024-25 and absent from 2025-26 is not looked after
    from 1 April 2025, when that return begins, but was on 31 March 2025, as the 2024-25
    return (the authority for its own year, and DfE's count that year) says. The episode
    was closed on 31 March 2025, which took the child out of that day's count: the
    history's 31 March 2025 read 859 against the return's 871 on the sample with 12
    such children (tests/test_recount.py)."""
    _year(tmp_path, "2025", [_head("A"), _head("B")],
          [_ep("A", "01/05/2024"), _ep("B", "01/05/2024")])  # fmt: skip
    _year(tmp_path, "2026", [_head("B")], [_ep("B", "01/05/2024")])
    h = read_history(tmp_path)
    a = h.episodes[h.episodes["CHILD"] == "A"]
    assert a["DEC"].tolist() == [pd.Timestamp("2025-04-01")]
    assert _codes(h).count("closed_absent") == 1
    assert h.quality.num_looked_after == 1
    care = build_spells(h)
    assert stock_at(care, [h.end]).sum() == 1
    assert stock_at(care, [pd.Timestamp("2025-03-31")]).sum() == 2


def test_open_episode_before_a_missing_year_is_closed_in_it(tmp_path):
    """Across a missing year the child left at some unknown time in it: the episode is
    closed on its last day, so the exit falls in the months the rates leave out."""
    _year(tmp_path, "2024", [_head("A"), _head("B")],
          [_ep("A", "01/05/2023"), _ep("B", "01/05/2023")])  # fmt: skip
    _year(tmp_path, "2026", [_head("B")], [_ep("B", "01/05/2023")])
    h = read_history(tmp_path)
    a = h.episodes[h.episodes["CHILD"] == "A"]
    assert a["DEC"].tolist() == [pd.Timestamp("2025-03-31")]
    assert build_spells(h).in_gap(a["DEC"].to_numpy()).all()


def test_revised_start_date_keeps_the_period_whole_when_copies_span_returns(tmp_path):
    """An episode of 2022-23 held open by 2023-24 and 2024-25 and given a later start by
    2025-26: its predecessor, X1 in 2022-23, ended on the old start. Each episode's latest
    copy (2024-25's) was the only one left when the child's returns were resolved, and the
    predecessor was met only when in the same return as a replaced copy: the period of
    care broke in two, an exit on the old start and an entry on the new, and the child was
    out of care in between (on the sample so revised, 3 to 5 more starts and ceased a year
    than its returns hold: tests/test_recount.py)."""
    _year(tmp_path, "2023", [_head("A")], [
        _ep("A", "01/10/2022", "24/01/2023", place="U6"),
        _ep("A", "24/01/2023", rne="P", place="K2", provider="PR4"),
    ])  # fmt: skip
    for year in ("2024", "2025"):
        _year(tmp_path, year, [_head("A")], [_ep("A", "24/01/2023", rne="P", place="K2",
                                                 provider="PR4")])  # fmt: skip
    _year(tmp_path, "2026", [_head("A")], [_ep("A", "15/02/2023", rne="P", place="K2",
                                               provider="PR4")])  # fmt: skip
    h = read_history(tmp_path)
    assert h.episodes["DEC"].iloc[0] == pd.Timestamp("2023-02-15")
    care = build_spells(h)
    assert (care.spells["kind"] == "entry").sum() == 1
    assert stock_at(care, [pd.Timestamp("2023-02-01")]).sum() == 1


def test_a_child_left_out_of_one_return_but_in_care_by_a_later_one_is_not_closed(tmp_path):
    """Social Finance's 903 fix cases (liia-tools, RULE1): a child open at the end of
    2023-24, absent from 2024-25, and shown by 2025-26 in care from 01/09/2023 (a move
    2023-24 missed) to 2025. data_quality.csv said both 'not in care when the 2024-25
    return begins: closed on 31/03/2024' and 'end moved to meet the later return's
    episode': the later return says the child was in care then, and the first action
    was not what happened. Now only the second is said."""
    _year(tmp_path, "2024", [_head("A")], [_ep("A", "13/01/2022", place="U6")])
    _year(tmp_path, "2025", [_head("B")], [_ep("B", "01/05/2023")])
    _year(tmp_path, "2026", [_head("A"), _head("B")], [
        _ep("A", "01/09/2023", "21/06/2025", rne="P"),
        _ep("B", "01/05/2023"),
    ])  # fmt: skip
    h = read_history(tmp_path)
    a = h.episodes[h.episodes["CHILD"] == "A"]
    assert a["DECOM"].tolist() == [pd.Timestamp("2022-01-13"), pd.Timestamp("2023-09-01")]
    assert a["DEC"].tolist() == [pd.Timestamp("2023-09-01"), pd.Timestamp("2025-06-21")]
    assert "closed_absent" not in _codes(h) and "revised_episode" in _codes(h)
    care = build_spells(h)
    assert (care.spells["kind"] == "entry").sum() == 2  # A once, B once
    assert stock_at(care, [pd.Timestamp("2024-06-30")]).sum() == 2


def test_missing_year_is_reported_and_left_out_of_rates(tmp_path):
    """No 2024-25 return: it is named, and its days are a gap the rates leave out."""
    _year(tmp_path, "2024", [_head("A")], [_ep("A", "01/05/2023")])
    _year(tmp_path, "2026", [_head("A")], [_ep("A", "01/05/2023")])
    h = read_history(tmp_path)
    assert h.years == (2024, 2026) and h.missing_years == (2025,)
    care = build_spells(h)
    assert care.gaps == ((pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-31")),)
    days = pd.to_datetime(["2024-03-31", "2024-04-01", "2025-03-31", "2025-04-01"]).to_numpy()
    assert care.in_gap(days).tolist() == [False, True, True, False]
    assert any("2024-25" in line for line in h.quality.summary_lines())


def test_same_placement_continued_across_a_missing_year_keeps_the_earlier_period(tmp_path):
    """Open at the end of 2023-24, no 2024-25 return, and in 2025-26 the same carers from a
    date in the missing year (a change of legal status, RNE L): the 2023-24 return stands
    for its own period, so the child counts on 31 March 2024 and entered in 2023. Before,
    the earlier episode was taken for the later one's unrevised version and dropped: the
    sample with 2023-24 removed counted 846 on 31 March 2023 against the return's 857."""
    _year(tmp_path, "2024", [_head("A")], [_ep("A", "21/12/2023")])
    _year(tmp_path, "2026", [_head("A")], [_ep("A", "28/10/2024", rne="L", ls="C1")])
    h = read_history(tmp_path)
    assert h.episodes["DECOM"].tolist() == [pd.Timestamp("2023-12-21"), pd.Timestamp("2024-10-28")]
    assert h.episodes["DEC"].iloc[0] == pd.Timestamp("2024-10-28")
    care = build_spells(h)
    assert stock_at(care, [pd.Timestamp("2024-03-31")]).sum() == 1
    assert (care.spells["kind"] == "entry").sum() == 1


def _starts_every(root: Path, days: int, last: str) -> None:
    """A 2025-26 return with a child entering care every ``days`` days up to ``last``."""
    starts = pd.date_range("2025-04-01", last, freq=f"{days}D")
    _year(root, "2025", [_head("A")], [_ep("A", "01/05/2024")])
    heads = [_head("A")] + [_head(f"C{i}") for i in range(len(starts))]
    eps = [_ep("A", "01/05/2024")] + [_ep(f"C{i}", f"{d:%d/%m/%Y}") for i, d in enumerate(starts)]
    _year(root, "2026", heads, eps)


def test_in_year_extract_ends_at_its_last_month(tmp_path):
    """A latest return with a start a week to 23 December and none after is an in-year
    extract ending 31 December, and the forecast starts there."""
    _starts_every(tmp_path, 7, "2025-12-28")
    h = read_history(tmp_path)
    assert h.end == pd.Timestamp("2025-12-31")
    assert h.quality.in_year_extract and "in_year_extract" in _codes(h)
    assert "quiet_year_end" not in _codes(h)
    assert build_spells(h).data_end == pd.Timestamp("2025-12-31")


def test_small_authority_with_no_event_in_march_covers_the_whole_year(tmp_path):
    """A small authority's full-year return: a start every 12 days, the last on 19 February,
    nothing in March (3.4 days' worth at its pace: chance). Before, it was read as an
    in-year extract ending 28 February: the history, DfE's count and the forecast
    started a month early (a synthetic authority of 17 children read so said 'data to
    28/02/2026 (an in-year extract)'); now it covers the year to 31 March, and says why."""
    _starts_every(tmp_path, 12, "2026-02-20")
    h = read_history(tmp_path)
    assert h.episodes["DECOM"].max() == pd.Timestamp("2026-02-19")
    assert h.end == pd.Timestamp("2026-03-31")
    assert not h.quality.in_year_extract and "in_year_extract" not in _codes(h)
    assert build_spells(h).data_end == pd.Timestamp("2026-03-31")
    (note,) = [p for p in h.quality.problems if p.code == "quiet_year_end"]
    assert note.message.startswith("the 2025-26 return's latest start or end of an episode is "
                                   "on 19 February 2026, 40 days before the year ends")  # fmt: skip
    assert any("read as the whole year" in line for line in h.quality.summary_lines())
    _, problems = load_ssda903([tmp_path])  # validate says so too
    assert [p.code for p in problems if p.code == "quiet_year_end"] == ["quiet_year_end"]


def test_start_year_folder_names_are_dated_by_content(tmp_path):
    """Folders named by the year a collection starts are read as the year their dates show,
    and the user is told."""
    _year(tmp_path, "2024", [_head("A")], [_ep("A", "01/05/2024")])
    _year(tmp_path, "2025", [_head("A")], [_ep("A", "01/05/2024", "01/06/2025")])
    h = read_history(tmp_path)
    assert h.years == (2025, 2026)
    notes = [p for p in h.quality.problems if p.code == "year_from_content"]
    assert len(notes) == 2 and "2025-26" in notes[1].message


def test_other_tables_blank_tables_and_unrelated_files(tmp_path):
    """Extra 903 tables are present, not used; a blank uasc table is valid; notes, budgets
    and lock files are skipped with one line each; nothing is an error."""
    d = _year(tmp_path, "2026", [_head("A")], [_ep("A", "01/05/2024")])
    (d / "uasc.csv").write_text("CHILD,SEX,DOB,DUC\n")
    (d / "Reviews.csv").write_text("CHILD,DOB,REVIEW,REVIEW_CODE\nA,01/01/2012,01/06/2025,PN1\n")
    (d / "missing.csv").write_text("CHILD,DOB,MISSING,MIS_START,MIS_END\n")
    (d / "header_last.csv").write_text(HEADER + _head("A"))
    (d / "notes.txt").write_text("Sent to DfE on 3 June.\nCall Sam about the late returns.\n")
    (tmp_path / "budget.csv").write_text("month,budget_gbp\n2025-04,1000\n")
    (d / "~$episodes.xlsx").write_bytes(b"\x00junk")
    (d / ".~lock.episodes.csv#").write_text("x")
    (tmp_path / "README.md").write_text("# Returns\n")
    h = read_history(tmp_path)
    assert sorted(t for _, t in h.quality.not_used) == ["missing", "reviews"]
    skipped = [p for p in h.quality.problems if p.code == "skipped_file"]
    assert len(skipped) == 5
    history, problems = load_ssda903([tmp_path])
    assert history is not None and not [p for p in problems if p.severity == "error"]


@pytest.mark.parametrize(
    "stem", ["_previous", "_prev", " last year", " (previous year)", "-last", "_Last"]
)
def test_a_previous_year_copy_named_otherwise_than_last_is_that_year_s(tmp_path, stem):
    """DfE's tool keys the previous year's tables ``header_last``; people name such a copy
    ``header_previous``, ``header prev``, ``header last year``. Not read as a copy, the
    previous year's header joined this year's return as a second version, read last (by
    name): its rows were used over this year's where they differed (a date of birth
    corrected since, undone), and its own year was read with no header table."""
    (tmp_path / "header.csv").write_text(HEADER + _head("A", "02/02/2012") + _head("B"))
    (tmp_path / "episodes.csv").write_text(
        EPISODES + _ep("A", "01/05/2024") + _ep("B", "01/06/2025")
    )
    (tmp_path / f"header{stem}.csv").write_text(HEADER + _head("A", "01/01/2013"))
    (tmp_path / f"episodes{stem}.csv").write_text(EPISODES + _ep("A", "01/05/2024"))
    h = read_history(tmp_path)
    assert h.years == (2025, 2026)
    assert h.header.set_index("CHILD").loc["A", "DOB"] == pd.Timestamp(2012, 2, 2)
    codes = _codes(h)
    assert "duplicate_table" not in codes and "no_header" not in codes
    assert codes.count("last_copy_used") == 2


def test_a_header_with_no_year_beside_episodes_named_by_year_says_how_to_name_it(tmp_path):
    """Episodes named by year (SSDA903_2025_episodes.csv, SSDA903_2026_episodes.csv) and
    this year's header as header.csv: the header cannot be dated, and the warning said
    'no episode dates beside it', with episodes beside it; it says to name it by year."""
    (tmp_path / "SSDA903_2025_episodes.csv").write_text(EPISODES + _ep("A", "01/05/2024"))
    (tmp_path / "SSDA903_2026_episodes.csv").write_text(EPISODES + _ep("A", "01/05/2024"))
    (tmp_path / "header.csv").write_text(HEADER + _head("A"))
    with pytest.raises(InputDataError) as err:
        read_history(tmp_path)
    (said,) = [p.message for p in err.value.problems if p.code == "unknown_year"]
    assert said == (
        "cannot tell which collection year this table is for: its name has no year, as the "
        "names of the files beside it do; not used: name it for its year (header_2026.csv if "
        "it is 2025-26's)"
    )


def test_unreadable_file_that_looks_like_a_903_table_is_an_error(tmp_path):
    """Only a file that looks like a 903 table and cannot be read stops the command."""
    d = _year(tmp_path, "2026", [_head("A")], [_ep("A", "01/05/2024")])
    (d / "episodes.csv").write_bytes(b"CHILD,DECOM,RNE\nA,01/05/2024,S\n\x00\x01\x02")
    with pytest.raises(InputDataError, match="is a binary file"):
        read_history(tmp_path)


def test_xml_return_is_read_like_csv(tmp_path):
    """A DfE XML return gives the same episodes as the same return in CSV."""
    _year(tmp_path / "csv", "2026", [_head("A"), _head("B", "05/05/2010")], [
        _ep("A", "01/05/2024", "01/06/2025", place="U6"),
        _ep("A", "01/06/2025", place="K2", provider="PR4", rne="P"),
        _ep("B", "02/02/2026", ls="V2"),
    ])  # fmt: skip
    xml = (
        "<?xml version='1.0' encoding='us-ascii'?><EXPSSDA903>"
        "<CHILD><HEADER><CHILDID>A</CHILDID><UPN /><SEX>1</SEX><DOB>01/01/2012</DOB>"
        "<ETHNIC>WBRI</ETHNIC><UASC /><AREVIEW><REVIEW>01/01/2026</REVIEW>"
        "<REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW><MOTHER /><MC_DOB /></HEADER>"
        "<EPISODE><DECOM>01/05/2024</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U6</PL>"
        "<PL_POST>WR1 1AA</PL_POST><HOME_POST>WR9 8DS</HOME_POST><URN /><PLACE_PROVIDER>PR1"
        "</PLACE_PROVIDER><DEC>01/06/2025</DEC><REC>X1</REC><REASON_PLACE_CHANGE /></EPISODE>"
        "<EPISODE><DECOM>01/06/2025</DECOM><RNE>P</RNE><LS>C2</LS><CIN>N1</CIN><PL>K2</PL>"
        "<PL_POST>WR1 1AA</PL_POST><HOME_POST>WR9 8DS</HOME_POST><URN /><PLACE_PROVIDER>PR4"
        "</PLACE_PROVIDER><DEC /><REC /><REASON_PLACE_CHANGE /></EPISODE></CHILD>"
        "<CHILD><HEADER><CHILDID>B</CHILDID><UPN /><SEX>1</SEX><DOB>05/05/2010</DOB>"
        "<ETHNIC>WBRI</ETHNIC><UASC>1</UASC><DUC>05/05/2028</DUC><MOTHER /><MC_DOB /></HEADER>"
        "<EPISODE><DECOM>02/02/2026</DECOM><RNE>S</RNE><LS>V2</LS><CIN>N1</CIN><PL>U4</PL>"
        "<PL_POST>WR1 1AA</PL_POST><HOME_POST>WR9 8DS</HOME_POST><URN /><PLACE_PROVIDER>PR1"
        "</PLACE_PROVIDER><DEC /><REC /><REASON_PLACE_CHANGE /></EPISODE></CHILD></EXPSSDA903>"
    )
    (tmp_path / "xml").mkdir()
    (tmp_path / "xml" / "SSDA903_2025-26.xml").write_text(xml)
    from_csv = read_history(tmp_path / "csv")
    from_xml = read_history(tmp_path / "xml")
    cols = ["CHILD", "DECOM", "DEC", "PLACE", "PLACE_PROVIDER", "LS", "RNE"]
    pd.testing.assert_frame_equal(from_xml.episodes[cols], from_csv.episodes[cols])
    assert from_xml.years == (2026,)
    assert "reviews" in {t for _, t in from_xml.quality.not_used}
    history, problems = load_ssda903([tmp_path / "xml"])
    assert history is not None and not [p for p in problems if p.severity == "error"]


def test_dates_in_other_forms_and_title_rows_are_read_and_noted(tmp_path):
    """ISO dates, dates with a time, Excel serial numbers and date cells, and a title row
    above the header are all read, each noted once."""
    from openpyxl import Workbook

    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text(
        "SSDA903 header 2025-26, Anytown Council\n\n" + HEADER + "A,1,2012-01-01,WBRI,,,\n"
        "B,1,02/02/2011 00:00:00,WBRI,,,\n"
    )
    wb = Workbook()
    ws = wb.active
    ws.append(["Episodes 2025-26"])
    ws.append(EPISODES.strip().split(","))
    ws.append(["A", 45413, "S", "C2", "N1", "U4", "PR1", None, None, None, "", "", ""])
    ws.append(["B", pd.Timestamp("2025-05-01").to_pydatetime(), "S", "C2", "N1", "U4", "PR1",
               None, None, None, "", "", ""])  # fmt: skip
    wb.save(d / "episodes.xlsx")
    h = read_history(tmp_path)
    assert h.episodes["DECOM"].tolist() == [pd.Timestamp("2024-05-01"), pd.Timestamp("2025-05-01")]
    assert h.header["DOB"].tolist() == [pd.Timestamp("2012-01-01"), pd.Timestamp("2011-02-02")]
    codes = _codes(h)
    for code in ("iso_dates", "dates_with_time", "excel_serial_dates", "excel_dates"):
        assert codes.count(code) == 1, code
    assert codes.count("title_rows") == 2


def test_dates_as_databases_web_systems_and_european_settings_write_them(tmp_path):
    """Dates written 01-04-2024 (SQL's style 105), 20240401 (style 112), 2024/04/01,
    01.04.2024 (European settings) and as a moment in UTC (a web system's JSON export of
    local midnight: 2024-08-23T23:00:00.000Z is 24 August in England) were 'not a date':
    every episode of such a return was set aside, the year read as one every child left
    (the sample so written forecast 955 on 31/03/2029, P10 606 to P90 1,425, for 851).
    Each is read as the date it names, noted once per file."""
    _year(tmp_path, "2026", [
        "A,1,01-02-2012,WBRI,,,\n", "B,1,20110202,WBRI,,,\n", "C,1,2010/03/03,WBRI,,,\n",
        "D,1,04.04.2013,WBRI,,,\n", "E,1,2014-05-04T23:00:00.000Z,WBRI,,,\n",
    ], [
        _ep("A", "01-05-2024", "23-08-2025"), _ep("B", "20240601"), _ep("C", "2024/07/01"),
        _ep("D", "01.08.2024"), _ep("E", "2024-08-23T23:00:00.000Z", "2025-07-15T23:00:00Z"),
    ])  # fmt: skip
    h = read_history(tmp_path)
    ep = h.episodes.set_index("CHILD")
    assert ep["DECOM"].dt.strftime("%d/%m/%Y").tolist() == [
        "01/05/2024", "01/06/2024", "01/07/2024", "01/08/2024", "24/08/2024"]  # fmt: skip
    assert ep.loc["A", "DEC"] == pd.Timestamp("2025-08-23")
    assert ep.loc["E", "DEC"] == pd.Timestamp("2025-07-16")
    assert h.header.set_index("CHILD")["DOB"].dt.strftime("%d/%m/%Y").tolist() == [
        "01/02/2012", "02/02/2011", "03/03/2010", "04/04/2013", "05/05/2014"]  # fmt: skip
    codes = _codes(h)
    for code in ("dotted_dates", "year_first_dates", "zoned_dates"):
        assert codes.count(code) == 2, code  # once in each file
    assert not [c for c in codes if c.startswith("dec") or c == "no_dob"]
    _, problems = load_ssda903([tmp_path])
    assert not [p for p in problems if p.severity == "error"]


def test_return_none_of_whose_episodes_can_be_read_is_no_return(tmp_path):
    """A 2025-26 return whose every start date is in a form no reader knows was kept as a
    return with no episodes: each child in care when 2024-25 ended was closed as if they
    had left, and the year read as one with no one in care. It is read as no return for
    2025-26 (as one with no rows is), each row still named."""
    _year(tmp_path, "2025", [_head("A"), _head("B")],
          [_ep("A", "01/05/2023"), _ep("B", "01/06/2023")])  # fmt: skip
    _year(tmp_path, "2026", [_head("A"), _head("B")],
          [_ep("A", "2023 05 01"), _ep("B", "2023 06 01")])  # fmt: skip
    h = read_history(tmp_path)
    assert h.years == (2025,) and h.quality.num_looked_after == 2
    codes = _codes(h)
    assert "closed_absent" not in codes and codes.count("empty_return") == 1
    assert codes.count("decom_invalid") == 2
    (note,) = [p for p in h.quality.problems if p.code == "empty_return"]
    assert "has no rows that can be used (above), though 2 children" in note.message


def test_dfe_columns_headed_in_words_are_read_as_dfe_names_them(tmp_path):
    """An export heading DfE's columns in words (Place Provider, Home Post, Mc Dob) was
    read without its PLACE_PROVIDER: every foster and residential placement counted
    in-house (7,455 'with no provider' on the sample so headed, and the forecast's
    in-house and external categories with them), though the contracts match names
    ignoring case, spaces and punctuation. Messages name the column as the file does."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text("Child,Sex,Dob,Ethnic,Upn,Mother,Mc Dob\nA,1,01/01/2012,WBRI,,,\n"
                                  "B,1,02/02/2011,WBRI,,,\n")  # fmt: skip
    (d / "episodes.csv").write_text(
        "Child,Decom,Rne,Ls,Cin,Place,Place Provider,Dec,Rec,Reason-Place-Change,Home Post,"
        "Pl Post,Urn\nA,01/05/2024,S,C2,N1,U4,PR4,,,,WR9 8DS,WR1 1AA,\n"
        "B,01/06/2024,S,C2,N1,K2,PR5,31/04/2025,X1,,WR9 8DS,WR1 1AA,\n"
    )
    h = read_history(tmp_path)
    assert h.episodes["PLACE_PROVIDER"].tolist() == ["PR4"]
    assert "blank_provider" not in _codes(h)
    (bad,) = [p for p in h.quality.problems if p.code == "dec_invalid"]
    assert (bad.row, bad.column) == (3, "DEC")
    _, problems = load_ssda903([tmp_path])
    assert not [p for p in problems if "provider" in p.message or "unknown column" in p.message]
    (bad,) = [p for p in problems if p.severity == "error"]
    assert (bad.row, bad.column) == (3, "Dec")


def test_an_extract_of_several_years_in_one_table_is_said_to_be_one(tmp_path):
    """A case system's extract of every episode since 2020 in one episodes.csv (no year in
    its name, no YEAR column) is read as one 2025-26 return: the rates use its months
    alone, and the forecast's short-history warning asked for earlier returns the file
    already holds. It is named as an extract of several years, with what to give instead;
    a return with a few stray old episodes is not."""
    d = tmp_path / "extract"
    d.mkdir()
    kids = [f"C{i:03d}" for i in range(60)]
    (d / "header.csv").write_text(HEADER + "".join(_head(k) for k in kids))
    (d / "episodes.csv").write_text(EPISODES + "".join(
        _ep(k, f"01/05/{2020 + i % 4}", f"01/06/{2021 + i % 4}") for i, k in enumerate(kids[:55])
    ) + "".join(_ep(k, "01/05/2025") for k in kids[55:]))  # fmt: skip
    h = read_history(d)
    assert h.years == (2026,)
    (note,) = [p for p in h.quality.problems if p.code == "several_years"]
    assert note.message.startswith(
        "holds 55 episodes that ended before the 2025-26 collection year began, the first on "
        "1 June 2021: an extract of several years")  # fmt: skip
    _, problems = load_ssda903([d])
    assert [p.code for p in problems if p.code == "several_years"] == ["several_years"]
    _year(tmp_path, "2026", [_head(k) for k in kids], [
        *(_ep(k, "01/05/2024", "01/06/2024") for k in kids[:5]),
        *(_ep(k, "01/05/2025") for k in kids[5:]),
    ])  # fmt: skip
    assert "several_years" not in _codes(read_history(tmp_path / "2026"))


def test_bad_rows_are_repaired_or_set_aside_and_counted(tmp_path):
    """One bad row never blocks the forecast: each is repaired by a stated rule or set
    aside, and the starting count says how many children were lost."""
    _year(tmp_path, "2026", [_head("A"), _head("B"), _head("C"), _head("E", "31/02/2010")], [
        _ep("A", "01/05/2024", place="Q9"),            # unknown code: counted as other
        _ep("B", "01/05/2024", "01/03/2024"),          # ends before it starts: set aside
        _ep("C", "31/04/2024"),                        # no usable start: set aside
        _ep("D", "01/05/2024"),                        # no header row anywhere: set aside
        _ep("E", "01/05/2024"),                        # date of birth not a date: set aside
    ])  # fmt: skip
    h = read_history(tmp_path)
    codes = set(_codes(h))
    assert {"unknown_place", "dec_before_decom", "decom_invalid", "no_dob"} <= codes
    assert h.episodes["CHILD"].tolist() == ["A"]
    # C, D and E are in care and left out (C's open episode, with no usable start,
    # was not counted before); B's episode had ended
    assert h.quality.num_looked_after == 1 and h.quality.num_set_aside_open == 3
    with pytest.raises(InputDataError):
        read_history(tmp_path, strict=True)


def test_child_id_written_another_way_in_another_table_is_the_same_child(tmp_path):
    """Excel drops the leading zeros of a numeric CHILD when a CSV is opened and saved, and
    pandas writes a number column with blanks as 123.0: the 2025-26 return's 123 is the
    2024-25 return's 0123, and its 55.0 the 2024-25 return's 55, each one child in care
    throughout (not a leaver and a new entrant), and the user is told. Two forms in one
    header, or with different dates of birth, are two children."""
    _year(tmp_path, "2025", [_head(c) for c in ("0123", "0456", "456", "0789", "55")], [
        _ep("0123", "01/05/2023"),
        _ep("0456", "01/05/2023"),
        _ep("456", "01/06/2023"),
        _ep("0789", "01/05/2023"),
        _ep("55", "01/05/2023"),
    ])  # fmt: skip
    heads = [_head("123"), _head("0456"), _head("456"), _head("789", "02/02/2013")]
    _year(tmp_path, "2026", [*heads, _head("55.0")], [
        _ep("123", "01/05/2023", "01/09/2025"),
        _ep("123", "01/09/2025", place="K2", provider="PR4", rne="P"),
        _ep("0456", "01/05/2023"),
        _ep("456", "01/06/2023"),
        _ep("789", "01/05/2023"),
        _ep("55.0", "01/05/2023"),
    ])  # fmt: skip
    h = read_history(tmp_path)
    ep = h.episodes
    assert sorted(ep["CHILD"].unique()) == ["0123", "0456", "0789", "456", "55", "789"]
    assert ep.loc[ep["CHILD"] == "0123", "PLACE"].tolist() == ["U4", "K2"]
    # 2 episodes and the header row of 123, 1 episode and the header row of 55.0
    assert _codes(h).count("child_id_form") == 5
    assert _codes(h).count("closed_absent") == 1  # 0789, born on another day than 789
    care = build_spells(h)
    assert (care.spells.loc[care.spells["child"] == "0123", "kind"] == "entry").sum() == 1
    # 0123, 0456, 456, 55 and the two children 0789 and 789: 0789, open at the end of
    # 2024-25 and absent from 2025-26, is closed on 1 April 2025, so in care on the 2024-25
    # return's 31 March, as it says
    assert stock_at(care, [pd.Timestamp("2025-03-31")]).sum() == 6
    assert h.quality.num_looked_after == 5
    _, problems = load_ssda903([tmp_path])
    assert any(p.code == "child_id_form" and p.severity == "warning" for p in problems)


def test_child_written_with_thousands_separators_is_the_same_child(tmp_path):
    """A 2025-26 return saved from a CHILD column formatted with thousands separators
    (100,211): a child in care throughout was read as one 'under a new CHILD identifier',
    one who left in 2024-25 and came back as a new child (a first entry, not a return),
    and nothing named the commas. Each is the same child, said as a formatting slip; one
    new in that return is read without them; two forms in one table are two children."""
    _year(tmp_path, "2025", [_head("100211"), _head("200300", "02/02/2013"),
                             _head("7000", "04/04/2014")],
          [_ep("100211", "01/05/2023", "01/06/2024"), _ep("200300", "01/05/2023"),
           _ep("7000", "01/05/2023")])  # fmt: skip
    _year(tmp_path, "2026", [_head('"100,211"'), _head('"200,300"', "02/02/2013"),
                             _head('"300,400"', "03/03/2014"), _head("7000", "04/04/2014"),
                             _head('"7,000"', "05/05/2015")],
          [_ep('"100,211"', "01/09/2025"), _ep('"200,300"', "01/05/2023"),
           _ep('"300,400"', "01/10/2025"), _ep("7000", "01/05/2023"),
           _ep('"7,000"', "01/11/2025")])  # fmt: skip
    h = read_history(tmp_path)
    assert sorted(h.episodes["CHILD"].unique()) == ["100211", "200300", "300400", "7,000", "7000"]
    assert sorted(h.header["CHILD"].unique()) == ["100211", "200300", "300400", "7,000", "7000"]
    assert "child_id_changed" not in _codes(h)
    said = [p for p in h.quality.problems if p.code == "child_id_form"]
    assert len(said) == 6 and all("thousands separators" in p.message for p in said)
    assert {p.action for p in said} == {"read as 100211", "read as 200300", "read as 300400"}
    care = build_spells(h)
    entries = care.spells[care.spells["kind"] == "entry"]
    assert (entries["child"] == "100211").sum() == 2  # left and came back: one child
    assert h.quality.num_looked_after == 5


def test_child_written_with_full_stops_in_a_semicolon_csv_is_the_same_child(tmp_path):
    """A 2025-26 return saved by Excel in a European language (semicolons between columns)
    from a CHILD column formatted with thousands separators, which it writes with full stops
    (100.211): the sample so saved gave 1,158 children 'under a new CHILD identifier'. In
    such a file each is the same child, said as a formatting slip, one new in that return
    read without them, two forms in one table two children (the one so written kept as
    written); one written so in a comma CSV too (500.600), where a full stop is no
    thousands separator, is an identifier with a full stop in it, left as written."""
    _year(tmp_path, "2025", [_head("100211"), _head("7000", "04/04/2014"),
                             _head("500.600", "06/06/2016")],
          [_ep("100211", "01/05/2023"), _ep("7000", "01/05/2023"),
           _ep("500.600", "01/05/2023")])  # fmt: skip
    _year(tmp_path, "2026", [_head("100.211"), _head("300.400", "03/03/2014"),
                             _head("7000", "04/04/2014"), _head("7.000", "05/05/2015"),
                             _head("500.600", "06/06/2016")],
          [_ep("100.211", "01/05/2023"), _ep("300.400", "01/10/2025"),
           _ep("7000", "01/05/2023"), _ep("7.000", "01/11/2025"),
           _ep("500.600", "01/05/2023")])  # fmt: skip
    for name in ("header.csv", "episodes.csv"):
        path = tmp_path / "2026" / name
        path.write_text(path.read_text().replace(",", ";"))
    h = read_history(tmp_path)
    kids = ["100211", "300400", "500.600", "7.000", "7000"]
    assert sorted(h.episodes["CHILD"].unique()) == kids
    assert sorted(h.header["CHILD"].unique()) == kids
    assert "child_id_changed" not in _codes(h)
    said = [p for p in h.quality.problems if p.code == "child_id_form"]
    assert sorted((p.value, p.action) for p in said) == [
        ("100.211", "read as 100211"), ("100.211", "read as 100211"),
        ("300.400", "read as 300400"), ("300.400", "read as 300400"),
    ]  # fmt: skip
    assert all("thousands separators (full stops)" in p.message for p in said)
    assert h.quality.num_looked_after == 5


@pytest.mark.parametrize("sep", [";", "\t"])
def test_child_with_full_stops_in_a_european_text_file_is_the_same_child(tmp_path, sep):
    """A European Excel's "Text (Tab delimited)" writes a CHILD formatted with thousands
    separators as 100.211 as its CSV with semicolons does: in a tab file (.txt or .tsv,
    which was skipped) it was a child under another ID, with no date of birth, and
    validate refused its episode as 'no row in that year's header' (as it did 100211.0
    and 100,211 in a CSV, which the forecast reads as the same child). Now each is the
    same child in both, said row by row, and never read so silently."""
    _year(tmp_path, "2026", [_head("100211"), _head("7000", "04/04/2014")],
          [_ep("100.211", "01/05/2023"), _ep("7000", "01/05/2023")])  # fmt: skip
    for name in ("header", "episodes"):
        path = tmp_path / "2026" / f"{name}.csv"
        path.with_suffix(".tsv").write_text(path.read_text().replace(",", sep))
        path.unlink()
    h = read_history(tmp_path)
    assert sorted(h.episodes["CHILD"].unique()) == ["100211", "7000"]
    said = [p for p in h.quality.problems if p.code == "child_id_form"]
    assert [(p.row, p.value, p.action) for p in said] == [(2, "100.211", "read as 100211")]
    _, problems = load_ssda903([tmp_path])
    assert not [p for p in problems if p.severity == "error"], problems
    assert [(p.row, p.value) for p in problems if p.code == "child_id_form"] == [(2, "100.211")]


@pytest.mark.parametrize("child", ["100211.0", '"100,211"', "0100211"])
def test_validate_reads_a_childs_other_form_as_the_forecast_does(tmp_path, child):
    """An episode whose CHILD the header writes another way (100211.0, 100,211) was an
    error in validate ('no row in that year's header') while the forecast read it as the
    same child with a warning: now validate says the warning only."""
    _year(tmp_path, "2026", [_head("100211")], [_ep(child, "01/05/2023")])
    _, problems = load_ssda903([tmp_path])
    assert not [p for p in problems if p.severity == "error"], problems
    assert [p.row for p in problems if p.code == "child_id_form"] == [2]
    _year(tmp_path / "other", "2026", [_head("100212")], [_ep(child, "01/05/2023")])
    _, problems = load_ssda903([tmp_path / "other"])
    assert [p.code for p in problems if p.severity == "error"] == ["child_not_in_header"]


def test_null_written_by_a_database_export_is_a_blank_cell(tmp_path):
    """An export writing empty cells as NULL (an open episode's DEC, a header's MC_DOB) is
    read as blank, noted once per file: the open episode counts, nothing is set aside."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text(HEADER + "A,1,01/01/2012,WBRI,NULL,NULL,NULL\n")
    (d / "episodes.csv").write_text(
        EPISODES + "A,01/05/2024,S,C2,N1,U4,PR1,NULL,null,(null),WR9 8DS,WR1 1AA,NaT\n"
    )
    h = read_history(tmp_path)
    assert h.episodes["DEC"].isna().tolist() == [True]
    assert h.episodes["REC"].isna().tolist() == [True]
    assert h.quality.num_looked_after == 1
    notes = [p for p in h.quality.problems if p.code == "null_blanks"]
    assert sorted(Path(p.file).name for p in notes) == ["episodes.csv", "header.csv"]
    assert any("DEC" in p.message for p in notes)
    assert _codes(h).count("dec_invalid") == 0
    assert any("NULL" in line for line in h.quality.summary_lines())
    _, problems = load_ssda903([tmp_path])
    assert not [p for p in problems if p.severity == "error"]


def test_blank_provider_of_a_foster_or_residential_placement_is_reported(tmp_path):
    """Whether a U4-U6 foster or K2 home placement is in-house or external (IFA, private)
    comes from PLACE_PROVIDER: left blank, it is counted in-house and the user is told,
    once per such episode; placements it does not decide (kinship, with parents) are not
    flagged."""
    _year(tmp_path, "2026", [_head("A"), _head("B"), _head("C"), _head("D")], [
        _ep("A", "01/05/2024", provider=""),
        _ep("B", "01/05/2024", place="K2", provider=""),
        _ep("C", "01/05/2024", place="U1", provider=""),
        _ep("D", "01/05/2024", place="U6", provider="PR4"),
    ])  # fmt: skip
    h = read_history(tmp_path)
    flagged = [p for p in h.quality.problems if p.code == "blank_provider"]
    assert [(p.row, p.column) for p in flagged] == [(2, "PLACE_PROVIDER"), (3, "PLACE_PROVIDER")]
    assert all("in-house" in p.action for p in flagged)
    assert any("no provider" in line for line in h.quality.summary_lines())
    _, problems = load_ssda903([tmp_path])
    assert sum(p.code == "blank_provider" and p.severity == "warning" for p in problems) == 2


def test_earlier_years_return_saved_under_a_later_years_name_is_read_as_its_own_year(tmp_path):
    """The 2025-26 folder holding a copy of the 2024-25 return (53 episodes, none starting
    or ending after 31 March 2025) is that return: the history ends 31 March 2025, not a
    year later with nobody entering or leaving, and the user is told."""
    header = [_head("A"), _head("B"), _head("C", "01/06/2007")]
    episodes = [_ep("A", "01/05/2023"), _ep("B", "01/05/2023", "01/06/2024"),
                _ep("C", "01/05/2023")]  # fmt: skip
    left = [f"L{i}" for i in range(50)]  # a return's worth of children who left in 2024-25
    header += [_head(c) for c in left]
    episodes += [_ep(c, "01/05/2023", "01/03/2025") for c in left]
    _year(tmp_path, "2025", header, episodes)
    _year(tmp_path, "2026", header, episodes)
    h = read_history(tmp_path)
    assert h.years == (2025,) and h.end == pd.Timestamp("2025-03-31")
    assert _codes(h).count("stale_year") == 1
    assert h.quality.num_looked_after == 2  # A and C (18 in June 2025, not yet)
    assert any("earlier year's return" in line for line in h.quality.summary_lines())
    assert build_spells(h).data_end == pd.Timestamp("2025-03-31")


def test_us_month_first_dates_are_read_month_first_when_nothing_else_fits(tmp_path):
    """A table written MM/DD/YYYY (US settings): read day first, 05/01/2024 would be
    5 January and 04/25/2024 no date at all. No date in it has a first part over 12 and
    several have a second part over 12, so it is read month first, noted once; a table
    with a day over 12 first stays day first."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text(HEADER + "".join(_head(c) for c in "ABCD"))
    (d / "episodes.csv").write_text(EPISODES + "".join([
        _ep("A", "05/01/2024", "04/25/2025", place="U6"),
        _ep("A", "04/25/2025", rne="P"),
        _ep("B", "06/13/2024"),
        _ep("C", "03/02/2025", "12/30/2025"),
        _ep("D", "11/05/2025"),
    ]))  # fmt: skip
    h = read_history(tmp_path)
    ep = h.episodes.set_index(["CHILD", "DECOM"])["DEC"]
    starts = pd.to_datetime(["2024-05-01", "2025-04-25", "2024-06-13", "2025-03-02", "2025-11-05"])
    assert ep.index.get_level_values("DECOM").tolist() == starts.tolist()
    assert ep[("A", pd.Timestamp("2024-05-01"))] == pd.Timestamp("2025-04-25")
    assert _codes(h).count("month_first_dates") == 1
    assert not {"decom_invalid", "dec_invalid", "overlapping_episodes"} & set(_codes(h))
    assert h.quality.num_looked_after == 3  # A, B and D
    # day first where a date says so (13/06/2024): the rest stay day first
    (d / "episodes.csv").write_text(EPISODES + _ep("B", "13/06/2024") + _ep("A", "05/01/2024"))
    h = read_history(tmp_path)
    assert sorted(h.episodes["DECOM"]) == pd.to_datetime(["2024-01-05", "2024-06-13"]).tolist()
    assert "month_first_dates" not in _codes(h)


def test_return_with_no_episodes_though_children_were_in_care_is_no_return(tmp_path):
    """A 2025-26 episodes table with a header row and nothing else, though a child was in
    care when 2024-25 ended, is a failed export, not a year in which every child left: it
    is read as no return for 2025-26 (the history ends 31/03/2025), and the user is told.
    """
    _year(tmp_path, "2025", [_head("A"), _head("B")],
          [_ep("A", "01/05/2023"), _ep("B", "01/05/2023", "01/03/2025")])  # fmt: skip
    _year(tmp_path, "2026", [_head("A")], [])
    h = read_history(tmp_path)
    assert h.years == (2025,) and h.end == pd.Timestamp("2025-03-31")
    assert h.quality.num_looked_after == 1
    assert "closed_absent" not in _codes(h) and _codes(h).count("empty_return") == 1
    _, problems = load_ssda903([tmp_path])
    assert any(p.code == "empty_return" and p.severity == "warning" for p in problems)


def test_child_id_excel_saved_in_scientific_notation_is_set_aside_not_merged(tmp_path):
    """Excel shows a CHILD of 12 digits or more as 1.23457E+11 and saves the CSV so, the
    other digits lost: a council's 2024-25 return had every child under a few such IDs,
    read as a few children (their episodes trimmed as overlapping, their header rows
    dropped as repeats: 319 looked after on 31/03/2024 for 844), the forecast running on.
    A table whose every CHILD is so is set aside (the year then read as no return), a row
    so written among others is set aside, each named; the children are not merged."""
    a, b, c = "123456789012", "123456789013", "123456789014"
    sci = "1.23457E+11"
    _year(tmp_path, "2024", [_head(a), _head(b, "02/02/2012")],
          [_ep(a, "01/05/2023"), _ep(b, "01/06/2023")])  # fmt: skip
    _year(tmp_path, "2025", [_head(sci), _head(sci, "02/02/2012")],
          [_ep(sci, "01/05/2023"), _ep(sci, "01/06/2023")])  # fmt: skip
    _year(tmp_path, "2026", [_head(a), _head(b, "02/02/2012"), _head(c, "03/03/2013")],
          [_ep(a, "01/05/2023"), _ep(b, "01/06/2023"), _ep(sci, "01/07/2025")])  # fmt: skip
    h = read_history(tmp_path)
    assert h.years == (2024, 2026) and h.missing_years == (2025,)
    assert sorted(h.episodes["CHILD"].unique()) == [a, b]
    assert h.quality.num_looked_after == 2
    said = [(p.file.split("/")[-2:], p.row, p.action) for p in h.quality.problems
            if p.code == "excel_scientific"]  # fmt: skip
    assert sorted(said) == [(["2025", "episodes.csv"], None, "table set aside"),
                            (["2025", "header.csv"], None, "table set aside"),
                            (["2026", "episodes.csv"], 4, "row set aside")]  # fmt: skip
    assert _codes(h).count("empty_return") == 1
    assert "no rows that can be used" in next(
        p.message for p in h.quality.problems if p.code == "empty_return")  # fmt: skip
    _, problems = load_ssda903([tmp_path])
    rows = sorted((p.file.split("/")[-2], p.row) for p in problems
                  if p.code == "excel_scientific" and p.column == "CHILD")  # fmt: skip
    assert rows == [("2025", 2), ("2025", 2), ("2025", 3), ("2025", 3), ("2026", 4)]


def test_two_digit_years_are_read_in_this_century(tmp_path):
    """Dates written DD/MM/YY (a short-date export) are read as 20YY, noted once per table,
    instead of every episode and date of birth being set aside (a forecast from nobody).
    A table in DD/MM/YYYY is read as before, and a two-digit year only where the whole
    date is DD/MM/YY."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text(HEADER + _head("A", "14/02/12") + _head("B", "01/01/2012"))
    (d / "episodes.csv").write_text(EPISODES + "".join([
        _ep("A", "01/05/24", "25/04/25", place="U6"),
        _ep("A", "25/04/25", rne="P"),
        _ep("B", "13/06/2024"),
    ]))  # fmt: skip
    h = read_history(tmp_path)
    starts = pd.to_datetime(["2024-05-01", "2025-04-25", "2024-06-13"])
    assert sorted(h.episodes["DECOM"].tolist()) == sorted(starts.tolist())
    assert pd.Timestamp("2025-04-25") in h.episodes["DEC"].tolist()
    assert h.header.set_index("CHILD")["DOB"]["A"] == pd.Timestamp("2012-02-14")
    assert _codes(h).count("two_digit_years") == 2  # the header and the episodes
    assert not {"decom_invalid", "dec_invalid", "no_dob"} & set(_codes(h))
    assert h.quality.num_looked_after == 2
    assert any("dates not in DD/MM/YYYY" in line for line in h.quality.summary_lines())


def test_no_valid_date_of_birth_anywhere_is_refused_in_a_sentence(tmp_path):
    """Every date of birth unreadable: reading reports each child (no traceback), and the
    forecast refuses with a sentence instead of forecasting from nobody."""
    from sufficiency.forecast.errors import ForecastError
    from sufficiency.forecast.states import build_spells

    _year(tmp_path, "2026", [_head("A", "xx"), _head("B", "")],
          [_ep("A", "01/05/2024"), _ep("B", "13/06/2024")])  # fmt: skip
    h = read_history(tmp_path)
    assert "no_dob" in _codes(h) and h.quality.num_set_aside_open == 2
    with pytest.raises(ForecastError, match="no episode in the 903 history can be used"):
        build_spells(h)


def test_two_versions_of_a_return_in_one_folder_use_the_later_files_rows(tmp_path):
    """``episodes.csv`` and a re-download ``episodes_v2.csv`` whose rows are in another order
    and which ends two of the three episodes: every differing episode takes the later file's
    row (before, the row further down its own file won, so C's came from the first file),
    and the warning says two versions were found and whose rows were used."""
    d = _year(tmp_path, "2026", [_head("A"), _head("B"), _head("C")], [
        _ep("A", "01/05/2025"), _ep("B", "01/06/2025"), _ep("C", "01/07/2025"),
    ])  # fmt: skip
    (d / "episodes_v2.csv").write_text(EPISODES + "".join([
        _ep("C", "01/07/2025", "01/01/2026"),
        _ep("B", "01/06/2025"),
        _ep("A", "01/05/2025", "01/03/2026"),
    ]))  # fmt: skip
    h = read_history(tmp_path)
    ends = h.episodes.set_index("CHILD")["DEC"]
    assert ends["A"] == pd.Timestamp("2026-03-01") and ends["C"] == pd.Timestamp("2026-01-01")
    assert pd.isna(ends["B"])
    (note,) = [p for p in h.quality.problems if p.code == "duplicate_table"]
    assert "two versions of one return? 3 episodes in more than one, 2 of them different" in (
        note.message
    )
    assert f"the rows of {d / 'episodes_v2.csv'} (read last, by file name) are used" in (
        note.message
    )


def test_two_tables_of_one_year_with_nothing_in_common_are_read_together(tmp_path):
    """An export split in two files (no episode in both) is read together, and says so."""
    d = _year(tmp_path, "2026", [_head("A"), _head("B")], [_ep("A", "01/05/2025")])
    (d / "episodes_part2.csv").write_text(EPISODES + _ep("B", "01/06/2025"))
    h = read_history(tmp_path)
    assert sorted(h.episodes["CHILD"]) == ["A", "B"]
    (note,) = [p for p in h.quality.problems if p.code == "duplicate_table"]
    assert note.message.endswith("read together (no episode in common)")


def test_return_without_its_header_table_is_named_and_a_large_set_aside_is_cautioned(tmp_path):
    """The latest year's header file left out of the export: before, 30% of the sample's
    children were set aside with only a count, and the forecast fell from 610 to 267 with
    no caution. Now the return is named and the summary says the forecast runs low."""
    _year(tmp_path, "2025", [_head("A")], [_ep("A", "01/05/2024")])
    d = _year(tmp_path, "2026", [], [_ep("A", "01/05/2024"), _ep("B", "01/06/2025")])
    (d / "header.csv").unlink()
    h = read_history(tmp_path)
    (note,) = [p for p in h.quality.problems if p.code == "no_header"]
    assert note.file == str(d / "episodes.csv")
    assert note.message.startswith("the 2025-26 return has no header table")
    assert sorted(h.episodes["CHILD"].unique()) == ["A"]  # B has no date of birth anywhere
    start = h.quality.summary_lines()[-1]
    assert start.startswith("Children looked after on 31 March 2026 (DfE's count): 1; 1 more with")
    assert "That is 50% of the children in care" in start and "figures are too low" in start


def test_a_few_children_set_aside_are_counted_without_the_caution(tmp_path):
    """Under 5% of the children in care set aside: the count alone, no caution."""
    heads = [_head(f"C{i}") for i in range(30)]
    _year(tmp_path, "2026", heads, [_ep(f"C{i}", "01/05/2025") for i in range(31)])
    start = read_history(tmp_path).quality.summary_lines()[-1]
    assert "30; 1 more with an open episode set aside" in start
    assert "too low" not in start


def test_children_under_new_identifiers_in_the_next_return_are_the_same_children(tmp_path):
    """A new case-management system re-keys every child between two returns. Before, each
    child in care left on 31 March and a new one entered the next day (the sample's
    forecast fell from 869 to 665 with P10 477); now they are matched by date of birth and
    the start of the episode running across the year's end, and said so, child by child."""
    _year(tmp_path, "2025", [_head("1", "01/01/2012"), _head("2", "02/02/2014"),
                             _head("3", "03/03/2010")], [
        _ep("1", "01/05/2023"), _ep("2", "01/06/2024"), _ep("3", "01/07/2024", "01/01/2025"),
    ])  # fmt: skip
    _year(tmp_path, "2026", [_head("LA1", "01/01/2012"), _head("LA2", "02/02/2014"),
                             _head("LA9", "09/09/2015")], [
        _ep("LA1", "01/05/2023"), _ep("LA2", "01/06/2024", "01/10/2025"),
        _ep("LA9", "01/08/2025"),
    ])  # fmt: skip
    h = read_history(tmp_path)
    assert sorted(h.episodes["CHILD"].unique()) == ["1", "2", "3", "LA9"]
    assert h.episodes.set_index("CHILD").loc["2", "DEC"] == pd.Timestamp("2025-10-01")
    found = [p for p in h.quality.problems if p.code == "child_id_changed"]
    assert [(p.value, p.action, p.row) for p in found] == [
        ("LA1", "read as 1", 2),
        ("LA2", "read as 2", 3),
    ]
    assert "closed_absent" not in _codes(h)
    care = build_spells(h)
    assert (care.spells["kind"] == "entry").sum() == 4  # 1, 2, 3 and LA9: no re-entries


def test_twins_under_new_identifiers_are_not_guessed(tmp_path):
    """Two children with the same date of birth and episode start (twins entering care
    together): no telling which new identifier is which, so neither is matched."""
    _year(tmp_path, "2025", [_head("1"), _head("2")],
          [_ep("1", "01/05/2024"), _ep("2", "01/05/2024")])  # fmt: skip
    _year(tmp_path, "2026", [_head("A"), _head("B")],
          [_ep("A", "01/05/2024"), _ep("B", "01/05/2024")])  # fmt: skip
    h = read_history(tmp_path)
    assert "child_id_changed" not in _codes(h)
    assert sorted(h.episodes["CHILD"].unique()) == ["1", "2", "A", "B"]


def _daily_extract(root: Path, last: str) -> None:
    """A 2025-26 in-year extract with a child entering care every day up to ``last``."""
    days = pd.date_range("2025-04-01", last, freq="D")
    _year(root, "2025", [_head("A")], [_ep("A", "01/05/2024")])
    heads = [_head("A")] + [_head(f"C{i}") for i in range(len(days))]
    eps = [_ep("A", "01/05/2024")] + [_ep(f"C{i}", f"{d:%d/%m/%Y}") for i, d in enumerate(days)]
    _year(root, "2026", heads, eps)


def test_extract_taken_part_way_through_a_month_ends_with_the_month_before(tmp_path):
    """Data to 14 November at a start a day: November is half there. Before, the history
    ran to 30 November with half of November's entries read as the whole month's (the
    sample cut so started from 857 for 862, and forecast 827 for 839 three years on);
    now it ends on 31 October, with the later episodes left out and said so."""
    _daily_extract(tmp_path, "2025-11-14")
    h = read_history(tmp_path)
    assert h.data_end == pd.Timestamp("2025-10-31")
    assert h.episodes["DECOM"].max() == pd.Timestamp("2025-10-31")
    (note,) = [p for p in h.quality.problems if p.code == "part_month"]
    assert note.message.startswith("the 2025-26 return's latest date is 14 November 2025, 16 days "
                                   "before its month ends")  # fmt: skip
    assert "14 episode(s) starting and 0 ending after it are left out" in note.message


def test_extract_to_near_the_end_of_a_month_keeps_the_month(tmp_path):
    """Data to 28 November at a start a day: two quiet days are chance, November stands."""
    _daily_extract(tmp_path, "2025-11-28")
    h = read_history(tmp_path)
    assert h.data_end == pd.Timestamp("2025-11-30")
    assert "part_month" not in _codes(h)


def test_extract_whose_last_dates_are_ends_only_is_cut_without_a_traceback(tmp_path):
    """A start a day to 31 October and an end a day to 14 November: the month is cut back
    as when starts run on (the note's latest date was taken from the starts alone, NaT
    here, and formatting it failed)."""
    days = pd.date_range("2025-04-01", "2025-10-31", freq="D")
    ends = pd.date_range("2025-11-01", "2025-11-14", freq="D")
    _year(tmp_path, "2025", [_head("A")], [_ep("A", "01/05/2024")])
    heads = [_head("A")] + [_head(f"C{i}") for i in range(len(days))]
    eps = [_ep("A", "01/05/2024")] + [
        _ep(f"C{i}", f"{d:%d/%m/%Y}", f"{ends[i]:%d/%m/%Y}" if i < len(ends) else "")
        for i, d in enumerate(days)
    ]
    _year(tmp_path, "2026", heads, eps)
    h = read_history(tmp_path)
    assert h.data_end == pd.Timestamp("2025-10-31")
    (note,) = [p for p in h.quality.problems if p.code == "part_month"]
    assert note.message.startswith("the 2025-26 return's latest date is 14 November 2025")
    assert "0 episode(s) starting and 14 ending after it are left out" in note.message


def test_nan_and_none_written_by_python_tools_are_blank_cells(tmp_path):
    """A Python export writes an empty cell as nan (pandas) or None (the CSC data
    synthesiser's XML URN): read as written, every open episode's DEC 'nan' was not a date
    and the episode was set aside (0 children looked after)."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text(HEADER + "A,1,01/01/2012,WBRI,None,None,None\n")
    (d / "episodes.csv").write_text(
        EPISODES + "A,01/05/2024,S,C2,N1,U4,PR1,nan,nan,nan,WR9 8DS,WR1 1AA,None\n"
    )
    h = read_history(tmp_path)
    assert h.quality.num_looked_after == 1
    assert h.episodes["URN"].isna().tolist() == [True]
    notes = [p.message for p in h.quality.problems if p.code == "null_blanks"]
    assert any("as nan (in DEC" in m for m in notes)
    _, problems = load_ssda903([tmp_path])
    assert not [p for p in problems if p.severity == "error"]


def test_dates_with_the_months_name_are_read_and_noted_as_reading(tmp_path):
    """A 903 table whose dates name the month (2-Oct-2025, 1 April 2024, as a report
    export writes them) had those episodes set aside as 'not a date in the form
    DD/MM/YYYY'. They are read, noted once per table with how the file was read, not
    counted among the rows repaired or set aside."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text(HEADER + _head("A", "14-Feb-2012") + _head("B", "01/01/2012"))
    (d / "episodes.csv").write_text(EPISODES + _ep("A", "1 May 2024") + _ep("B", "13-Jun-24"))
    h = read_history(tmp_path)
    assert sorted(h.episodes["DECOM"].tolist()) == [pd.Timestamp("2024-05-01"),
                                                    pd.Timestamp("2024-06-13")]  # fmt: skip
    assert h.header.set_index("CHILD")["DOB"]["A"] == pd.Timestamp("2012-02-14")
    assert _codes(h).count("month_name_dates") == 2
    assert h.quality.num_looked_after == 2
    summary = "\n".join(h.quality.summary_lines())
    assert "dates not in DD/MM/YYYY in 2 tables" in summary and "month name" not in summary


def test_a_period_of_care_begun_at_18_or_over_is_named(tmp_path):
    """A date of birth typed a decade early (2002 for 2012) made a child who came into care
    in October 2025 23 years old: left out of every count and of the forecast (868 looked
    after on 31/03/2026 in the sample, not 869), and validate said 0 errors, 0 warnings.
    DfE's rule 352 says a period of care cannot begin at 18 or over: the forecast and
    validate name the row and ask for the date of birth to be checked."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text(HEADER + _head("A", "10/09/2002") + _head("B", "01/01/2012"))
    (d / "episodes.csv").write_text(EPISODES + _ep("A", "02/10/2025") + _ep("B", "13/06/2024"))
    h = read_history(tmp_path)
    assert _codes(h).count("adult_at_start") == 1 and h.quality.num_looked_after == 1
    [p] = [p for p in h.quality.problems if p.code == "adult_at_start"]
    assert (p.row, p.column, p.severity) == (2, "DOB", "warning")
    assert "check the dates of birth" in "\n".join(h.quality.summary_lines())
    _, problems = load_ssda903([tmp_path])
    assert [p.code for p in problems if p.code == "adult_at_start"] == ["adult_at_start"]


def test_an_episode_row_with_an_unquoted_comma_is_set_aside_not_the_history(tmp_path):
    """One episode row with a cell past the header's columns (an unquoted comma: 'see
    notes, 12/05.) stopped forecast, backtest, spend and commission (.row 3: row has 14
    cells but the header has 13 columns'), the nightly forecast and spend with them. The
    row is set aside and said, the other rows read; strict refuses as before."""
    _year(tmp_path, "2026", [_head("A"), _head("B")], [
        _ep("A", "01/05/2025"),
        _ep("B", "02/06/2025").rstrip("\n") + "see notes,12/05\n",
    ])  # fmt: skip
    history = read_history(tmp_path)
    assert sorted(history.episodes["CHILD"]) == ["A"]
    (found,) = [p for p in history.quality.problems if p.code == "extra_cells"]
    assert (found.row, found.action, found.severity) == (3, "row set aside", "error")
    assert found.file.endswith("episodes.csv")
    assert any("1 row with more cells than the header" in ln
               for ln in history.quality.summary_lines())  # fmt: skip
    with pytest.raises(InputDataError, match="row 3: row has 14 cells"):
        read_history(tmp_path, strict=True)


def test_excel_serial_dates_in_a_csv_are_read_in_the_1900_system_and_said_so(tmp_path):
    """A date column pasted from Excel into a CSV column formatted General holds serials
    (45413 for 1 May 2024): a workbook's were read, a CSV's set every episode aside as
    'not a date in the form DD/MM/YYYY'. They are read as a workbook's are, with a warning
    naming the column and saying how (Excel's 1900 date system); referrals alike."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text(HEADER + _head("A", "40953") + _head("B", "01/01/2012"))
    (d / "episodes.csv").write_text(EPISODES + _ep("A", "45413") + _ep("B", "13/06/2024"))
    h = read_history(tmp_path)
    assert sorted(h.episodes["DECOM"].tolist()) == [pd.Timestamp("2024-05-01"),
                                                    pd.Timestamp("2024-06-13")]  # fmt: skip
    assert h.header.set_index("CHILD")["DOB"]["A"] == pd.Timestamp("2012-02-14")
    notes = [p for p in h.quality.problems if p.code == "excel_serial_dates"]
    assert sorted(p.column for p in notes) == ["DECOM", "DOB"]
    assert all(p.severity == "warning" and "1900 date system" in p.message for p in notes)
    assert h.quality.num_looked_after == 2
    from sufficiency.io.inputs import load_referrals

    refs = tmp_path / "referrals.csv"
    refs.write_text("child_id,dob,sex,home_postcode\nC1,40953,F,\nC2,14/02/2012,M,\n")
    table, problems = load_referrals(refs, default_responsible_la="E10000034")
    assert table["dob"].tolist() == [pd.Timestamp("2012-02-14")] * 2
    (note,) = [p for p in problems if p.code == "excel_serial_dates"]
    assert note.column == "dob" and "1900 date system" in note.message


def test_every_child_in_care_whose_open_episode_was_set_aside_is_counted_as_left_out(tmp_path):
    """The summary's 'N more with an open episode set aside, so not in the forecast'
    counted only children with no date of birth: the sample's 2025-26 return with 30 open
    episodes' starts unreadable and 20 CHILD in scientific notation (and 10 children with
    no date of birth) started 60 children short and said 10, below the share at which it
    cautions. Every open episode set aside counts: once per child, not for a child still
    in care by another row, nor a short break, nor an episode already ended."""
    _year(tmp_path, "2026", [_head(c) for c in "ACEFGH"], [
        _ep("A", "31/02/2025"),  # no such day: set aside, in care
        _ep("A", "32/03/2025"),  # the same child twice: one
        "1.23457E+11,01/05/2025,S,C2,N1,U4,PR1,,,,WR9 8DS,WR1 1AA,\n",  # digits lost
        _ep("C", "01/05/2025"),  # counted
        _ep("D", "01/06/2025"),  # no date of birth: set aside
        _ep("E", "01/04/2025"), _ep("E", "31/09/2025"),  # in care by its other row
        _ep("F", "31/02/2025", ls="V3"),  # a short break
        _ep("G", "31/02/2025", "01/03/2026"),  # ended
    ])  # fmt: skip
    h = read_history(tmp_path)
    assert h.quality is not None
    assert h.quality.num_looked_after == 2  # C and E
    assert h.quality.num_set_aside_open == 3  # A, the lost CHILD, D
    start = h.quality.summary_lines()[-1]
    assert "2; 3 more with an open episode set aside, so not in the forecast. That is 60%" in start
