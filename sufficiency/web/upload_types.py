"""Which files an upload takes: every type ``validate`` reads, as the nightly job keeps it.

Referrals and a register were taken only as ``.csv``, though ``validate`` and the night
read Excel's "Text (Tab delimited)" (``.txt``) and ``.tsv`` too, and the form's picker
offered only ``.csv``, ``.xlsx``, ``.xml`` and ``.zip``.
"""

from __future__ import annotations

from pathlib import Path

from sufficiency.io.ssda903_scan import TABLE_SUFFIXES
from sufficiency.io.tables import CSV_SUFFIXES, XLSX_SUFFIXES

#: The file types the upload form offers: every type ``validate`` reads (CSV and Excel's
#: other text forms, ``.txt`` and ``.tsv``; workbooks; DfE's XML) and a zip of a 903 folder.
ACCEPT = ",".join(sorted(TABLE_SUFFIXES | {".zip"}))


def wrong_type(suffix: str, kept_as: str) -> str:
    """Why a file with ``suffix`` cannot be the referrals or register kept as ``kept_as``
    (``""`` when it can): the night reads them as text (CSV, ``.txt``, ``.tsv``)."""
    if suffix in XLSX_SUFFIXES:
        return (f"is a workbook: the nightly job reads {kept_as}, a text file; save the "
                "sheet as CSV and try again")  # fmt: skip
    if suffix not in CSV_SUFFIXES:
        return "is not a CSV file (nor a tab-separated .txt or .tsv): save it as CSV and try again"
    return ""


def not_903(name: str) -> str | None:
    """Why a file of a 903 folder is not kept, as ``validate`` skips it ("" for hidden
    files, skipped without a word), or None for a file to keep and check."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if base.startswith(".~lock."):
        return "is a LibreOffice lock file; skipped"
    if base.startswith("~$"):
        return "is an Office lock file; skipped"
    if base.startswith("."):
        return ""
    if Path(base).suffix.lower() not in TABLE_SUFFIXES:
        return "is not a CSV, XLSX or XML file; skipped"
    return None
