"""What the run store records of a run's input rows and per-child outcomes, by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

# the rule is the decisions reader's too, which cannot import the store: it is in io
from sufficiency.io.ids import fold_id as fold_id


class InputRow(NamedTuple):
    """Fingerprint of one input row, so :meth:`RunStore.diff` can say what changed."""

    table: str  # "referral" or "placement"
    key: str  # child or placement ID
    row_sha256: str
    vacancies: int | None  # placements only


class ChildOutcome(NamedTuple):
    """What a matching run proposed for one child: a placement, or a reason."""

    child_id: str
    placement_id: str | None
    reason: str | None
    details: dict[str, Any] | None


class RowFingerprint(NamedTuple):
    """One input row as a run recorded it: its digest and, for a placement, vacancies."""

    row_sha256: str
    vacancies: int | None


class DecisionKey(NamedTuple):
    """Which decision: the child, the placement, and ``pin`` or ``exclude``."""

    child_id: str
    placement_id: str
    decision: str


class ReferralGaps(NamedTuple):
    """From the run store, for the children the team's decisions name (their IDs folded
    by :func:`fold_id`): the earlier nights of the same referrals file on which each was
    not referred (``away``), and the night each decision was first read (``first_read``,
    by folded child ID, folded placement ID and ``pin`` or ``exclude``)."""

    away: Mapping[str, tuple[dt.date, ...]] = {}
    first_read: Mapping[tuple[str, str, str], dt.date] = {}
