"""``match_report.html``: the 8am match report as one printable, accessible page.

The same content and order as the workbook (:mod:`.report`): the headline and every
flag, the children placed in plain words, the children not placed with their reasons
in full, and an appendix of technical detail. Rendered from
``sufficiency/pages/templates/match_report.html``; the page holds no run time, so the
same run gives the same bytes.
"""

from __future__ import annotations

from sufficiency.matching.by_council import COUNCIL_HEADERS
from sufficiency.matching.html_rows import texts_table
from sufficiency.matching.report import MatchReport
from sufficiency.pages import render_page
from sufficiency.pages.render import gbp, miles

#: The page's sections a flag can point to, by the workbook sheet it names.
ANCHORS: dict[str, str] = {
    "Children placed": "placed",
    "Not placed": "not-placed",
    "Set aside": "set-aside",
    "Input notes": "input-notes",
    "Decisions": "decisions",
    "Technical detail": "technical",
}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        if value.is_integer():
            return f"{value:,.0f}"
        return f"{value:,.2f}" if abs(value) >= 100 else f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render_html(report: MatchReport) -> str:
    """The report as an HTML page."""
    formats = {
        "weekly_cost": gbp,
        "miles_from_home": miles,
        "miles_from_school": miles,
        "nearest_miles_from_home": miles,
    }
    technical = [(k, _text(v)) for k, v in report.technical]
    # the homes meeting every rule that the plan gives to others, for each child not
    # placed: the team may pin one (the page named only the nearest); no proposal to
    # set them against
    o = report.options
    unplaced_options = o[o["child_id"].isin(report.not_placed["child_id"])].drop(
        columns=["weekly_cost_difference"]
    )
    return render_page("match_report.html", title=report.title, r=report, formats=formats,
                       anchors=ANCHORS, technical=technical, council_headers=COUNCIL_HEADERS,
                       unplaced_options=unplaced_options, texts_table=texts_table)  # fmt: skip
