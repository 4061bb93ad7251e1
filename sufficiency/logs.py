"""Structured logging: plain text or JSON lines.

Children appear in logs by ID only, never with a date of birth, postcode or risk:
log calls pass figures and IDs, and :class:`RedactingFilter` drops any record
field whose name says it holds personal details, as a second line of defence.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sufficiency.errors import DataWarning, RepairWarning

LOGGER_NAME = "sufficiency"
#: Record attributes that must never reach a log line.
PERSONAL_FIELDS = frozenset(
    {"dob", "date_of_birth", "home_postcode", "school_postcode", "postcode", "risks",
     "HOME_POST", "PL_POST", "DOB", "UPN"}
)  # fmt: skip
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class RedactingFilter(logging.Filter):
    """Remove extra fields that would carry a child's personal details."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name in PERSONAL_FIELDS & set(record.__dict__):
            delattr(record, name)
        return True


#: A database fault's detail line: PostgreSQL quotes the row it could not write
#: ("DETAIL:  Failing row contains (..., a decision's reason, ...)") or the key.
_DETAIL = re.compile(r"^(\s*DETAIL:).*$", re.MULTILINE)
_LEFT_OUT = r"\1 (the values it quoted are left out)"


def without_detail(text: str) -> str:
    """``text`` with a database fault's DETAIL line (the row or key it quotes) left out:
    for a failure reason kept in the run store or printed, as the log's filter does."""
    return _DETAIL.sub(_LEFT_OUT, text) if "DETAIL:" in text else text


class DetailLeftOut(logging.Filter):
    """Drop a database fault's DETAIL line from a record's message and traceback.

    The store hides the values SQLAlchemy writes (``hide_parameters``), but PostgreSQL's
    own message of a broken constraint quotes the failing row, which can hold a team
    decision's free-text reason about a child; the fault itself (which constraint, which
    table) stays in the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and "DETAIL:" in record.exc_text:
            record.exc_text = without_detail(record.exc_text)
        if isinstance(record.msg, str):
            message = record.getMessage()
            if "DETAIL:" in message:
                record.msg, record.args = without_detail(message), ()
        return True


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str, sort_keys=False)


class PlainFormatter(logging.Formatter):
    """``time level message key=value ...``"""

    def format(self, record: logging.LogRecord) -> str:
        when = dt.datetime.fromtimestamp(record.created, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        extras = " ".join(
            f"{k}={v}" for k, v in record.__dict__.items()
            if k not in _STANDARD and not k.startswith("_")
        )  # fmt: skip
        return f"{when} {record.levelname:<7} {record.getMessage()}" + (
            f" {extras}" if extras else ""
        )


def configure_logging(
    fmt: str = "plain", level: str = "info", file: Path | str | None = None
) -> logging.Logger:
    """Set up the ``sufficiency`` logger (idempotent); logs go to ``file`` or stderr."""
    logger = logging.getLogger(LOGGER_NAME)
    for h in list(logger.handlers):
        logger.removeHandler(h)
        h.close()
    handler: logging.Handler
    if file is not None:
        path = Path(file)
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        path.chmod(0o600)
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLinesFormatter() if fmt == "json" else PlainFormatter())
    handler.addFilter(RedactingFilter())
    handler.addFilter(DetailLeftOut())
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False
    return logger


def rotate(path: Path, keep: int) -> None:
    """Move ``path`` to ``path.1``, ``path.1`` to ``path.2`` and so on, deleting those that
    would be numbered past ``keep`` (1 or more; and any left past it by a larger ``keep``
    before), as logrotate and Python's ``RotatingFileHandler`` number them."""
    pattern = re.compile(re.escape(path.name) + r"\.([1-9][0-9]*)")
    numbered = {int(m.group(1)): p for p in path.parent.iterdir()
                if (m := pattern.fullmatch(p.name))}  # fmt: skip
    for n in sorted(numbered, reverse=True):
        if n >= keep:
            numbered[n].unlink()
        else:
            numbered[n].replace(path.with_name(f"{path.name}.{n + 1}"))
    path.replace(path.with_name(f"{path.name}.1"))


def get_logger(name: str) -> logging.Logger:
    """A child logger of ``sufficiency``."""
    return logging.getLogger(f"{LOGGER_NAME}.{name}")


@contextmanager
def warnings_logged(logger: logging.Logger, job: str) -> Iterator[None]:
    """Each data warning given inside the block (rows set aside, thin data) logged once,
    naming ``job``, and still given to the caller (the console): a scheduler's log is the
    night's record, and a warning only on standard error was lost to it. The Python API's
    note of a history's repairs (:class:`RepairWarning`) is left out: the jobs log the
    history's data quality themselves."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        try:
            yield
        finally:
            said = dict.fromkeys(
                str(w.message)
                for w in caught
                if issubclass(w.category, DataWarning) and not issubclass(w.category, RepairWarning)
            )
            for text in said:
                logger.warning("%s", text, extra={"job": job})
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
