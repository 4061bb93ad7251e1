"""Excel's "CSV (Macintosh)": a CSV in Mac Roman, told from one in Windows-1252.

A file that is not UTF-8 was read as Windows-1252 (Excel's "CSV" on an English Windows).
Excel's "CSV (Macintosh)" writes Mac Roman, whose accented letters sit at other bytes:
a home named ``Café Lodge`` was read as ``CafŽ Lodge``, without a word, and one with an
``è`` or a ``ç`` (bytes Windows-1252 has no letter for) was refused as "cannot be
decoded as text". Both encodings decode the lines that are not UTF-8, and the one whose
letters read as words do is kept: an accented letter in the case of the letter before
it (``é`` after ``f``, not ``Ž`` or ``È``), quotation marks and dashes where text puts
them (``’`` in a word, not ``“`` between two letters), and no other sign. Where the two
read alike (``£`` is the same byte in both), a file whose lines end in a carriage return
alone, as "CSV (Macintosh)" writes them, is Mac Roman. Reading it as Mac Roman is said.
"""

from __future__ import annotations

from sufficiency.errors import Problem

#: Letters of Western European names, and the signs text holds (pound, euro, quotes, dashes).
_LETTERS = frozenset(chr(c) for c in range(0xC0, 0x100)) - {"\u00d7", "\u00f7"} | {"œ", "Œ"}
_SIGNS = frozenset("£€’‘“”–—")


def _plausible(text: str, i: int) -> bool:
    """Whether the character at ``i`` of ``text`` (not ASCII) reads as text would hold it."""
    c = text[i]
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if c in _LETTERS:  # lower case after a lower-case letter; upper case not after one
        return c.islower() or not before.islower()
    if c in "‘“":  # an opening quote, not in a word
        return not before.isalnum()
    if c == "”":
        return not after.isalnum()
    if c in "–—":  # a dash between words or figures, not inside a word
        return not (before.isalpha() and after.isalpha())
    return c in _SIGNS


def _score(lines: list[str]) -> int:
    """How well ``lines`` read: one for each character past ASCII that reads as text would
    hold it, less one for each that does not."""
    return sum(1 if _plausible(line, i) else -1
               for line in lines for i, c in enumerate(line) if ord(c) > 127)  # fmt: skip


def is_mac_roman(raw: bytes, lines: list[bytes]) -> bool:
    """Whether ``lines`` of file ``raw`` (those that are not UTF-8) are Mac Roman rather
    than Windows-1252 (or, where Windows-1252 cannot read them, whether they read as
    text in Mac Roman at all: a byte neither reads as text is refused as before)."""
    mac = _score([ln.decode("mac_roman") for ln in lines])
    try:
        windows = _score([ln.decode("cp1252") for ln in lines])
    except UnicodeDecodeError:  # a byte Windows-1252 has no letter for (è, ç in Mac Roman):
        return mac > 0  # Mac Roman if it reads as text, else no text this reads
    return mac > windows or (mac == windows and b"\r" in raw and b"\n" not in raw)


def mac_roman_note(source: str) -> Problem:
    """The note that a file was read as Mac Roman."""
    return Problem(source, None, None, None,
                   "is not UTF-8 and its accented letters read as Mac Roman, as Excel's 'CSV "
                   "(Macintosh)' writes them (é, not Ž): read so; save it as CSV UTF-8 to be "
                   "sure of every letter", severity="warning", code="mac_roman")  # fmt: skip
