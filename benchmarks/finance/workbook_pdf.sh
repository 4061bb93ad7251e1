#!/usr/bin/env bash
# Evidence that the finance workbook opens cleanly outside openpyxl: project spend on
# the sample authority, convert spend.xlsx to PDF with LibreOffice headless, and
# render its pages as PNG images to look at.
#
# Run: bash benchmarks/finance/workbook_pdf.sh [OUT_DIR]
# Needs: apt-get install libreoffice-calc-nogui poppler-utils
set -euo pipefail
usage="usage: bash benchmarks/finance/workbook_pdf.sh [OUT_DIR] (default out/spend-evidence)"
case "${1:-}" in
    -h|--help) echo "$usage"; exit 0 ;;
    -*) echo "workbook_pdf.sh: $1 is not an option; $usage" >&2; exit 2 ;;
esac
if [ $# -gt 1 ]; then echo "workbook_pdf.sh: one OUT_DIR at most; $usage" >&2; exit 2; fi
out=${1:+$(realpath -m "$1")}  # a folder given is from where the script was run
cd "$(dirname "$0")/../.."
out=${out:-out/spend-evidence}
if [ -e "$out" ] && [ ! -d "$out" ]; then
    echo "workbook_pdf.sh: $out is a file, not a folder to write into" >&2; exit 2
fi
for tool in soffice pdfinfo pdftoppm; do
    if ! command -v "$tool" >/dev/null; then
        echo "workbook_pdf.sh: $tool is not installed (apt-get install libreoffice-calc-nogui poppler-utils)" >&2
        exit 2
    fi
done
if [ ! -x .venv/bin/sufficiency ]; then
    echo "workbook_pdf.sh: $(pwd)/.venv/bin/sufficiency is missing (make install makes it)" >&2
    exit 2
fi
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
