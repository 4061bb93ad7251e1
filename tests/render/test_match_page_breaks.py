"""The match workbook as a placement team prints it: each child's figures and the
sentences under them (matching/text_rows.py) on one page. Left to the spreadsheet, 7 of
Children placed's 8 pages after its first and 8 of Other options' 16 began with the
sentences of a row whose figures were at the foot of the page before."""

from __future__ import annotations

import re

import rendering

LABELS = ("Why this home", "Why not", "Flags")


def _opening(page: str) -> str | None:
    """The first line of a page that is a row's figures (its child's ID) or a sentence's
    label, as printed."""
    for line in page.splitlines():
        text = line.strip()
        if re.match(r"R\d+\s", text) or text.startswith(LABELS):
            return text
    return None


def test_no_page_of_the_match_workbook_opens_on_a_rows_sentences(rendered):
    pages = rendering.page_texts(rendered["match/match_report.xlsx"].pdf)
    checked, split = 0, []
    for n, page in enumerate(pages, start=1):
        if not re.search(r"(Children placed|Other options) - page \d+ of", page):
            continue
        checked += 1
        opening = _opening(page)
        if opening is None or not re.match(r"R\d+\s", opening):
            split.append(f"page {n}: {opening}")
    assert checked >= 10, f"only {checked} pages of Children placed and Other options"
    assert split == [], f"pages opening on the sentences of a row on the page before: {split}"
