"""Legal status: parsed into legal groups, and the rates and simulation depend on it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from forecast_builders import FAST, episode, history, without_entries

from sufficiency.forecast.estimate import _exposure_and_events, fit_model
from sufficiency.forecast.projection import initial_stock
from sufficiency.forecast.simulate import InitialStock, simulate
from sufficiency.forecast.states import (
    AGE_BANDS,
    CAT,
    LEGAL_GROUPS,
    CareSpells,
    build_spells,
    flows,
    legal_group_of,
    month_ends,
)

pytestmark = pytest.mark.filterwarnings("ignore::sufficiency.forecast.errors.ForecastWarning")

LG = {name: i for i, name in enumerate(LEGAL_GROUPS)}
END = pd.Timestamp("2026-03-31")


@pytest.mark.parametrize(
    ("ls", "group"),
    [
        ("C1", "interim_order"),
        ("L2", "interim_order"),
        ("C2", "care_order"),
        ("E1", "placement_order"),
        ("D1", "placement_order"),
        ("V2", "accommodated"),
        ("J1", "accommodated"),
    ],
)
def test_legal_status_codes_map_to_legal_groups(ls: str, group: str):
    """Each 903 legal status lands in the group that decides its routes out of care."""
    assert LEGAL_GROUPS[legal_group_of(pd.Series([ls]))[0]] == group


def test_spells_carry_each_episodes_legal_group():
    """An interim order becoming a care order (RNE L) changes the spell's legal group only."""
    eps = [
        episode("A", "2024-05-01", "2024-11-01", ls="C1", rec="X1"),
        episode("A", "2024-11-01", None, ls="C2", rne="L"),
    ]
    care = build_spells(history(eps, {"A": "2016-01-01"}))
    assert [LEGAL_GROUPS[g] for g in care.spells["legal"]] == ["interim_order", "care_order"]
    assert list(care.spells["kind"]) == ["entry", "none"]


def _mixed_authority() -> CareSpells:
    """Forty 8-year-olds in in-house foster care: twenty accommodated under section 20
    who go home after about six months, and twenty on care orders who stay throughout.
    Same category, age and time in care: only the legal status tells them apart."""
    eps, dobs = [], {}
    for i in range(20):
        start = pd.Timestamp("2023-06-01") + pd.DateOffset(days=45 * i)
        end = start + pd.DateOffset(days=180)
        eps.append(episode(f"V{i}", start.date().isoformat(), end.date().isoformat(), ls="V2"))
        eps.append(episode(f"C{i}", "2023-06-01", None, ls="C2"))
        dobs[f"V{i}"] = dobs[f"C{i}"] = "2016-01-15"
    # accommodated children still in care at the start, who should be expected to leave
    for i in range(10):
        eps.append(episode(f"W{i}", "2026-01-10", None, ls="V2"))
        dobs[f"W{i}"] = "2016-01-15"
    return build_spells(history(eps, dobs))


def test_exit_rate_depends_on_legal_status():
    """Accommodated children in the same cell as care-order children get a higher exit rate."""
    care = _mixed_authority()
    model = fit_model(care, END, FAST)
    foster, band = CAT["in_house_foster"], AGE_BANDS.index("5-9")
    w = model.exposure_months[foster, :, band]
    rate = (model.exit_mean[foster, :, band] * w).sum(-1) / np.maximum(w.sum(-1), 1e-9)
    assert rate[LG["accommodated"]] > 10 * rate[LG["care_order"]]
    assert 12 * rate[LG["accommodated"]] == pytest.approx(2.0, rel=0.35)


def test_forecast_follows_each_childs_legal_status():
    """From the same cell, accommodated children leave within the year; care orders stay."""
    care = _mixed_authority()
    model = fit_model(care, END, FAST)
    no_entries = without_entries(model)
    init = initial_stock(care, END)
    months = month_ends(END, 12)
    left = {}
    for group in ("accommodated", "care_order"):
        sel = init.legal == LG[group]
        sub = InitialStock(
            init.category[sel], init.age_months[sel], init.tic_months[sel], init.prevalent[sel],
            init.legal[sel],
        )  # fmt: skip
        stock = simulate(no_entries, sub, months, FAST)[0]
        left[group] = stock[:, -1].sum(axis=(1, 2)).mean() / sel.sum()
    assert left["care_order"] > 0.9
    assert left["accommodated"] < left["care_order"] - 0.25


def test_legal_status_change_alone_is_not_a_placement_start():
    """Interim orders becoming care orders are legal changes: no placement starts counted."""
    eps, dobs = [], {}
    for i in range(30):
        start = pd.Timestamp("2023-05-01") + pd.DateOffset(days=20 * i)
        order = start + pd.DateOffset(days=200)
        eps.append(
            episode(f"A{i}", start.date().isoformat(), order.date().isoformat(), ls="C1", rec="X1")
        )
        eps.append(episode(f"A{i}", order.date().isoformat(), None, ls="C2", rne="L"))
        dobs[f"A{i}"] = "2015-03-01"
    care = build_spells(history(eps, dobs))
    model = fit_model(care, END, FAST)
    foster = CAT["in_house_foster"]
    w = model.exposure_months[foster]
    rate = (model.legal_mean[foster] * w).sum((1, 2)) / np.maximum(w.sum((1, 2)), 1e-9)
    assert 12 * rate[LG["interim_order"]] == pytest.approx(365.25 / 200, rel=0.3)
    assert rate[LG["care_order"]] < rate[LG["interim_order"]] / 10
    changes = flows(care, pd.DatetimeIndex(["2023-04-01", str(END.date())]))
    assert changes.query("flow in ['change', 'move_in']")["count"].sum() == 0
    # interim orders go to care orders, not elsewhere
    dest = model.legal_dest_alpha[LG["interim_order"], AGE_BANDS.index("5-9")]
    assert dest.argmax() == LG["care_order"]
    assert dest[LG["interim_order"]] == 0


def test_fitted_exits_reproduce_each_legal_groups_observed_exits():
    """Raking: the window's exposure times the fitted rates gives each legal group's exits.

    Shrinkage lifts the care-order children's zero exits; without raking by legal group,
    the lift would come out of the accommodated children's exits."""
    care = _mixed_authority()
    model = fit_model(care, END, FAST)
    counts = _exposure_and_events(care, model.reference_start, END, model.tic_edges_months)
    predicted = (model.exit_mean * counts.exposure).sum((0, 2, 3))
    observed = counts.exits.sum((0, 2, 3))
    accommodated = LG["accommodated"]
    assert observed[accommodated] >= 15
    assert predicted[accommodated] == pytest.approx(observed[accommodated], rel=0.05)
    assert predicted[LG["care_order"]] < 1
