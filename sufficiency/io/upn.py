"""Unique Pupil Numbers in a 903 header: their form and check letter, as DfE checks them.

A UPN links a looked-after child to their school records. DfE's UPN guide: 13
characters, a check letter, then 11 digits (the school's LA and establishment
numbers, the year, a serial), then a digit, or a letter for a temporary UPN. The check
letter is computed from the other 12: each multiplied by its position (2 to 13; a
letter counted by its place in the 23 letters A to Z without I, O and S), the sum
divided by 23, and the remainder's letter in that alphabet (0 = A, 22 = Z). A child
without a UPN has a reason code instead, UN1 to UN5 (DfE's validator, rule 168).

A UPN that is not one, or one given on two rows (rule 444, from 2025-26), is a warning
of ``validate``, never a refusal: matching and the forecast do not read it. The UPN
itself is never printed: it identifies a child.
"""

from __future__ import annotations

import re

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.shape import mask_value
from sufficiency.io.tables import RawTable

#: DfE's 23 check letters, A to Z without I, O and S; a letter's value is its place.
LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_FORM = re.compile(rf"[{LETTERS}]\d{{11}}[0-9{LETTERS}]")
_REASON = re.compile(r"UN[1-5]")


def check_letter(upn: str) -> str:
    """The check letter of a UPN's last 12 characters (``upn[1:]``), by DfE's guide."""
    total = sum(
        (int(c) if c.isdigit() else LETTERS.index(c)) * weight
        for weight, c in enumerate(upn[1:13], start=2)
    )
    return LETTERS[total % 23]


def upn_problem(upn: str) -> str | None:
    """What is wrong with one UPN cell's text (``None`` if nothing is)."""
    text = upn.strip().upper()  # DfE's validator reads codes in capitals
    if _REASON.fullmatch(text):
        return None
    if not _FORM.fullmatch(text):
        return (
            "is not a UPN: a UPN is 13 characters, a letter, 11 digits and a digit or "
            "letter (or, for a child without one, a reason code UN1 to UN5); DfE's "
            "validator refuses it (rule 168)"
        )
    if check_letter(text) != text[0]:
        return (
            "is a UPN with the wrong check letter: its first character is not the one its "
            "other 12 give (DfE's UPN guide); mistyped?"
        )
    return None


def upn_problems(raw: RawTable, header: pd.DataFrame) -> list[Problem]:
    """A warning for each header row whose UPN is neither a UPN with its right check
    letter nor a reason code; the value is shown by its shape only (``A99999999999``)."""
    if "UPN" not in header:
        return []
    out = []
    for idx, value in header["UPN"].dropna().items():
        message = upn_problem(str(value))
        if message is not None:
            shape = mask_value(str(value).strip())
            out.append(raw.problem(idx, "upn", shape if message.startswith("is not") else None,
                                   message, severity="warning", code="invalid_upn"))  # fmt: skip
    # one UPN is one pupil (DfE's rule 444, from 2025-26): two rows sharing it are two
    # children given one, or one child given two rows
    upn = header["UPN"].astype("string").str.strip().str.upper()
    shared = upn[upn.notna() & ~upn.str.fullmatch(_REASON).fillna(False) & upn.duplicated(False)]
    for _, rows in shared.groupby(shared).groups.items():
        nums = [raw.row_number(int(i)) for i in rows]
        for idx, num in zip(rows, nums, strict=True):
            others = ", ".join(str(n) for n in nums if n != num)
            out.append(raw.problem(idx, "upn", None, f"is the same UPN as row(s) {others}: one "
                                   "UPN is one pupil (DfE's rule 444)", severity="warning",
                                   code="duplicate_upn"))  # fmt: skip
    return out
