"""A text file in UTF-16 without the byte-order mark that says so.

Excel's "Unicode Text" starts its UTF-16 with a byte-order mark, and is read by it. Some
exports (SQL Server's ``bcp -w``, PowerShell's ``Out-File`` piped on, a .NET report
writing ``Encoding.Unicode`` without a preamble) leave the mark off: every other byte of
the file is then a zero, and a 903 history so exported was refused, each table "a binary
file, not a CSV". A file whose zero bytes all fall at odd places (or all at even
places), in at least a third of those places, and which decodes so into text with no
control characters but tabs and line ends, is UTF-16 beyond doubt (little- or
big-endian as the zeros fall): it is read so, and said.
"""

from __future__ import annotations

from sufficiency.errors import Problem

#: Bytes looked at to tell.
_HEAD = 8192
#: Characters text holds below a space.
_TEXT_CONTROLS = frozenset("\t\r\n")


def bomless_utf16(raw: bytes) -> tuple[str, str] | None:
    """``raw`` decoded as UTF-16 with no byte-order mark, and which order (``"utf-16-le"``
    or ``"utf-16-be"``); ``None`` when it is not such text."""
    head = raw[:_HEAD]
    if len(raw) % 2 or len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if 0 in others or zeros.count(0) * 3 < len(zeros):
            continue
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            return None
        if any(c < " " and c not in _TEXT_CONTROLS for c in text[:_HEAD]):
            return None
        return text, encoding
    return None


def utf16_note(source: str, encoding: str) -> Problem:
    """The note that a file was read as UTF-16 with no byte-order mark."""
    order = "little" if encoding.endswith("le") else "big"
    return Problem(source, None, None, None,
                   f"is UTF-16 text ({order}-endian) without the byte-order mark that says "
                   "so, as some database and report exports write it: read as UTF-16; save "
                   "it as CSV UTF-8 to be sure", severity="warning",
                   code="utf16_no_bom")  # fmt: skip
