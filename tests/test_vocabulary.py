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
    assert vocabulary.plain('"2026-03-31" on 2026-03-31') == '"2026-03-31" on 31 March 2026'


def test_every_provider_on_the_register_has_words() -> None:
    """A home another council provides (register ``other_la``, 903 PR2) read "Other la" on
    the match report, the fallback's words for its code."""
    from sufficiency.io.inputs import PLACEMENTS

    field = next(f for f in PLACEMENTS.fields if f.name == "provider")
    assert field.choices is not None
    codes = sorted({c for c in field.choices.values() if not c.startswith("PR")})
    assert codes == ["external", "ifa", "in_house", "other_la"]
    assert {c: vocabulary.provider(c) for c in codes}["other_la"] == "Another council"
    assert all(vocabulary.provider(c) in vocabulary.PROVIDERS.values() for c in codes)
