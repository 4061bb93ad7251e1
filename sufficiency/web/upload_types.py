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


def nothing_to_read(kind: str, kept_as: str, sent: list[str]) -> tuple[str, str]:
    """The file and sentence for an upload that left nothing to check and said no error:
    nothing sent, or only files a 903 folder skips (a PDF, an empty zip, a zip of zips),
    which was "It cannot be used" with no error to say why, or "no file was sent"."""
    if not sent:
        return kept_as, "no file was sent: choose a file first"
    what = sent[0] if len(sent) == 1 else f"the {len(sent)} files sent"
    if kind == "history":
        return what, ("holds no 903 table (CSV, XLSX or XML) to read: send the folder of 903 "
                      "returns, or one zip of that folder")  # fmt: skip
    return what, "holds no file to read: choose the CSV file and send it again"
