"""The look our workbooks share: money and count formats, the blue header fill, bold, wrapped text.

One place for what the forecast, spend, commissioning, region and data-quality sheets
have in common, so a change of house style is made once. A workbook with its own look
keeps its own (matching names Calibri; commissioning shows a negative sum in red; the
region's header is a paler blue). Imported by the modules that write workbooks, each of
which imports openpyxl already (:mod:`sufficiency.io.xlsx` imports it inside its functions).
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill

#: Money: negatives get a minus sign and no colour (a spend figure is not "bad" for being low).
GBP = '"£"#,##0;-"£"#,##0'
#: Variance against budget (projection - budget): overspend (positive) is adverse and red;
#: underspend (negative) is favourable, shown with a minus sign and not red.
VARIANCE = '[Red]"£"#,##0;-"£"#,##0;"£"0'
#: Children, places, households: whole numbers with thousands separators.
COUNT = "#,##0"
#: A table's header row: bold on light blue.
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(name="Calibri", bold=True)
#: Text that wraps within its column, from the top of the cell.
WRAP = Alignment(wrap_text=True, vertical="top")
