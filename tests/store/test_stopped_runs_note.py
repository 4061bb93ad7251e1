"""The note ``runs list`` gives of stopped runs on a store this account may only read said
"Run(s) 4, 7: stopped ... (its process ended during it ...)" for any number of runs. It now
says one run, or several, in words that agree."""

from __future__ import annotations

from sufficiency.commands.runs import _unrecorded_note


def test_one_stopped_run_and_two_are_said_in_words_that_agree():
    one = _unrecorded_note(frozenset({4}), "sqlite:///runs.sqlite")
    assert one.startswith("Run 4: stopped, not seen to finish (its process ended during it, ")
    assert "or it was still running" in one and one.endswith("records it as failed.")
    two = _unrecorded_note(frozenset({7, 4}), "sqlite:///runs.sqlite")
    assert two.startswith("Runs 4, 7: stopped, not seen to finish (their process ended ")
    assert "during them, or they were still running" in two and "after they started" in two
    assert two.endswith("records them as failed.")
