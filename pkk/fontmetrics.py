"""Advance widths of Arial / Liberation Sans (metric-compatible: same widths glyph for glyph), so the Excel
writer and the tests can compute how wide a text prints without a font file at run time.

Widths are in font units of a 2048-unit em for printable ASCII (32-126), regular and bold, read once from
Liberation Sans 2 with Pillow (``ImageFont.getlength``). Other characters (accented letters, the tick mark
"\u2713") count as a wide capital, which over-estimates: a column may come out a little wide, never too narrow.
"""

from __future__ import annotations

FONT_NAME = "Arial"  # Liberation Sans in LibreOffice installs: the same metrics
UNITS_PER_EM = 2048
_FIRST = 32
_OTHER = 1593  # unknown characters: as wide as "O"

_REGULAR = (
    569,
    569,
    727,
    1139,
    1139,
    1821,
    1366,
    391,
    682,
    682,
    797,
    1196,
    569,
    682,
    569,
    569,
    1139,
    1139,
    1139,
    1139,
    1139,
    1139,
    1139,
    1139,
    1139,
    1139,
    569,
    569,
    1196,
    1196,
    1196,
    1139,
    2079,
    1366,
    1366,
    1479,
    1479,
    1366,
    1251,
    1593,
    1479,
    569,
    1024,
    1366,
    1139,
    1706,
    1479,
    1593,
    1366,
    1593,
    1479,
    1366,
    1251,
    1479,
    1366,
    1933,
    1366,
    1366,
    1251,
    569,
    569,
    569,
    961,
    1139,
    682,
    1139,
    1139,
    1024,
    1139,
    1139,
    569,
    1139,
    1139,
    455,
    455,
    1024,
    455,
    1706,
    1139,
    1139,
    1139,
    1139,
    682,
    1024,
    569,
    1139,
    1024,
    1479,
    1024,
    1024,
    1024,
    684,
    532,
    684,
    1196,
)
_BOLD = (
    569,
    682,
    971,
    1139,
    1139,
    1821,
    1479,
    487,
    682,
    682,
    797,
    1196,
    569,
    682,
    569,
    569,
    1139,
    1139,
    1139,
    1139,
    1139,
    1139,
    1139,
    1139,
    1139,
    1139,
    682,
    682,
    1196,
    1196,
    1196,
    1251,
    1997,
    1479,
    1479,
    1479,
    1479,
    1366,
    1251,
    1593,
    1479,
    569,
    1139,
    1479,
    1251,
    1706,
    1479,
    1593,
    1366,
    1593,
    1479,
    1366,
    1251,
    1479,
    1366,
    1933,
    1366,
    1366,
    1251,
    682,
    569,
    682,
    1196,
    1139,
    682,
    1139,
    1251,
    1139,
    1251,
    1139,
    682,
    1251,
    1251,
    569,
    569,
    1139,
    569,
    1821,
    1251,
    1251,
    1251,
    1251,
    797,
    1139,
    682,
    1251,
    1139,
    1593,
    1139,
    1139,
    1024,
    797,
    573,
    797,
    1196,
)


def advance(ch: str, *, bold: bool = False) -> int:
    """Advance width of one character in font units."""
    table = _BOLD if bold else _REGULAR
    i = ord(ch) - _FIRST
    if 0 <= i < len(table):
        return table[i]
    return _OTHER


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in points of ``text`` on one line at ``size`` points."""
    return sum(advance(ch, bold=bold) for ch in text) * size / UNITS_PER_EM


def longest_word_width(text: str, size: float, *, bold: bool = False) -> float:
    """The widest word of ``text`` (a wrapped cell must be at least this wide: words never break)."""
    return max((text_width(word, size, bold=bold) for word in text.split()), default=0.0)


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Lines of ``text`` wrapped at word boundaries to ``width`` points (a word wider than the line
    stays whole on its own line, as Excel and LibreOffice do)."""
    lines: list[str] = []
    space = text_width(" ", size, bold=bold)
    current, current_w = "", 0.0
    for word in text.split():
        w = text_width(word, size, bold=bold)
        if current and current_w + space + w <= width:
            current, current_w = f"{current} {word}", current_w + space + w
        else:
            if current:
                lines.append(current)
            current, current_w = word, w
    if current or not lines:
        lines.append(current)
    return lines


# Excel column widths are counted in "characters": the widest digit of the workbook's default font
# (Calibri 11 = 7 px at 96 dpi), plus 5 px of cell padding.
PX_PER_PT = 96 / 72
DIGIT_PX = 7
PADDING_PX = 5


def points_to_excel_width(points: float) -> float:
    """The Excel column width whose visible text area is ``points`` wide."""
    return round((points * PX_PER_PT + PADDING_PX) / DIGIT_PX + 0.05, 2)


def excel_width_to_points(width: float) -> float:
    """The visible text area of an Excel column of ``width`` (inverse of ``points_to_excel_width``)."""
    return max(width * DIGIT_PX - PADDING_PX, 0) / PX_PER_PT


def column_points(width: float) -> float:
    """The printed width of a whole column of ``width`` (text area and padding)."""
    return width * DIGIT_PX / PX_PER_PT
