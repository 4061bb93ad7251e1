"""Blank cells a rule reads the permissive way are said (sufficiency.io.blank_read): a
home's blank ``sex`` (read as any) and a referral's blank ``alongside`` (read as
no_preference). Before, the child was matched with nothing said."""

from __future__ import annotations

import datetime as dt

from test_plain_none import _copy

from sufficiency.io.inputs import read_placements_for_night, read_referrals_for_night

RUN = dt.date(2026, 4, 1)


def _said(problems):
    return [p for p in problems if p.code == "blank_read"]


def test_a_homes_blank_sex_is_read_as_any_and_said(tmp_path):
    night = read_placements_for_night(_copy(tmp_path, "placements.csv", "sex", ["", " ", "F"]))
    assert night.set_aside.empty
    assert list(night.table["sex"][:3]) == ["any", "any", "F"]  # the reading stays
    (said,) = _said(night.problems)
    assert said.severity == "warning" and said.column == "sex"
    assert "rows 2, 3)" in said.message and "read as any" in said.message


def test_a_referrals_blank_alongside_is_read_as_no_preference_and_said(tmp_path):
    path = _copy(tmp_path, "referrals.csv", "alongside", [""])
    night = read_referrals_for_night(path, default_responsible_la="E10000034", run_date=RUN)
    assert night.table.set_index("child_id").loc["R001", "alongside"] == "no_preference"
    (said,) = _said(night.problems)
    assert "row 2)" in said.message and "rule 10" in said.message


def test_the_sample_says_nothing(tmp_path):
    night = read_placements_for_night(_copy(tmp_path, "placements.csv", "sex", []))
    assert not _said(night.problems)
