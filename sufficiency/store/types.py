"""What the run store records of a run's input rows and per-child outcomes, by name."""

from __future__ import annotations

from typing import Any, NamedTuple


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
