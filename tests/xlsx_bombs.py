"""Workbooks that unpack to far more than they hold (a zip bomb's shape), for the tests
of the size checks of the readers and the web's uploads."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO


def workbook_unpacking_to(out: Path | IO[bytes], header: list[str], rows: Iterable[bytes]) -> None:
    """Write to ``out`` a workbook whose sheet is ``header`` (text cells) and then
    ``rows`` (sheet XML, each written as given): a few hundred KB that unpack to what
    ``rows`` add up to."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(header)
    plain = io.BytesIO()
    wb.save(plain)
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:  # fmt: skip
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                book.writestr(info, src.read(info.filename))
                continue
            with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                            b'spreadsheetml/2006/main"><sheetData>')  # fmt: skip
                cells = b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % h.encode()
                                 for h in header)  # fmt: skip
                sheet.write(b"<row>" + cells + b"</row>")
                for row in rows:
                    sheet.write(row)
                sheet.write(b"</sheetData></worksheet>")
