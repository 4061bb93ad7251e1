"""Human-facing HTML pages: Jinja2 templates and charts drawn with matplotlib.

Every HTML report (forecast, commissioning case, 8am match report) is rendered from a
template in ``templates/`` that extends ``base.html`` (one stylesheet, A4-landscape
print rules, WCAG 2.2 AA colours and structure). Charts are matplotlib SVG embedded
in the page, so a report is one self-contained file that opens offline, and each
chart carries its data as a table beside it (:class:`Chart`). The web application
uses the same templates and charts.
"""

from __future__ import annotations

from sufficiency.pages.charts import Chart, bar_chart, fan_chart
from sufficiency.pages.render import render_page, table_html

__all__ = ["Chart", "bar_chart", "fan_chart", "render_page", "table_html"]
