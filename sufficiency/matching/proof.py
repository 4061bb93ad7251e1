"""Page 1's sentence on whether the plan is proven the best, in the team's words.

A plan the solver calls optimal is proven the best only to within the run's tolerance
(``mip_gap``): page 1 said "proven the best" while Technical detail said it "may be up to
0.01% worse than the best". A plan not proven read the solver's message on page 1 ("NOT
proven optimal: the full model stopped: time_limit"); the message stays under Technical
detail.
"""

from __future__ import annotations

from sufficiency import vocabulary

#: A gap below this prints as 0.00%: the plan is the best, as near as the report says.
SHOWN_GAP = 0.00005


def proof_sentence(proven: bool, gap: float | None, status: str) -> str:
    """Whether the plan is proven the best, with the margin it may fall short by."""
    if proven:
        if gap is None or gap < SHOWN_GAP:
            return "The plan is proven the best under the rules and priorities."
        return (
            "The plan is proven the best under the rules and priorities, to within "
            f"{gap:.2%} (the margin the run allows)."
        )
    short = "" if gap is None else f" It may be up to {gap:.2%} short of the best plan."
    words = vocabulary.status(status).lower()
    return (
        f"The search stopped before proving this plan the best ({words}); the details are "
        f"under Technical detail.{short}"
    )
