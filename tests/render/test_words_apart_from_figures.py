"""A column of words printed after a column of figures or dates stands apart from it
(sufficiency/io/xlsx_gaps.py): on the forecast's Supply vs demand, Shortfall and External
purchases sheets a quarter ran into its category, "Jun 2026 In-house foster care" read as
one phrase, on 351 printed lines."""

from __future__ import annotations

import re

import rendering

#: A quarter ending and the word after it, a single space apart, as printed.
RUN_TOGETHER = re.compile(r"\b(Mar|Jun|Sep|Dec) 20\d\d [A-Z]")


def test_no_quarter_runs_into_its_category(rendered):
    pages = rendering.page_texts(rendered["forecast/forecast.xlsx"].pdf)
    quarters = [p for p in pages if re.search(r"(Shortfall|Supply vs demand) - page", p)]
    assert quarters, "no Shortfall or Supply vs demand page printed"
    joined = [ln.strip() for p in quarters for ln in p.splitlines() if RUN_TOGETHER.search(ln)]
    assert joined == [], f"{len(joined)} lines, as: {joined[:3]}"


#: A figure and the word in the next column, a single space apart, as printed.
FIGURE_THEN_WORD = re.compile(r"\d (April|No|Yes|households|places|homes)\b")


def test_commissioning_tables_print_each_column_whole_and_apart(rendered):
    """Plan by year's plan year ran into its start ("1 April 2026", read as a date) and its
    number into its unit; Sensitivity's homes opened into its fee uplift ("2 No"), its
    costs edge to edge in columns 12 wide, and "Recommended" broke over two lines."""
    pages = rendering.page_texts(rendered["commission/commissioning.xlsx"].pdf)
    tables = [p for p in pages if re.search(r"(Plan by year|Sensitivity) - page", p)]
    assert len(tables) >= 2, "no Plan by year or Sensitivity page printed"
    joined = [ln.strip() for p in tables for ln in p.splitlines() if FIGURE_THEN_WORD.search(ln)]
    assert joined == [], f"{len(joined)} lines, as: {joined[:3]}"
    costs = [ln for p in tables for ln in p.splitlines() if re.search(r"\d£", ln)]
    assert costs == [], costs[:3]
    assert any("Recommended" in p for p in tables)


def test_spend_scenario_comparison_prints_the_difference_apart_from_the_scenario(rendered):
    """The difference (a formula) ran into the scenario's name: "-£1,789,497 Step-downs"."""
    pages = rendering.page_texts(rendered["spend/spend.xlsx"].pdf)
    compared = [p for p in pages if "Scenario comparison - page" in p]
    assert compared, "no Scenario comparison page printed"
    rows = [ln for p in compared for ln in p.splitlines() if "Step-downs" in ln]
    assert rows, "no scenario rows printed"
    joined = [ln.strip() for ln in rows if re.search(r"£[\d,]+ Step-downs", ln)]
    assert joined == [], f"{len(joined)} lines, as: {joined[:3]}"
