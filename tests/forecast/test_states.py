"""Episodes -> categories, spells, stock and flows."""

from __future__ import annotations

import pandas as pd
import pytest
from forecast_builders import episode, history

from sufficiency.forecast.states import (
    AGE_BANDS,
    CAT,
    CATEGORIES,
    age_band_of_years,
    build_spells,
    classify_placements,
    flows,
    month_ends,
    stock_at,
)

CASES = [
    ("U1", "PR1", "kinship_foster"),
    ("U3", "PR4", "kinship_foster"),
    ("U4", "PR1", "in_house_foster"),
    ("U6", "PR2", "in_house_foster"),
    ("U5", "PR4", "ifa_foster"),
    ("U6", "PR5", "ifa_foster"),
    ("K2", "PR1", "in_house_residential"),
    ("R1", "PR3", "in_house_residential"),
    ("K2", "PR4", "external_residential"),
    ("S1", "PR5", "external_residential"),
    ("K1", "PR1", "secure"),
    ("H5", "PR4", "supported"),
    ("K3", "PR5", "supported"),
    ("P2", "PR4", "supported"),
    ("P1", "PR0", "with_parents"),
    ("A3", "PR1", "placed_for_adoption"),
    ("A6", "PR5", "placed_for_adoption"),
    ("Z1", None, "other"),
    ("R5", None, "other"),
]


@pytest.mark.parametrize(("place", "provider", "expected"), CASES)
def test_classify_placements_maps_903_codes(place: str, provider: str | None, expected: str):
    """Each placement type and provider lands in the issue's category."""
    got = classify_placements(pd.Series([place]), pd.Series([provider], dtype="string"))
    assert CATEGORIES[got[0]] == expected


def test_classify_placements_marks_temporary_codes():
    """T0-T4 are not a category of their own (-1: resolved to the usual placement)."""
    got = classify_placements(pd.Series(["T0", "T1", "T4"]), pd.Series([None] * 3, dtype="string"))
    assert list(got) == [-1, -1, -1]


def _temp_history(back_to: str):
    eps = [
        episode("A", "2024-01-10", "2025-06-01", "K2", "PR4", pl_post="WR1 1AA"),
        episode("A", "2025-06-01", "2025-06-05", "T1", None, rne="T"),
        episode("A", "2025-06-05", None, "K2", "PR4", rne="P", pl_post=back_to),
    ]
    return history(eps, {"A": "2012-02-02"})


def test_temporary_placement_counts_in_usual_placement():
    """A child on a T1 hospital stay still counts in external residential."""
    care = build_spells(_temp_history("WR1 1AA"))
    stock = stock_at(care, [pd.Timestamp("2025-06-03")])[0]
    assert stock[CAT["external_residential"]].sum() == 1
    assert stock.sum() == 1


def test_return_from_temporary_placement_is_not_a_new_placement():
    """Going back to the same home after T1 is neither a move nor a placement change."""
    care = build_spells(_temp_history("WR1 1AA"))
    assert list(care.spells["kind"]) == ["entry", "none", "none"]


def test_return_to_a_different_home_is_a_placement_change():
    """After T1 the child goes to another external home: one within-category change."""
    care = build_spells(_temp_history("B1 1BB"))
    assert list(care.spells["kind"]) == ["entry", "none", "change"]


def test_short_breaks_are_excluded():
    """V3/V4 short-break episodes are not counted, as DfE excludes them."""
    eps = [
        episode("A", "2025-01-01", "2025-01-03", "U6", "PR1", ls="V3"),
        episode("B", "2025-01-01", None, "U6", "PR1", ls="V4"),
        episode("C", "2025-01-01", None, "U6", "PR1"),
    ]
    care = build_spells(history(eps, dict.fromkeys("ABC", "2015-05-05")))
    assert stock_at(care, [pd.Timestamp("2025-01-02")])[0].sum() == 1


def test_flows_count_entries_moves_changes_and_exits():
    """Entry, a move between categories, a change within one, and an exit, each once."""
    eps = [
        episode("A", "2024-05-01", "2024-08-01", "U6", "PR1", pl_post="WR1 1AA"),
        episode("A", "2024-08-01", "2024-11-01", "U6", "PR1", rne="P", pl_post="WR2 2BB"),
        episode("A", "2024-11-01", "2025-02-01", "K2", "PR4", rne="P"),
    ]
    care = build_spells(history(eps, {"A": "2012-01-01"}))
    f = flows(care, pd.DatetimeIndex(["2024-03-31", "2025-03-31"]))
    got = f[f["count"] > 0].set_index(["flow", "category"])["count"].to_dict()
    assert got == {
        ("entry", "in_house_foster"): 1,
        ("change", "in_house_foster"): 1,
        ("move_in", "external_residential"): 1,
        ("move_out", "in_house_foster"): 1,
        ("exit", "external_residential"): 1,
    }


def test_leaving_on_18th_birthday_is_an_age_out():
    """An episode ending on the 18th birthday is ageing out, not an ordinary exit."""
    eps = [episode("A", "2024-05-01", "2025-07-14", "K3", "PR4")]
    care = build_spells(history(eps, {"A": "2007-07-14"}))
    assert care.spells["end_kind"].tolist() == ["age_out"]


def test_stock_excludes_children_aged_18_or_over():
    """A child whose open episode runs past 18 is not counted after the birthday."""
    eps = [episode("A", "2024-05-01", None, "K3", "PR4")]
    care = build_spells(history(eps, {"A": "2007-07-14"}))
    got = stock_at(care, pd.DatetimeIndex(["2025-07-13", "2025-07-14"])).sum(axis=(1, 2))
    assert list(got) == [1, 0]


@pytest.mark.parametrize(
    ("years", "band"),
    [(0, "under 1"), (1, "1-4"), (4, "1-4"), (5, "5-9"), (10, "10-15"), (17, "16-17")],
)
def test_age_bands_follow_dfe_edges(years: int, band: str):
    """Completed years map to the DfE age bands."""
    assert AGE_BANDS[int(age_band_of_years(pd.Series([years]).to_numpy())[0])] == band


def test_children_age_into_the_next_band():
    """The same child is 4 (1-4) before their 5th birthday and 5-9 on it."""
    care = build_spells(history([episode("A", "2024-01-01")], {"A": "2020-06-30"}))
    stock = stock_at(care, pd.DatetimeIndex(["2025-06-29", "2025-06-30"]))
    assert stock[0, :, AGE_BANDS.index("1-4")].sum() == 1
    assert stock[1, :, AGE_BANDS.index("5-9")].sum() == 1


def test_month_ends_starts_with_the_start_date():
    """The month axis is the start date then each following month end."""
    got = month_ends(pd.Timestamp("2026-03-31"), 2)
    assert [d.date().isoformat() for d in got] == ["2026-03-31", "2026-04-30", "2026-05-31"]


def test_same_carer_new_episode_is_not_a_placement_change():
    """RNE T (same carer, e.g. short-term fostering becoming long-term) finds no placement."""
    eps = [
        episode("A", "2024-05-01", "2024-08-01", "U6", "PR1", pl_post="WR1 1AA"),
        episode("A", "2024-08-01", None, "U4", "PR1", rne="T", pl_post="WR9 9ZZ"),
    ]
    care = build_spells(history(eps, {"A": "2012-01-01"}))
    assert list(care.spells["kind"]) == ["entry", "none"]


def test_h5_recoded_as_k3_in_the_same_setting_is_not_a_placement_change():
    """The same supported setting recoded H5 to K3 (and gaining a URN) is no new placement,
    even when recorded as RNE P; another setting is."""
    eps = [
        episode("A", "2024-05-01", "2025-04-01", "H5", "PR4", pl_post="WR1 1AA"),
        episode("A", "2025-04-01", "2025-06-01", "K3", "PR4", rne="P", pl_post="WR1 1AA",
                urn="SC123456"),
        episode("A", "2025-06-01", None, "K3", "PR4", rne="P", pl_post="WR2 2BB",
                urn="SC654321"),
    ]  # fmt: skip
    care = build_spells(history(eps, {"A": "2008-01-01"}))
    assert list(care.spells["kind"]) == ["entry", "none", "change"]
    assert set(care.spells["category"]) == {CAT["supported"]}


def test_period_open_when_returns_begin_is_prevalent():
    """A period whose first episode held is not a start (RNE S) began before the returns."""
    eps = [
        episode("A", "2022-01-01", "2024-06-01", "U4", "PR1", rne="P"),
        episode("A", "2024-06-01", None, "U4", "PR1", rne="P", pl_post="WR1 1AA"),
        episode("B", "2024-02-01", None, "U4", "PR1"),
    ]
    care = build_spells(history(eps, {"A": "2012-01-01", "B": "2013-01-01"}))
    assert care.spells.set_index("child")["prevalent"].groupby(level=0).all().to_dict() == {
        "A": True,
        "B": False,
    }


def test_the_forecast_has_children_leave_care_in_the_month_they_turn_18():
    """The simulation makes each child a month older at every month end and takes them
    out at 216 months. From a start at the end of a 30-day month (an in-year extract to
    30 September), a child born on 31 October was counted a month younger, so left care
    in the November after their 18th birthday; from 28 February, so were those born on
    the 29th to 31st (67 of the sample's 871 children, 17 of them 18 within two years).
    A child born on 29 February, 18 on 1 March in a year without a 29th (English law),
    left at the end of February, still 17."""
    from sufficiency.forecast.projection import initial_stock

    dobs = {"A": "2008-10-31", "B": "2008-02-29", "C": "2008-10-15", "D": "2010-05-31"}
    eps = [episode(c, "2024-05-01") for c in dobs]
    care = build_spells(history(eps, dobs))

    def months_to_leave(start: str) -> list[int]:
        init = initial_stock(care, pd.Timestamp(start))
        return [216 - int(a) for a in init.age_months]  # the month after start they go

    # 18th birthdays: A 31/10/2026, B 01/03/2026, C 15/10/2026, D 31/05/2028
    assert months_to_leave("2025-09-30") == [13, 6, 13, 32]
    assert months_to_leave("2025-02-28") == [20, 13, 20, 39]
    assert months_to_leave("2026-01-31") == [9, 2, 9, 28]
    assert months_to_leave("2026-02-28") == [8, 1, 8, 27]


def test_a_child_born_on_29_february_is_17_on_28_february_in_every_count():
    """The 903 history's 'DfE's count' took the 18th birthday as DOB + 18 years, which
    pandas makes 28 February for a child born on 29 February: on 28 February 2026 (an
    in-year extract's end) it left out a child the forecast's own count held, 17 until 1
    March by English law, and the two starting figures disagreed."""
    from sufficiency.io.dates import eighteenth_birthdays
    from sufficiency.io.reconcile import dfe_count

    eps = [episode("A", "2024-05-01", None, "K3", "PR4")]
    h = history(eps, {"A": "2008-02-29"})
    care = build_spells(h)
    days = pd.DatetimeIndex(["2026-02-28", "2026-03-01"])
    assert stock_at(care, days).sum(axis=(1, 2)).tolist() == [1, 0]
    assert [dfe_count(h.episodes, h.header, d) for d in days] == [1, 0]
    got = eighteenth_birthdays(pd.DatetimeIndex(["2008-02-29", "2006-02-28", "2012-02-29"]))
    assert list(got.date.astype(str)) == ["2026-03-01", "2024-02-28", "2030-03-01"]


def test_a_child_who_left_and_came_back_the_same_day_left_and_came_back():
    """REC E4A (returned home) and the next episode a new start (RNE S) on the same day:
    a leaving and a new period of care, as DfE counts them (a cease and a start). Read as
    one run of episodes meeting, the sample's 2025-26 return with 10 such children
    counted 325 starts and 181 exits, not 335 and 191, and 10 moves no child made."""
    eps = [
        episode("A", "2024-01-10", "2025-06-01", "K2", "PR4", rec="E4A"),
        episode("A", "2025-06-01", None, "U4", "PR1", rne="S"),
        episode("B", "2024-01-10", "2025-06-01", "K2", "PR4", rec="X1"),
        episode("B", "2025-06-01", None, "U4", "PR1", rne="P"),
    ]
    care = build_spells(history(eps, {"A": "2012-05-01", "B": "2012-05-01"}))
    sp = care.spells.set_index(["child", "start"])
    assert sp.loc[("A", pd.Timestamp("2025-06-01")), "kind"] == "entry"
    assert sp.loc[("A", pd.Timestamp("2024-01-10")), "end_kind"] == "exit"
    assert sp.loc[("A", pd.Timestamp("2025-06-01")), "period_start"] == pd.Timestamp("2025-06-01")
    assert sp.loc[("B", pd.Timestamp("2025-06-01")), "kind"] == "move"
    assert sp.loc[("B", pd.Timestamp("2024-01-10")), "end_kind"] == "continue"
