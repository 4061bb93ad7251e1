"""result_dataclass: the one declaration of a result class (frozen, compared by identity,
shown in brief, its tables read as copies), which six classes each wrote as two
decorators and three flags."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from sufficiency.results import BriefRepr, result_dataclass


@result_dataclass
class _Result(BriefRepr):
    table: pd.DataFrame
    notes: list[str] = dataclasses.field(default_factory=list)


def test_a_result_class_is_frozen_compared_by_identity_and_shown_in_brief() -> None:
    table = pd.DataFrame({"child_id": ["C1", "C2"], "weekly_cost": [600.0, 900.0]})
    one, two = _Result(table, ["a note"]), _Result(table, ["a note"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.table = table  # type: ignore[misc]
    assert one != two  # by identity: comparing the fields would compare copies of tables
    assert "C1" not in repr(one) and "table=" in repr(one)


def test_a_result_class_reads_its_tables_as_copies_and_keeps_its_lists_frozen() -> None:
    result = _Result(pd.DataFrame({"mean": [1.0]}), ["a note"])
    result.table.loc[0, "mean"] = -999
    assert result.table.loc[0, "mean"] == 1.0
    assert result.notes == ("a note",)
