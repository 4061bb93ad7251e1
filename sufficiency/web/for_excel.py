"""A run's output file as a download for a person, who opens a CSV in Excel.

The outputs are written as UTF-8 without a byte-order mark (the nightly job, the API and
other programs read them back). Excel on Windows opens a CSV without one in the
computer's own code page: a downloaded ``spend.csv`` or ``matches.csv`` showed "£" as
"Â£" and "Siân" as "SiÃ¢n". A CSV download therefore begins with the UTF-8 byte-order
mark, which tells Excel the file is UTF-8; the file on disk is unchanged, and everything
that reads a CSV back here (the readers of ``sufficiency.io``, pandas) skips the mark.
Other files (the workbooks) are served as written.
"""

from __future__ import annotations

from pathlib import Path

from starlette.responses import FileResponse, Response

#: The UTF-8 byte-order mark.
BOM = b"\xef\xbb\xbf"


def download(path: Path, media_type: str, name: str) -> Response:
    """``path`` as the download ``name``: a CSV with the byte-order mark first (once)."""
    if not name.lower().endswith(".csv"):
        return FileResponse(path, media_type=media_type, filename=name)
    data = path.read_bytes()
    body = data if data.startswith(BOM) else BOM + data
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
