"""The one vocabulary: every internal name a person reads is said in plain words."""

from __future__ import annotations

import re

import pytest

from sufficiency import vocabulary
from sufficiency.commissioning.demand import GROUPS
from sufficiency.forecast.states import CATEGORIES

SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


@pytest.mark.parametrize("code", [*CATEGORIES, "all"])
def test_every_forecast_category_has_words(code: str) -> None:
    assert code in vocabulary.CATEGORIES
    assert not SNAKE.search(vocabulary.category(code))


@pytest.mark.parametrize("code", list(GROUPS))
def test_every_commissioning_group_has_words(code: str) -> None:
    assert code in vocabulary.GROUPS
    assert not SNAKE.search(vocabulary.lever("recruit", code))


def test_finance_and_forecast_say_a_category_the_same_way() -> None:
    from sufficiency.finance.workbook import line_label
    from sufficiency.forecast.workbook import CATEGORY_NAMES

    for code in CATEGORIES:
        assert line_label(code) == CATEGORY_NAMES[code] == vocabulary.category(code)


def test_a_levers_file_label_wins() -> None:
    assert vocabulary.lever("block", "residential", "north", label="North block") == "North block"
    assert vocabulary.lever("block", "residential", "north_homes") == "Block contract: North homes"


def test_codes_in_sentences_become_words() -> None:
    text = vocabulary.plain("ifa_foster rises while foster_0_4 falls; model beats persistence")
    assert not SNAKE.search(text)
    assert text.startswith("IFA foster care rises while foster care, aged 0 to 4 falls")


def test_unknown_names_fall_back_to_words_not_code() -> None:
    assert vocabulary.column("weekly_fee_gbp") == "Weekly fee gbp"
    assert vocabulary.status("OPTIMAL") == "Proven best (optimal)"
    assert vocabulary.plan("stochastic") == "Recommended plan"


def test_counted_is_singular_for_one_only():
    """One month, not one months; thousands separated."""
    from sufficiency.vocabulary import counted

    assert [counted(n, "month") for n in (0, 1, 2)] == ["0 months", "1 month", "2 months"]
    assert counted(1200, "home") == "1,200 homes"


def test_english_words_in_a_sentence_stay_words() -> None:
    """A code that is also a word is not a code inside a sentence: the forecast's "none (not
    supported by the data)" read "not supported accommodation by the data"."""
    for text in ("none (not supported by the data)", "the model and the other homes"):
        assert vocabulary.plain(text) == text
    assert vocabulary.plain("exit: care_order") == "exit: care order"


def test_a_key_in_double_quotes_is_left_as_typed() -> None:
    """A levers warning read with the case said its key as 'fee uplift.weekly gbp per
    household', a key no file has: a key in double quotes is now left as the user typed it,
    and the words around it are still said plainly."""
    said = vocabulary.plain('Levers: "fee_uplift.weekly_gbp_per_household" for foster_0_4')
    assert said == 'Levers: "fee_uplift.weekly_gbp_per_household" for foster care, aged 0 to 4'
    assert vocabulary.plain('"2026-03-31" on 2026-03-31') == '"2026-03-31" on 31/03/2026'


def test_money_in_sentences_is_said_to_three_significant_figures():
    """Sums from simulated futures read '£653,111 (give or take £99,364)', '£1,708,805'
    and '£0.031m': to the pound, or in thousandths of a million. They are said to three
    significant figures; millions to at least £0.1m (so £264.8m is told from £265.1m);
    pence only under £100; a margin or a range's other end to the larger figure's place."""
    money = vocabulary.money
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
    assert vocabulary.signed_money(-425_056) == "-£425,000"
    assert vocabulary.signed_money(1_540_251) == "+£1.54m"


def test_a_chance_is_said_in_whole_points_but_never_as_none_or_all():
    """'probability of overspend 10.5%' claimed a tenth of a point from 1,000 futures; a
    shortfall in 5 of 1,000 futures read '0%'. Whole points; a tenth near nought or one."""
    chance = vocabulary.chance
    assert chance(0.105) == "10%" and chance(0.437) == "44%"
    assert chance(0.005) == "0.5%" and chance(0.997) == "99.7%"
    assert chance(0) == "0%" and chance(1) == "100%"
