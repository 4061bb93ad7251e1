"""The match report page printed as a placement team prints it (Chromium, A4 landscape):
each child's figures on one line and their sentences on full-width rows under them
(matching/html_rows.py), a child's rows never split across pages.

With the sentences in narrow wrapped columns ("In-house foster care" on four lines) the
sample night's page printed on 15 pages, Children placed on 10; now 11 and 7."""

from __future__ import annotations

import re

import rendering

#: At most, on the sample night (measured 11 and 7; 15 and 10 before).
PAGES, CHILDREN_PLACED_PAGES = 12, 7


def test_match_report_page_prints_each_child_on_rows_kept_together(rendered) -> None:
    item = rendered["match/match_report.html"]
    pages = rendering.page_texts(item.pdf)
    assert len(pages) <= PAGES, f"match_report.html prints on {len(pages)} pages"
    start = next(i for i, p in enumerate(pages) if "Children placed tonight" in p)
    end = next(i for i, p in enumerate(pages) if "Children not placed" in p)
    section = [[ln.split() for ln in p.splitlines() if ln.strip()] for p in pages[start : end + 1]]
    section = [lines for lines in section if ["Child", "Home"] in [w[:2] for w in lines]]
    assert end - start <= len(section) <= CHILDREN_PLACED_PAGES, (start, end, len(section))
    for lines in section:
        header = next(i for i, words in enumerate(lines) if words[:2] == ["Child", "Home"])
        # the header repeated (its second line: "(£) home school"), then a child's
        # figures: never a page opening on the sentences of a child on the page before
        first = next(w for w in lines[header + 1 :] if not set(w) <= {"(£)", "home", "school"})
        assert re.fullmatch(r"R\d+", first[0]) and re.fullmatch(r"PL\d+", first[1]), first
        for words in lines:  # a type of home on one line, not wrapped
            assert "In-house foster care" in " ".join(words) or "In-house" not in words, words
