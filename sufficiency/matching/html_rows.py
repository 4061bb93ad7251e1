"""The match report page's tables of children placed and of other homes, as a placement
team prints and reads them: each row's figures (child, home, type, provider, cost, miles,
next best option) on one line, and under it each of its sentences (why this home, why
not, flags) on a row of its own across the table, labelled with its header. A row
without flags has no Flags row. Each child's rows are one ``<tbody>``, kept together on
a printed page (``tbody.item`` in ``base.html``'s print rules).

With the sentences in narrow wrapped columns beside the figures, each child's row ran to
a dozen lines ("In-house foster care" on four): on the sample night the page printed on
15 A4 landscape pages. The workbook's sheets have the same layout
(:mod:`sufficiency.matching.text_rows`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from markupsafe import Markup, escape

from sufficiency import vocabulary
from sufficiency.matching.text_rows import TEXT_COLUMNS
from sufficiency.pages.render import Format, cell

#: The figures that may wrap (names, the next best option and its difference): the rest
#: print on one line ("In-house foster care" printed on two lines and more).
WRAP: frozenset[str] = frozenset({"provider", "next_best"})


def texts_table(
    frame: pd.DataFrame,
    caption: str,
    formats: Mapping[str, Format] | None = None,
    numeric: tuple[str, ...] = (),
) -> Markup:
    """``frame`` as an accessible table: the columns other than :data:`TEXT_COLUMNS` on
    one row, each text with any words under it on a row of its own, its header as a row
    header and the text in one cell across the rest of the table."""
    formats = formats or {}
    figures = [c for c in frame.columns if c not in TEXT_COLUMNS]
    texts = [c for c in frame.columns if c in TEXT_COLUMNS]
    nums = set(numeric)
    head = "".join(
        f'<th scope="col"{" class=num" if c in nums else ""}>{escape(vocabulary.column(c))}</th>'
        for c in figures
    )
    across = len(figures) - 1
    bodies = []
    for _, row in frame.iterrows():
        cells = []
        for j, c in enumerate(figures):
            text = formats[c](row[c]) if c in formats else cell(row[c])
            tag = "th scope=row" if j == 0 else "td"
            klass = " class=num" if c in nums else " class=wrap" if c in WRAP else ""
            cells.append(f"<{tag}{klass}>{escape(text)}</{tag.split()[0]}>")
        lines = [f'<tr class="figures">{"".join(cells)}</tr>']
        for c in texts:
            said = cell(row[c]).strip()
            if said:
                lines.append(
                    f'<tr class="text"><th scope="row" class="label">'
                    f"{escape(vocabulary.column(c))}</th>"
                    f'<td colspan="{across}">{escape(said)}</td></tr>'
                )
        bodies.append(f'<tbody class="item">{"".join(lines)}</tbody>')
    return Markup(
        f'<div class="table-wrap" tabindex="0"><table class="texts">'
        f"<caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"{''.join(bodies)}</table></div>"
    )
