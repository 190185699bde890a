"""SVG building blocks for the charts: a small ElementTree builder, labelled boxes, rows and connectors.

Text from content stays as <text> with a CJK font stack and is escaped by the serializer; sizes are
computed from the text (a CJK character is about 1 em wide, Latin letters and digits about 0.6 em).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

FONT = ("'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', "
        "'Microsoft YaHei', 'PingFang SC', sans-serif")
SVG_NS = "http://www.w3.org/2000/svg"

INK = "#1f2933"
MUTED = "#52606d"
LINE = "#9aa5b1"
ACCENT = "#1f4e79"
ACCENT_BG = "#e8f0f8"
VILLAGE_BG = "#eef7ee"
VILLAGE_INK = "#276738"
WARN = "#b42318"
PAPER = "#ffffff"

FS = 14  # body font size (px)
PAD = 8  # padding inside boxes


def text_width(text: str, size: float = FS) -> float:
    """Estimated advance width of `text` at `size` px."""
    w = 0.0
    for ch in str(text):
        o = ord(ch)
        if o >= 0x2E80 or 0x2010 <= o <= 0x206F:  # CJK, fullwidth forms, “”‘’—…
            w += 1.0
        elif ch in "il.,:;'|!":
            w += 0.3
        elif ch == " ":
            w += 0.3
        elif ch.isupper() or ch in "mwMW":
            w += 0.7
        else:
            w += 0.56
    return w * size


class Svg:
    """A small builder over ElementTree for the shapes the charts need."""

    def __init__(self, title: str) -> None:
        self.root = ET.Element("svg", {"xmlns": SVG_NS, "role": "img", "aria-label": title})
        ET.SubElement(self.root, "title").text = title
        ET.SubElement(self.root, "rect", {"x": "0", "y": "0", "width": "100%", "height": "100%",
                                          "fill": PAPER})

    def rect(self, x, y, w, h, fill=PAPER, stroke=LINE, rx=4, dash: bool = False, width: float = 1) -> None:
        attrs = {"x": _n(x), "y": _n(y), "width": _n(w), "height": _n(h), "rx": _n(rx), "fill": fill,
                 "stroke": stroke, "stroke-width": _n(width)}
        if dash:
            attrs["stroke-dasharray"] = "4 3"
        ET.SubElement(self.root, "rect", attrs)

    def line(self, x1, y1, x2, y2, color=LINE, width: float = 1.2, dash: bool = False) -> None:
        attrs = {"x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2), "stroke": color,
                 "stroke-width": _n(width)}
        if dash:
            attrs["stroke-dasharray"] = "4 3"
        ET.SubElement(self.root, "line", attrs)

    def polyline(self, points, color=LINE, width: float = 1.2) -> None:
        ET.SubElement(self.root, "polyline", {"points": " ".join(f"{_n(x)},{_n(y)}" for x, y in points),
                                              "fill": "none", "stroke": color, "stroke-width": _n(width)})

    def circle(self, cx, cy, r, fill, stroke) -> None:
        ET.SubElement(self.root, "circle", {"cx": _n(cx), "cy": _n(cy), "r": _n(r), "fill": fill,
                                            "stroke": stroke, "stroke-width": "1.6"})

    def text(self, x, y, s, size=FS, color=INK, anchor="start", bold: bool = False) -> None:
        attrs = {"x": _n(x), "y": _n(y), "font-family": FONT, "font-size": _n(size), "fill": color}
        if anchor != "start":
            attrs["text-anchor"] = anchor
        if bold:
            attrs["font-weight"] = "bold"
        ET.SubElement(self.root, "text", attrs).text = str(s)

    def finish(self, width: float, height: float) -> str:
        w, h = _n(width), _n(height)
        self.root.set("width", w)
        self.root.set("height", h)
        self.root.set("viewBox", f"0 0 {w} {h}")
        return ET.tostring(self.root, encoding="unicode")


def _n(v) -> str:
    """Numbers without trailing zeros keep the SVG small and deterministic."""
    if isinstance(v, str):
        return v
    r = round(float(v), 1)
    return str(int(r)) if r == int(r) else str(r)


@dataclass
class Box:
    """A labelled box: a bold first line, then plain lines."""

    lines: list[str]
    fill: str = PAPER
    stroke: str = LINE
    head_color: str = INK
    sub_color: str = MUTED
    x: float = 0
    y: float = 0

    @property
    def w(self) -> float:
        widths = [text_width(self.lines[0], FS) if self.lines else 0]
        widths += [text_width(s, FS - 1) for s in self.lines[1:]]
        return max(widths) + 2 * PAD + 4

    @property
    def h(self) -> float:
        return PAD * 2 + FS + (len(self.lines) - 1) * (FS + 5) + 2

    def draw(self, svg: Svg) -> None:
        svg.rect(self.x, self.y, self.w, self.h, fill=self.fill, stroke=self.stroke)
        cx = self.x + self.w / 2
        y = self.y + PAD + FS - 1
        for i, s in enumerate(self.lines):
            color = self.head_color if i == 0 else self.sub_color
            svg.text(cx, y, s, size=FS if i == 0 else FS - 1, color=color, anchor="middle", bold=i == 0)
            y += FS + 5


def place_row(boxes: list[Box], y: float, gap: float, width: float) -> float:
    """Place boxes centred in one row starting at y; return the row height."""
    total = sum(b.w for b in boxes) + gap * (len(boxes) - 1)
    x = (width - total) / 2
    for b in boxes:
        b.x, b.y = x, y
        x += b.w + gap
    return max((b.h for b in boxes), default=0)


def connect(svg: Svg, parent: Box, children: list[Box], color=LINE) -> None:
    """Elbow connectors from the parent's bottom to each child's top through one horizontal bus."""
    if not children:
        return
    px, py = parent.x + parent.w / 2, parent.y + parent.h
    top = min(c.y for c in children)
    bus = py + (top - py) / 2
    svg.line(px, py, px, bus, color)
    xs = [c.x + c.w / 2 for c in children]
    svg.line(min(xs + [px]), bus, max(xs + [px]), bus, color)
    for c, x in zip(children, xs, strict=True):
        svg.line(x, bus, x, c.y, color)


def split_rows(boxes: list[Box], max_width: float, gap: float) -> list[list[Box]]:
    rows: list[list[Box]] = [[]]
    used = 0.0
    for b in boxes:
        if rows[-1] and used + gap + b.w > max_width:
            rows.append([])
            used = 0.0
        used += (gap if rows[-1] else 0) + b.w
        rows[-1].append(b)
    return [r for r in rows if r]
