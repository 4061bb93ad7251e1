"""Figures from simulated futures are said to the precision the futures support."""

from __future__ import annotations

from sufficiency import figures


def test_money_in_sentences_is_said_to_three_significant_figures():
    """Sums from simulated futures read '£653,111 (give or take £99,364)', '£1,708,805'
    and '£0.031m': to the pound, or in thousandths of a million. They are said to three
    significant figures; millions to at least £0.1m (so £264.8m is told from £265.1m);
    pence only under £100; a margin or a range's other end to the larger figure's place."""
    money = figures.money
    assert money(653_111) == "£653,000" and money(99_364, like=653_111) == "£99,000"
    assert money(1_708_805) == "£1.71m" and money(12_922_427) == "£12.9m"
    assert money(14_043_665) == "£14.0m" and money(264_800_717) == "£264.8m"
    assert money(31_234) == "£31,200" and money(97_427) == "£97,400"
    assert money(-12_953.68) == "-£13,000" and money(8.2034) == "£8.20" and money(0) == "£0"
    assert money(-0.001) == "£0"  # no '-£0'
    assert money(999_400) == "£999,000" and money(999_600) == "£1.00m"
    assert money(9_996_000) == "£10.0m"  # not '£10.00m'
    assert money(24_700_000, like=25_700_000) == "£24.7m"
    assert money(500_000, like=1_200_000) == "£0.50m"  # a range said in one style
    assert figures.signed_money(-425_056) == "-£425,000"
    assert figures.signed_money(1_540_251) == "+£1.54m"


def test_money_is_rounded_half_up_as_finance_and_a_spreadsheet_round_it():
    """Python's round gives half to even: £1,234.50 was said £1,234 where the workbook's
    £#,##0 cell shows £1,235, and £2.675 (a float just under it) £2.67."""
    from sufficiency.finance.pence import pence, pounds

    assert figures.half_up(1234.5) == 1235 and figures.half_up(1235.5) == 1236
    assert figures.half_up(-1234.5) == -1235 and figures.half_up(2.675, 2) == 2.68
    assert figures.half_up(12_350, -2) == 12_400 and figures.money(12_350) == "£12,400"
    assert figures.money(2.675) == "£2.68" and figures.money(1_245_000) == "£1.25m"
    assert pounds(1234.5) == "£1,235" and pounds(-1234.5) == "-£1,235"
    assert pounds(74_000_000.5) == "£74,000,001" and pounds(0.4) == "£0"
    assert list(pence([2.675, 0.125, -0.125, 1.005])) == [2.68, 0.13, -0.13, 1.01]


def test_a_chance_is_said_in_whole_points_but_never_as_none_or_all():
    """'probability of overspend 10.5%' claimed a tenth of a point from 1,000 futures; a
    shortfall in 5 of 1,000 futures read '0%'. Whole points; a tenth near nought or one."""
    chance = figures.chance
    assert chance(0.105) == "10%" and chance(0.437) == "44%"
    assert chance(0.005) == "0.5%" and chance(0.997) == "99.7%"
    assert chance(0) == "0%" and chance(1) == "100%"
