"""An episode written twice in one return: named by ``validate`` as the forecast reads it
(one episode, counted once), not as two overlapping episodes."""

from __future__ import annotations

from pathlib import Path

from sufficiency.io.reconcile import dfe_count
from sufficiency.io.repeated_episode import CODE
from sufficiency.io.ssda903 import load_ssda903, read_history

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\n"
)


def _ep(child: str, decom: str, dec: str, rec: str, place: str = "U4") -> str:
    return f"{child},{decom},S,C2,N1,{place},PR1,{dec},{rec},,WR9 8DS,WR1 1AA,\n"


def _return(root: Path, episodes: list[str]) -> Path:
    d = root / "2026"
    d.mkdir(parents=True)
    children = sorted({e.split(",")[0] for e in episodes})
    (d / "header.csv").write_text(HEADER + "".join(f"{c},1,01/01/2012,WBRI,,,\n" for c in children))
    (d / "episodes.csv").write_text(EPISODES + "".join(episodes))
    return root


def test_a_repeated_row_is_one_episode_and_a_different_one_still_overlaps(tmp_path):
    """A's open episode and B's ended one each written twice (rows 4 and 5 repeat rows 2
    and 3): each repeat was an error, "child is in two overlapping episodes", and
    ``--strict`` refused the history. Now a warning naming the row repeated; C's two
    episodes that do overlap (another placement) are still an error."""
    root = _return(tmp_path, [
        _ep("A", "01/05/2025", "", ""),
        _ep("B", "01/05/2025", "01/09/2025", "E4A"),
        _ep("A", "01/05/2025", "", ""),
        _ep("B", "01/05/2025", "01/09/2025", "E4A"),
        _ep("C", "01/05/2025", "01/10/2025", "E4A"),
        _ep("C", "01/06/2025", "", "", place="K2"),
    ])  # fmt: skip
    history, problems = load_ssda903([root])
    assert history is not None
    repeated = {(p.row, p.severity) for p in problems if p.code == CODE}
    assert repeated == {(4, "warning"), (5, "warning")}
    said = {p.row: p.message for p in problems if p.code == CODE}
    assert "as row 2)" in said[4] and "as row 3)" in said[5]
    errors = {(p.code, p.row) for p in problems if p.severity == "error"}
    assert errors == {("overlapping_episodes", 7)}  # C's second episode only
    strict = read_history(_return(tmp_path / "strict", [
        _ep("A", "01/05/2025", "", ""), _ep("A", "01/05/2025", "", ""),
    ]), strict=True)  # fmt: skip
    assert dfe_count(strict.episodes, strict.header, strict.end) == 1
