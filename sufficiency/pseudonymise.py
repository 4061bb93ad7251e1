"""Keyed pseudonyms for child IDs, for outputs shared beyond the placement team.

A pseudonym is ``C`` + the first 16 hex digits of HMAC-SHA256(key, child ID): the
same child gets the same pseudonym in every output made with the same key, and
without the key the ID cannot be recovered or confirmed by guessing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import stat
import warnings
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from sufficiency.errors import ConfigError, DataWarning, Problem

KEY_ENV = "SUFFICIENCY_PSEUDONYM_KEY"
#: Columns holding child IDs in our outputs.
CHILD_ID_COLUMNS = frozenset({"child_id", "CHILD"})
MIN_KEY_BYTES = 16


def load_key(key_file: Path | None = None) -> bytes:
    """The pseudonymisation key: from ``key_file``, else ``$SUFFICIENCY_PSEUDONYM_KEY``."""
    if key_file is not None:
        try:
            key = Path(key_file).read_bytes().strip()
            mode = Path(key_file).stat().st_mode
        except OSError as exc:
            raise ConfigError(f"cannot read pseudonymisation key file {key_file}: {exc}") from None
        if os.name == "posix" and mode & 0o077:
            warnings.warn(DataWarning(
                f"The pseudonymisation key file {key_file} can be read by other users of this "
                f"computer (permissions {stat.filemode(mode)}): whoever can read it can tell "
                f"which child each pseudonym stands for. Make it yours alone: "
                f"chmod 600 {key_file}"), stacklevel=2)  # fmt: skip
    else:
        key = os.environ.get(KEY_ENV, "").encode()
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(
            f"--pseudonymise needs a secret key of at least {MIN_KEY_BYTES} characters: "
            f"set {KEY_ENV} or give --pseudonym-key-file (keep the key out of the outputs)"
        )
    return key


def pseudonym(child_id: str, key: bytes) -> str:
    """The keyed pseudonym of one child ID."""
    return "C" + hmac.new(key, str(child_id).encode(), hashlib.sha256).hexdigest()[:16]


def pseudonymise_frame(df: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """A copy of ``df`` with every child-ID column replaced by pseudonyms."""
    out = df.copy()
    for col in CHILD_ID_COLUMNS & set(out.columns):
        out[col] = out[col].map(lambda v: v if pd.isna(v) else pseudonym(str(v), key))
    return out


def pseudonymise_text(text: str, child_ids: Iterable[str], key: bytes) -> str:
    """``text`` with every whole-word mention of one of ``child_ids`` replaced by its pseudonym
    (sentences such as ``alternatives.csv``'s ``why_not`` name other children by ID)."""
    pattern = _mentions(child_ids)
    if pattern is None or not text:
        return text
    return pattern.sub(lambda m: pseudonym(m.group(1), key), text)


def _mentions(child_ids: Iterable[str]) -> re.Pattern[str] | None:
    """The pattern of a whole-word mention of one of ``child_ids`` (the longest first);
    ``None`` for no IDs."""
    ids = sorted({str(c) for c in child_ids if str(c)}, key=lambda c: (-len(c), c))
    if not ids:
        return None
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")


#: The sentence columns of matching's tables that may name other children by ID.
TEXT_COLUMNS = ("why_not", "reason", "sibling_note", "distance_note", "flags", "nearest_breaks")


def pseudonymise_texts(df: pd.DataFrame, child_ids: Iterable[str], key: bytes) -> pd.DataFrame:
    """A copy of ``df`` with every mention of ``child_ids`` in its sentence columns
    (:data:`TEXT_COLUMNS`) replaced by pseudonyms: a split sibling group's note names a
    pinned sibling ("R025 is pinned to PL0034")."""
    out, pattern = df.copy(), _mentions(child_ids)  # made once, not once a cell
    if pattern is None:
        return out
    named = {c: pseudonym(c, key) for c in {str(c) for c in child_ids}}
    for col in [c for c in TEXT_COLUMNS if c in out.columns]:
        said = out[col].map(lambda t: t if pd.isna(t) else pattern.sub(
            lambda m: named[m.group(1)], str(t)))  # fmt: skip
        out[col] = said.astype(out[col].dtype)
    return out


def _names_child(column: str | None) -> bool:
    """Whether a column label as written in a file (``child_id``, ``Child ID``, ``CHILD``)
    holds child IDs."""
    label = re.sub(r"[\s_]+", "_", (column or "").strip().lower())
    return label in {"child_id", "child", "child_id_number"}


def pseudonymise_problems(
    problems: Iterable[Problem], key: bytes, child_ids: Iterable[str] = ()
) -> tuple[Problem, ...]:
    """``problems`` with every child ID in their values, sentences and actions replaced by
    its pseudonym: the IDs in ``child_ids`` and the values of child-ID columns."""
    problems = tuple(problems)
    ids = {str(c) for c in child_ids} | {
        p.value for p in problems if p.value and _names_child(p.column)
    }
    return tuple(
        replace(
            p,
            value=None if p.value is None else pseudonymise_text(p.value, ids, key),
            message=pseudonymise_text(p.message, ids, key),
            action=pseudonymise_text(p.action, ids, key),
        )
        for p in problems
    )
