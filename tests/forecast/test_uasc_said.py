"""Unaccompanied asylum-seeking children (UASC) are counted and said beside the forecast.

The model has no UASC marker. The returns' uasc tables name the children, but the reader
checked their dates of birth and dropped them, so the forecast said nothing: on the
sample, 83 of the 869 children looked after on 31 March 2026 (10%) and 131 of the 992
who started in the reference window (13%) are unaccompanied, and its Read with care was
empty. The history now carries the table (``SSDA903History.uasc``), and the forecast
says their number and share and that it does not tell them apart.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace
from pathlib import Path

import pandas as pd
from forecast_builders import FAST

from sufficiency.forecast.family import family_history, quiet_spec
from sufficiency.forecast.run import run_forecast
from sufficiency.forecast.states import build_spells
from sufficiency.forecast.synthetic import synthetic_history
from sufficiency.forecast.uasc_said import uasc_counts
from sufficiency.io.ssda903 import read_history

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "ssda903"
START, WINDOW = pd.Timestamp("2026-03-31"), pd.Timestamp("2023-03-31")


def _direct(care, duc: pd.Series) -> tuple[int, int, int, int]:
    """The four counts, straight from the spells and each child's DUC."""
    sp = care.spells
    held = sp[(sp["start"] <= START) & (sp["end"].isna() | (sp["end"] > START))]
    held = held.drop_duplicates("child")
    until = held["child"].astype(str).map(duc)
    ent = sp[(sp["kind"] == "entry") & (sp["start"] > WINDOW) & (sp["start"] <= START)]
    came = ent["child"].astype(str).map(duc)
    return (
        int((until > START).sum()),
        len(held),
        int((came > ent["start"]).sum()),
        len(ent),
    )


def test_the_sample_s_uasc_tables_reach_the_forecast():
    history = read_history(SAMPLE)
    files = [pd.read_csv(f, dtype=str) for f in sorted(SAMPLE.glob("*/uasc.csv"))]
    table = pd.concat(files)
    duc = pd.to_datetime(table["DUC"], format="%d/%m/%Y").groupby(table["CHILD"]).max()
    assert set(history.uasc["CHILD"]) == set(duc.index)
    care = build_spells(history)
    counts = uasc_counts(history, care, START, WINDOW)
    assert counts == _direct(care, duc)
    assert counts == (83, 869, 131, 992)


def test_the_forecast_says_their_number_and_share():
    history = family_history(
        replace(quiet_spec(3, 300), uasc_from=pd.Timestamp("2024-04-01"), uasc_share=0.5)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = run_forecast(history, FAST)
    said = [n for n in report.notes if n.startswith("Unaccompanied asylum-seeking children")]
    assert len(said) == 1, report.notes
    care = build_spells(history)
    duc = history.uasc.set_index(history.uasc["CHILD"].astype(str))["DUC"]
    now, in_care, came, entered = _direct(care, duc)
    assert came / entered > 0.2  # arrivals worth half the other entries
    assert (
        f"{now:,} of the {in_care:,} children looked after on 31 March 2026 "
        f"({now / in_care:.0%}), and {came:,} of the {entered:,} who started"
    ) in said[0]
    assert "The forecast does not tell them apart" in said[0]
    assert said[0] in set(report.assumptions["value"])


def test_no_uasc_no_sentence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = run_forecast(synthetic_history(num_in_care=150, num_years=3, seed=2), FAST)
    assert not any(re.match("Unaccompanied", n) for n in report.notes)
