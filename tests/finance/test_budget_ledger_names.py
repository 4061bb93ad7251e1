"""Cost lines named as a finance ledger names them."""

from __future__ import annotations

import pytest

from sufficiency.finance.inputs import budget_for_run
from sufficiency.forecast import CATEGORIES


def test_a_budget_with_the_ledger_s_line_names_is_read(tmp_path):
    """IFA, Independent Fostering (another year), Residential - external and In house
    fostering were each "must be one of: all, external_residential, ..." and set aside:
    the spend was compared with the whole-placements line alone."""
    path = tmp_path / "budget.csv"
    path.write_text(
        "financial_year,cost_line,budget_gbp\n2026-27,All placements,74000000\n"
        "2026-27,IFA,11000000\n2026-27,Residential - external,38500000\n"
        "2026-27,In house fostering,8200000\n2027-28,Independent Fostering,12000000\n"
        "2027-28,Residential (In-house),3000000\n2027-28,Connected persons,900000\n"
    )
    table, notes = budget_for_run(path, CATEGORIES)
    assert list(zip(table["financial_year"], table["cost_line"], strict=True)) == [
        ("2026-27", "all"), ("2026-27", "ifa_foster"), ("2026-27", "external_residential"),
        ("2026-27", "in_house_foster"), ("2027-28", "ifa_foster"),
        ("2027-28", "in_house_residential"), ("2027-28", "kinship_foster"),
    ]  # fmt: skip
    assert not any("set aside" in n for n in notes), notes


@pytest.mark.parametrize("name", ["Residential", "Fostering", "Agency"])
def test_a_name_of_two_lines_is_named_not_guessed(tmp_path, name):
    path = tmp_path / "budget.csv"
    path.write_text(f"financial_year,cost_line,budget_gbp\n2026-27,all,74000000\n"
                    f"2026-27,{name},1000\n")  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["cost_line"].tolist() == ["all"]
    assert any("row 3: cost_line: must be one of: all, " in n and repr(name) in n
               for n in notes), notes  # fmt: skip
