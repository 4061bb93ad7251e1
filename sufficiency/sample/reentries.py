"""Children who come back into care after leaving it: how many, and after how long.

A child who went home, or to relatives under an order, may start a new period of care
later (RNE ``S``, the same CHILD). The rates follow England's national data:

- DfE followed the 10,270 children who returned home from care in 2006-07: 30% (3,050)
  were back in care within five years (by 31 March 2012). Of those who came back, 8%
  had been home for under two weeks and 17% for two years or more. (DfE analysis
  published in 2013, as reported by the NSPCC, "Returning home from care", and by
  Children & Young People Now, 27 July 2015.)
- Goldacre, Hood, Jones, King and Wang (2022), "Reunification and re-entry to care: an
  analysis of the national datasets for children looked after in England", British
  Journal of Social Work 52(8): of children who went home between 2014 and 2020, one in
  five were back in care within a year and over a third within six years, so a little
  over half of those who come back do so within the first year.
- McGrath-Lone, Dearden, Harron, Nasim and Gilbert (2017), Child Abuse & Neglect 63:
  35.3% of children who left care in 2008 re-entered within five years; the authors'
  ISPCAN 2016 abstract on the 2007 leavers gives 5.9% for children who left under a
  special guardianship order.

The chance for children who went home is set above 30% because some who leave care
in their mid-teens turn 18 before they would have come back, as in DfE's cohort: with
seed 2026, 30% of the children who went home in 2020-21 were back within five years
(``tests/test_sample.py`` checks 20-40%). Unaccompanied children leave care at 18 and
never come back here.
"""

from __future__ import annotations

import numpy as np

from sufficiency.sample.careers import Child

#: Chance of a later period of care after going home to parents or relatives without an
#: order (REC E4A, E4B, E13).
RETURN_HOME_REENTRY = 0.36
#: Chance after leaving under a child arrangements or special guardianship order.
ORDER_REENTRY = 0.06
_REENTRY_BY_REC = {
    "E4A": RETURN_HOME_REENTRY,
    "E4B": RETURN_HOME_REENTRY,
    "E13": RETURN_HOME_REENTRY,
    "E41": ORDER_REENTRY,
    "E45": ORDER_REENTRY,
    "E46": ORDER_REENTRY,
    "E47": ORDER_REENTRY,
    "E48": ORDER_REENTRY,
}
#: Share of returns that come within two weeks of going home (DfE: 8%).
SHORT_GAP_SHARE = 0.08
#: The other gaps are log-normal: a median of a year and this spread (natural log) put
#: about half of all returns within a year and a fifth after two years or more.
GAP_MEDIAN_DAYS = 365
GAP_SIGMA = 0.85
#: No new period of care starts in the last three months before the 18th birthday.
LAST_START_BEFORE_18_DAYS = 90


def reentry_day(rng: np.random.Generator, child: Child, turn18: int, last_day: int) -> int | None:
    """Day (ordinal) on which ``child`` starts another period of care, or None.

    Parameters
    ----------
    rng
        Stream for the decision and the gap.
    child
        A child whose latest episode has ended (``dec`` set).
    turn18
        The child's 18th birthday (ordinal).
    last_day
        The end of the simulated history; a return after it is not simulated.

    Returns
    -------
    int or None
        The start of the new period, at least three days after the last one ended, or
        None if the child does not come back before ``last_day`` and 17 years 9 months.
    """
    last = child.episodes[-1]
    chance = _REENTRY_BY_REC.get(last.rec or "", 0.0)
    if last.dec is None or chance == 0.0 or rng.random() >= chance:
        return None
    if rng.random() < SHORT_GAP_SHARE:
        gap = int(rng.integers(3, 14))
    else:
        gap = max(14, round(GAP_MEDIAN_DAYS * float(np.exp(GAP_SIGMA * rng.standard_normal()))))
    day = last.dec + gap
    if day > last_day or day >= turn18 - LAST_START_BEFORE_18_DAYS:
        return None
    return day
