"""The finance workbook opens in LibreOffice without repair: headless conversion to PDF."""

from __future__ import annotations

import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


NO_SOFFICE = "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"


@pytest.mark.skipif(SOFFICE is None, reason=NO_SOFFICE)
def test_workbook_converts_to_pdf_with_libreoffice(workbook, tmp_path):
    """soffice --headless --convert-to pdf succeeds and writes a complete PDF."""
    out, _ = workbook
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / "spend.xlsx")],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "spend.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    data = pdf.read_bytes()
    assert data.rstrip().endswith(b"%%EOF") and len(data) > 20_000
