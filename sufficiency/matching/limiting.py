"""The rules that leave an unplaced child nowhere to go, said as a social worker reads it.

The unplaced reason said "the most limiting were communication (333 placements)": a
reader could not tell that 333 rows of the register were ruled out by the child's
communication needs. :func:`most_limiting` says it in a sentence: "The most limiting
rules: of the 500 placements on the register, 333 do not meet the child's communication
needs and 149 exclude one of the child's risks."
"""

from __future__ import annotations

import numpy as np

from sufficiency.matching.rules import RULE_CODES, RULE_TEXT
from sufficiency.plurals import numbered

#: Each rule's words for several placements (:data:`~.rules.RULE_TEXT` says one).
_SEVERAL: dict[str, str] = {
    "capacity": "have no vacancy",
    "fostering_limit": "would exceed the usual fostering limit of three",
    "age": "do not take children of the child's age",
    "setting": "are settings marked unsuitable (or not residential under a DoLO)",
    "sex": "do not accept the child's sex",
    "risks": "exclude one of the child's risks",
    "pets": "do not meet the child's pets requirement",
    "communication": "do not meet the child's communication needs",
    "adaptations": "are not adapted",
    "alongside": "have current children the child cannot live alongside",
    "harm_sexual": "have children younger than the child, of the same age or of unknown age",
    "availability": "are not available by the date needed",
    "harm_animals": "have pets and the child is a risk to animals",
    "harm_physical": "have a child 3 or more years younger (or children of unknown age)",
    "unlocatable": "have a postcode that cannot be located",
    "decision": "are ruled out by a team decision (pinned elsewhere or excluded)",
}

#: Where one placement's words are not :data:`~.rules.RULE_TEXT`'s (whose age words speak
#: of supported accommodation, whatever the setting).
_ONE: dict[str, str] = {"age": "does not take children of the child's age"}


def _ruled_out(n: int, code: str, total: int) -> str:
    every = "all " if n == total and n > 1 else ""
    return f"{every}{n:,} {_ONE.get(code, RULE_TEXT[code]) if n == 1 else _SEVERAL[code]}"


def most_limiting(counts: np.ndarray, num_placements: int, top: int = 2) -> str:
    """A sentence naming the ``top`` rules that rule out the most of the register's
    ``num_placements`` placements for one child (``counts``: per rule in
    :data:`~.rules.RULE_CODES` order, how many placements break it); "" if none does."""
    order = np.argsort(-np.asarray(counts), kind="stable")[:top]
    said = [_ruled_out(int(counts[i]), RULE_CODES[i], num_placements) for i in order if counts[i]]
    if not said:
        return ""
    register = (
        "the only placement on the register"
        if num_placements == 1
        else f"the {numbered(num_placements, 'placement(s)')} on the register"
    )
    rules = "rule" if len(said) == 1 else "rules"
    return f"The most limiting {rules}: of {register}, {' and '.join(said)}."


__all__ = ["most_limiting"]
