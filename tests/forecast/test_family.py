"""The calibration family: deterministic, well-formed 903 histories with what it promises."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from sufficiency.forecast.family import REGIMES, family_history, family_spec
from sufficiency.forecast.states import build_spells, stock_at
from sufficiency.io.ssda903 import SSDA903History


@pytest.fixture(scope="module")
def authority() -> SSDA903History:
    """A 400-child authority of the family (regime 'stepped'), code changes included."""
    return family_history(replace(family_spec(3), num_in_care=400, urn_split=True))


def test_same_seed_gives_the_same_history():
    """Two builds of one seed are identical; another seed differs."""
    a, b = (family_history(replace(family_spec(7), num_in_care=60)) for _ in range(2))
    pd.testing.assert_frame_equal(a.episodes, b.episodes)
    pd.testing.assert_frame_equal(a.header, b.header)
    c = family_history(replace(family_spec(8), num_in_care=60))
    assert not a.episodes.equals(c.episodes)


def test_regimes_cycle_with_the_seed():
    """Consecutive seeds cover the regimes evenly; sizes stay within 40 to 3,000."""
    specs = [family_spec(s) for s in range(2 * len(REGIMES))]
    assert [s.regime for s in specs] == [*REGIMES, *REGIMES]
    assert all(40 <= s.num_in_care <= 3000 for s in specs)


def test_episodes_chain_without_overlaps(authority: SSDA903History):
    """Every episode ends after it starts; a child's episodes never overlap; a new period
    of care (RNE S) follows a gap, any other episode starts the day the last one ended."""
    ep = authority.episodes
    assert (ep["DEC"].isna() | (ep["DEC"] > ep["DECOM"])).all()
    prev_end = ep.groupby("CHILD")["DEC"].shift()
    follows = prev_end.notna()
    assert (ep.loc[follows, "DECOM"] >= prev_end[follows]).all()
    chained = follows & (ep["RNE"] != "S")
    assert (ep.loc[chained, "DECOM"] == prev_end[chained]).all()
    returns = follows & (ep["RNE"] == "S")
    assert returns.sum() > 0  # some children come back into care
    assert (ep.loc[returns, "DECOM"] > prev_end[returns]).all()


def test_size_is_about_what_was_asked(authority: SSDA903History):
    """Children looked after when the returns begin: within a third of the 400 asked."""
    in_care = stock_at(build_spells(authority), [pd.Timestamp("2020-04-30")]).sum()
    assert 400 / 1.33 < in_care < 400 * 1.33


def test_legal_statuses_lead_where_they_should(authority: SSDA903History):
    """Interim orders become care or placement orders; placement orders lead to adoption."""
    ep = authority.episodes
    assert {"C1", "C2", "E1", "V2", "L1", "J1"} <= set(ep["LS"].dropna())
    nxt = ep.groupby("CHILD")["LS"].shift(-1)
    assert ((ep["LS"] == "C1") & (nxt == "C2")).any()
    assert ((ep["LS"] == "C1") & (nxt == "E1")).any()
    adopted = ep[ep["REC"].isin(["E11", "E12"])]
    assert len(adopted) > 0
    assert set(adopted["LS"]) == {"E1"} and set(adopted["PLACE"]) <= {"A5", "A6"}


def test_h5_is_recoded_to_k3_with_the_same_carers(authority: SSDA903History):
    """An H5 placement open on 1 April 2025 continues as K3 (RNE T, same postcode), which
    the forecast does not count as a new placement; no H5 starts from that day."""
    ep = authority.episodes
    k3_day = pd.Timestamp("2025-04-01")
    assert not ((ep["PLACE"] == "H5") & (ep["DECOM"] >= k3_day)).any()
    recoded = ep[(ep["PLACE"] == "K3") & (ep["DECOM"] == k3_day) & (ep["RNE"] == "T")]
    assert len(recoded) > 0
    before = ep.loc[recoded.index - 1]
    assert (before["PLACE"] == "H5").all()
    assert (before["PL_POST"].to_numpy() == recoded["PL_POST"].to_numpy()).all()
    spells = build_spells(authority).spells
    assert (spells.loc[recoded.index, "kind"] == "none").all()


def test_uasc_arrivals_are_16_17_year_olds_from_the_month_given():
    """With UASC arriving from April 2023, 16-17-year-old entrants more than double."""
    spec = replace(family_spec(4), num_in_care=300, uasc_share=0.6, uasc_background=0.0)
    spec = replace(spec, uasc_from=pd.Timestamp("2023-04-01"))
    sp = build_spells(family_history(spec)).spells
    ent = sp[(sp["kind"] == "entry") & (sp["start"] >= pd.Timestamp("2021-04-01"))]
    age = (ent["start"] - ent["dob"]).dt.days / 365.25
    after = ent["start"] >= spec.uasc_from
    older = np.asarray(age >= 16)
    assert older[after].sum() / after.sum() > 2 * older[~after].sum() / (~after).sum()
