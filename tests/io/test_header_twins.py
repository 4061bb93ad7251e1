"""A 903 header giving a child's row once for each of their episodes, every cell the
same (a report joining the header to the episodes): each child read once
(sufficiency.io.header_twins)."""

from __future__ import annotations

from one_return903 import ep, write_return

from sufficiency.io.ssda903 import load_ssda903, read_history


def test_a_childs_row_repeated_cell_for_cell_is_read_once(tmp_path):
    """The sample so written read its figures right, but validate refused it: 2,855
    'duplicate CHILD' errors. Now a row repeating another cell for cell is a warning,
    said once a table; a child on two rows that differ is still an error."""
    root = write_return(tmp_path, [ep("101", "01/04/2025", "14/07/2025", "X1"),
                                   ep("101", "14/07/2025", "", ""),
                                   ep("102", "01/05/2025", "", "")])  # fmt: skip
    path = root / "2026" / "header.csv"
    head, *rows = path.read_text().splitlines()
    path.write_text("\n".join([head, rows[0], rows[0], rows[0], rows[1]]) + "\n")
    h = read_history(root)
    assert len(h.header) == 2 and h.quality is not None and h.quality.num_looked_after == 2
    _, problems = load_ssda903([root])
    assert not [p for p in problems if p.severity == "error"]
    said = [p for p in problems if p.code == "repeated_child_row"]
    assert len(said) == 1 and said[0].row == 3 and "2 rows" in said[0].message

    path.write_text("\n".join([head, rows[0], rows[0].replace("01/01/2012", "02/01/2012"),
                               rows[1]]) + "\n")  # fmt: skip
    _, problems = load_ssda903([root])
    assert [p for p in problems if p.severity == "error" and "duplicate CHILD" in p.message]
