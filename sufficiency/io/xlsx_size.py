"""How much an input workbook unpacks to, checked before it is read.

An XLSX is a zip of XML: a workbook of 3 MB unpacking to 726 MB of cells (a zip bomb's
shape) kept ``sufficiency match --referrals`` busy for over four minutes at 870 MB of
memory, and the web's upload check busy as long. Every reader of input workbooks
(:func:`sufficiency.io.tables.read_xlsx_tables`: referrals, the register, 903 tables,
budgets, ``validate``) refuses one that unpacks to more than :data:`MAX_UNPACKED_MB`,
by the sizes its zip declares, before opening it; Python's zip reader never gives more
than an entry declares, so the declared sizes bound what is read. The web's uploads
hold workbooks to ``[web] max_upload_mb`` times four as well.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

#: The most an input workbook may unpack to: far more than any table here (a 903 table
#: of 100,000 episodes written by Excel unpacks to about 50 MB).
MAX_UNPACKED_MB = 200


def unpacked_bytes(path: Path) -> int | None:
    """What the workbook at ``path`` unpacks to, by its zip's entries; None if it is not
    a zip that can be opened (the reader then says it is not a readable workbook)."""
    try:
        with zipfile.ZipFile(path) as book:
            return sum(i.file_size for i in book.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def too_large(path: Path) -> str | None:
    """Why an input workbook is refused for what it unpacks to, or None."""
    unpacked = unpacked_bytes(path)
    if unpacked is None or unpacked <= MAX_UNPACKED_MB * 1024 * 1024:
        return None
    return (
        f"unpacks to {unpacked / 2**20:,.0f} MB, more than the {MAX_UNPACKED_MB} MB an input "
        "workbook may unpack to: is it the right workbook? Save its sheet as CSV, or split it"
    )
