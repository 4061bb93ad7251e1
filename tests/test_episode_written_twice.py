"""An episode written twice in one return: named by ``validate`` as the forecast reads it
(one episode, counted once), not as two overlapping episodes."""

from __future__ import annotations

from one_return903 import ep, write_return

from sufficiency.io.reconcile import dfe_count
from sufficiency.io.repeated_episode import CODE
from sufficiency.io.ssda903 import load_ssda903, read_history


def test_a_repeated_row_is_one_episode_and_a_different_one_still_overlaps(tmp_path):
    """A's open episode and B's ended one each written twice (rows 4 and 5 repeat rows 2
    and 3): each repeat was an error, "child is in two overlapping episodes", and
    ``--strict`` refused the history. Now a warning naming the row repeated; C's two
    episodes that do overlap (another placement) are still an error."""
    root = write_return(tmp_path, [
        ep("A", "01/05/2025", "", ""),
        ep("B", "01/05/2025", "01/09/2025", "E4A"),
        ep("A", "01/05/2025", "", ""),
        ep("B", "01/05/2025", "01/09/2025", "E4A"),
        ep("C", "01/05/2025", "01/10/2025", "E4A"),
        ep("C", "01/06/2025", "", "", place="K2"),
    ])  # fmt: skip
    history, problems = load_ssda903([root])
    assert history is not None
    repeated = {(p.row, p.severity) for p in problems if p.code == CODE}
    assert repeated == {(4, "warning"), (5, "warning")}
    said = {p.row: p.message for p in problems if p.code == CODE}
    assert "as row 2)" in said[4] and "as row 3)" in said[5]
    errors = {(p.code, p.row) for p in problems if p.severity == "error"}
    assert errors == {("overlapping_episodes", 7)}  # C's second episode only
    strict = read_history(write_return(tmp_path / "strict", [
        ep("A", "01/05/2025", "", ""), ep("A", "01/05/2025", "", ""),
    ]), strict=True)  # fmt: skip
    assert dfe_count(strict.episodes, strict.header, strict.end) == 1
