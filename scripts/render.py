"""Render every human-facing output of ``make demo`` to PDF and PNG pages, for review.

Usage (``make render`` runs it on ``out/``)::

    python scripts/render.py out            # writes out/render/<job>/<file>.pdf and -N.png

Each workbook (``*.xlsx``) goes through LibreOffice headless, each HTML report
(``*.html``) is printed by headless Chromium (A4 landscape), and every PDF is cut
into PNG pages at 60 dpi with ``pdftoppm``. ``out/render`` is emptied first, so
what is there is exactly what the outputs look like now. Prints one line per file.
Needs Debian's ``libreoffice-calc-nogui chromium poppler-utils fonts-liberation
fonts-crosextra-carlito``
(``bash scripts/install_render_tools.sh``). Exits 1 if a tool is missing or a file
will not convert.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rendering import INSTALL_HINT, RENDER_DIRNAME, RenderError, missing_tools, render_outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outputs", type=Path, nargs="?", default=Path("out"),
                        help="the outputs folder (default: out)")  # fmt: skip
    parser.add_argument("--render-dir", type=Path, default=None,
                        help=f"where to write (default: OUTPUTS/{RENDER_DIRNAME})")  # fmt: skip
    parser.add_argument("--no-png", action="store_true", help="PDFs only")
    args = parser.parse_args(argv)
    if not args.outputs.is_dir():
        print(f"No outputs folder {args.outputs}: run `make demo` first.", file=sys.stderr)
        return 1
    missing = missing_tools()
    if missing:
        print(f"Missing: {', '.join(missing)}. Install: {INSTALL_HINT}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        done = render_outputs(args.outputs, args.render_dir, png=not args.no_png)
    except RenderError as err:
        print(f"Render failed: {err}", file=sys.stderr)
        return 1
    for item in done:
        pngs = f", {item.pages} PNG pages" if item.pngs else ""
        print(f"Rendered {item.source} -> {item.pdf}{pngs}")
    print(f"{len(done)} files rendered in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
