#!/usr/bin/env bash
# Evidence that the finance workbook opens cleanly outside openpyxl: project spend on
# the sample authority, convert spend.xlsx to PDF with LibreOffice headless, and
# render its pages as PNG images to look at.
#
# Run: bash benchmarks/finance/workbook_pdf.sh [OUT_DIR]
# Needs: apt-get install libreoffice-calc-nogui poppler-utils
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-out/spend-evidence}
mkdir -p "$out"
scenario=()
if [ -f data/sample/scenarios/step_down_and_in_house.toml ]; then
    scenario=(--scenario data/sample/scenarios/step_down_and_in_house.toml)
fi
.venv/bin/sufficiency spend --history data/sample/ssda903 --out "$out" --date 2026-04-01 \
    --budget data/sample/budget.csv "${scenario[@]}"
soffice --headless --convert-to pdf --outdir "$out" "$out/spend.xlsx"
pdfinfo "$out/spend.pdf" | grep -E "^Pages"
pdftoppm -png -r 80 "$out/spend.pdf" "$out/spend-page"
ls "$out"/spend-page*.png
