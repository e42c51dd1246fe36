"""Bar charts drawn on the server as SVG: no chart library, nothing fetched, no script.

Each bar carries its label and its number as text, so a chart reads without colour (and the
same numbers stand in a table beside it). Geometry only; portal/_bar_chart.html draws it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    horizontal: bool
    axis_y: float = 0


def horizontal(items: list[tuple[str, float, str]], *, label_width: int = 120) -> Chart:
    """One row per item: the label left, the bar, its number at the bar's end."""
    width, row, thickness, room = 560, 30, 18, 60
    biggest = max((value for _l, value, _t in items), default=0) or 1
    span = width - label_width - room
    bars = []
    for index, (label, value, text) in enumerate(items):
        y = index * row + (row - thickness) / 2
        length = max(1.0, span * value / biggest) if value else 0.0
        bars.append(
            Bar(label, text, label_width, y, length, thickness,
                label_width - 8, y + thickness - 4, label_width + length + 6, y + thickness - 4)
        )  # fmt: skip
    return Chart(width, max(row, row * len(items)), bars, True)


def vertical(items: list[tuple[str, float, str]]) -> Chart:
    """One column per item: the bar, its number above it, the label below."""
    width, height, top, bottom = 560, 200, 20, 28
    slot = width / max(1, len(items))
    thickness = slot * 0.6
    biggest = max((value for _l, value, _t in items), default=0) or 1
    span = height - top - bottom
    bars = []
    for index, (label, value, text) in enumerate(items):
        length = span * value / biggest if value else 0.0
        x = index * slot + (slot - thickness) / 2
        y = height - bottom - length
        middle = x + thickness / 2
        bars.append(Bar(label, text, x, y, thickness, length, middle, height - 8, middle, y - 5))
    return Chart(width, height, bars, False, axis_y=height - bottom)
