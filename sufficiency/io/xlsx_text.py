"""How much text a workbook column holds, in Calibri as Excel prints it and in Carlito (its
metric twin) as LibreOffice does: the lines a wrapped cell takes, so its row is set as
tall (spreadsheets do not grow a row for wrapped text on opening), and the width a header
word needs to print whole.

Text is measured with the fonts' own advance widths (Calibri's and Carlito's are the same
by design; :data:`REGULAR` and :data:`BOLD`, read from Carlito), against the column's
width as the spreadsheets draw it, ``7w + 5`` pixels for ``w`` characters, less the
cell's padding. The rows were sized at ``0.85w`` characters a line, DejaVu Sans's, the
font LibreOffice printed in before the workbooks named Calibri and the render tools
installed Carlito: a wrapped paragraph was given a line or two more than it printed in.
Checked on the sample's renders: in bold, "Variance (mean" (71.8 points) wraps in a column
13 wide (72 points), "accommodation" (74.0) fits one 14 wide (77.25) and not one 11 wide.
"""

from __future__ import annotations

import math

#: Advance widths of the printable ASCII characters (space to ``~``), in 2048ths of the
#: font size, of Carlito (Calibri's metrics) regular and bold.
REGULAR = (
    463, 667, 821, 1020, 1038, 1464, 1397, 452, 621, 621, 1020, 1020, 511, 627, 517, 791,
    1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 548, 548, 1020, 1020, 1020,
    949, 1831, 1185, 1114, 1092, 1260, 1000, 941, 1292, 1276, 516, 653, 1064, 861, 1751,
    1322, 1356, 1058, 1378, 1112, 941, 998, 1314, 1162, 1822, 1063, 998, 959, 628, 791, 628,
    1020, 1020, 596, 981, 1076, 866, 1076, 1019, 625, 964, 1076, 470, 490, 931, 470, 1636,
    1076, 1080, 1076, 1076, 714, 801, 686, 1076, 925, 1464, 887, 927, 809, 644, 943, 644,
    1020,
)  # fmt: skip
BOLD = (
    463, 667, 898, 1020, 1038, 1493, 1443, 478, 638, 638, 1020, 1020, 528, 627, 547, 880,
    1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 565, 565, 1020, 1020, 1020,
    949, 1840, 1241, 1148, 1084, 1291, 999, 940, 1305, 1292, 546, 678, 1120, 866, 1790,
    1349, 1385, 1090, 1405, 1153, 968, 1014, 1337, 1211, 1856, 1128, 1064, 979, 665, 880,
    665, 1020, 1020, 615, 1011, 1099, 857, 1099, 1031, 648, 971, 1099, 503, 523, 983, 503,
    1666, 1099, 1101, 1099, 1099, 728, 817, 710, 1099, 969, 1526, 941, 970, 814, 704, 973,
    704, 1020,
)  # fmt: skip
#: Any other character (£, an accented letter, a dash) as wide as a digit.
OTHER = 1038
#: The workbooks' font size, points.
SIZE = 11.0
#: Points of a column's width its cell does not print in (padding either side).
PADDING = 3.0


def text_points(text: str, bold: bool = False) -> float:
    """Width of ``text`` on one line, in points, in Calibri (Carlito) 11."""
    table = BOLD if bold else REGULAR
    units = sum(table[o - 32] if 32 <= (o := ord(ch)) < 127 else OTHER for ch in text)
    return units / 2048 * SIZE


def available_points(width: float) -> float:
    """Points a line of a column ``width`` characters wide holds."""
    return max((7 * width + 5) * 0.75 - PADDING, 12.0)


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """Lines ``text`` takes wrapped at word breaks in a column ``width`` characters wide
    (each of its own lines begun afresh; a word longer than a line broken across lines)."""
    room = available_points(width)
    space = text_points(" ", bold)
    total = 0
    for para in str(text).split("\n"):
        lines, used = 1, 0.0
        for word in para.split():
            w = text_points(word, bold)
            if used and used + space + w <= room:
                used += space + w
                continue
            if used:
                lines += 1
            lines += max(math.ceil(w / room) - 1, 0)  # a word wider than a line, broken
            used = w - room * max(math.ceil(w / room) - 1, 0)
        total += lines
    return total


def width_for_words(text: str, bold: bool = True) -> int:
    """The least column width in which each word of ``text`` (a header, in bold) prints
    whole: "Supported accommodation" in a column 11 wide broke "accommoda / tion"."""
    widest = max((text_points(w, bold) for w in str(text).split()), default=0.0)
    return max(math.ceil(((widest + PADDING) / 0.75 - 5) / 7), 1)
