"""Figures as a person reads them: said to the precision the evidence supports.

The forecast, spend and commissioning jobs simulate a few hundred to a few thousand
futures; a sum or a chance worked out from them is not known to the pound or to a tenth
of a point. Sentences and headlines (console lines, HTML reports, workbook notes, web
pages) say them here; the CSVs and the workbooks' cells, meant for finance systems, keep
full precision. Exact figures (a weekly fee from the register, a budget as given) are
said as given, elsewhere. The house rule is in docs/architecture.md.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal


def half_up(x: float, places: int = 0) -> float:
    """``x`` rounded half up (away from nought) to ``places`` decimals, as finance rounds
    and as a spreadsheet shows a figure: ``half_up(1234.5) == 1235`` (``round`` gives
    1234, half to even), ``half_up(2.675, 2) == 2.68`` (the float is 2.67499..., read as
    written). ``places`` may be negative (tens, hundreds)."""
    exp = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(x))).quantize(exp, rounding=ROUND_HALF_UP))


def money(gbp: float, like: float | None = None) -> str:
    """A sum worked out from simulated futures, said in a sentence to the precision the
    futures support: three significant figures (``£653,000``, ``£97,400``, ``£1.71m``,
    ``£12.9m``), millions never finer than needed nor coarser than £0.1m (``£264.8m``,
    which tells it from ``£265.1m``), pence only under £100 (``£8.20``). ``like`` is a
    figure said beside it (a margin's figure, a range's other end): both are then said to
    the place of the larger, ``£653,000 give or take £99,000``, not ``give or take
    £99,400``. Exact figures (a fee from the register, a budget as given) and the tables
    meant for finance keep every pound; only sentences and headlines round."""
    size = max(abs(gbp), abs(like)) if like is not None else abs(gbp)
    if size >= 999_500:  # rounds to £1.00m or more: said in millions
        # from the size as said: £9,996,000 is £10.0m, not £10.00m
        places = max(1, 2 - math.floor(math.log10(max(half_up(size / 1e6, 2), 1))))
        said = half_up(abs(gbp) / 1e6, places)
        text = f"£{said:,.{places}f}m"
    elif size >= 99.5:
        digits = 2 - math.floor(math.log10(size))  # negative: tens, hundreds, ...
        said = half_up(abs(gbp), digits)
        text = f"£{said:,.0f}"
    else:
        said = half_up(abs(gbp), 2)
        text = f"£{said:,.2f}" if said else "£0"
    return f"-{text}" if gbp < 0 and said > 0 else text


def chance(share: float) -> str:
    """A share of simulated futures as a sentence gives it: whole points (``44%``; ``10.5%``
    read as finer than 1,000 futures can tell), a tenth of a point near nought or one, so a
    few futures in a thousand read neither as none nor as all (``0.4%``, ``99.7%``)."""
    if share in (0, 1) or 0.01 <= share <= 0.99:
        return f"{share:.0%}"
    return f"{share:.1%}"


def signed_money(gbp: float) -> str:
    """A difference worked out from simulated futures, with its sign (``+£1.54m``,
    ``-£425,000``), to :func:`money`'s precision."""
    said = money(gbp)
    return said if said.startswith("-") else f"+{said}"


def day(when: dt.date) -> str:
    """A day as a person reads it in a sentence or a heading: ``1 April 2025`` (not
    ``01 April 2025``, ``01/04/2025`` or ``2025-04-01``, which mixed in one heading of
    spend.xlsx). CSV and JSON outputs keep ISO dates, for the machines that read them."""
    return f"{when.day} {when:%B %Y}"
