#!/usr/bin/env bash
# Install (if needed) what `make render` and tests/render use, from Debian's packages:
# LibreOffice Calc without its GUI (workbooks to PDF), Chromium (HTML reports to PDF, axe-core
# checks), poppler-utils (PDF pages to PNG and text) and fonts: Carlito is metric-compatible
# with Calibri, the workbooks' font (without it LibreOffice printed them in DejaVu Sans, wider,
# wrapping and paging unlike Excel). Quiet, and does nothing when all is installed. Used by
# .ci/run; needs root (or sudo).
set -euo pipefail
packages=(libreoffice-calc-nogui chromium poppler-utils fonts-liberation fonts-dejavu-core
          fonts-crosextra-carlito)
missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
echo "Installing ${missing[*]} (Debian packages) for make render" >&2
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
