"""The sentence for a decision sent from a child's page of a matching that a newer one has
overtaken: the decision is not recorded against proposals the user did not see.

It named both by run store number ("Matching run 2 ... finished after this page was shown
(it showed matching run 1)"), a number of the store's one sequence for every job; it
now says each matching by its day and when it started, as the pages do
(:mod:`sufficiency.web.run_words`).
"""

from __future__ import annotations

from sufficiency.store import RunStore
from sufficiency.web.framework import long_date
from sufficiency.web.run_words import get_run, started
from sufficiency.web.tonight import Tonight


def newer_matching(store: RunStore, t: Tonight, shown: str) -> str:
    """Why a form from a page of matching run ``shown`` (the form's hidden field) is not
    recorded when ``t`` is the latest; ``""`` when it is the run the page showed."""
    if not shown or shown == str(t.run_id):
        return ""
    then = get_run(store, int(shown)) if shown.isdigit() and len(shown) < 10 else None
    was = (f"the matching started {started(then['started_at'])}"
           if then is not None and then.get("started_at") else "an earlier matching")  # fmt: skip
    when = f", started {started(t.started_at)}" if t.started_at else ""
    return (f"A newer matching (for {long_date(t.run_date)}{when}) finished after this page "
            f"was shown (it showed {was}), so nothing was recorded")  # fmt: skip
