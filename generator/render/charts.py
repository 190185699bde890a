"""Responsibility charts as static SVG: data in, SVG text out (no JavaScript, no network).

Used by the internal site and, embedded as they are, by the PDFs. Every function is pure.
Chinese text stays as <text> with a CJK font stack; sizes are computed from the text (a CJK
character is about 1 em wide, Latin letters and digits about 0.6 em).
The SVG is built with ElementTree, so text from content is escaped by the serializer.
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


def _row(boxes: list[Box], y: float, gap: float, width: float) -> float:
    """Place boxes centred in one row starting at y; return the row height."""
    total = sum(b.w for b in boxes) + gap * (len(boxes) - 1)
    x = (width - total) / 2
    for b in boxes:
        b.x, b.y = x, y
        x += b.w + gap
    return max((b.h for b in boxes), default=0)


def _connect(svg: Svg, parent: Box, children: list[Box], color=LINE) -> None:
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


def _person_line(content, pid: str | None, with_position: bool = True) -> str:
    if not pid:
        return "（未指定）"
    p = content.people.get(pid, {})
    name = p.get("name", pid)
    return f"{name}（{p['position']}）" if with_position and p.get("position") else name


def _village_member_line(content, pid: str) -> str:
    """A village member: "（书记）" when the roster's position says so, else the position itself."""
    position = content.people.get(pid, {}).get("position") or ""
    if "书记" in position:
        return _person_line(content, pid, False) + "（书记）"
    return _person_line(content, pid)


def _split_rows(boxes: list[Box], max_width: float, gap: float) -> list[list[Box]]:
    rows: list[list[Box]] = [[]]
    used = 0.0
    for b in boxes:
        if rows[-1] and used + gap + b.w > max_width:
            rows.append([])
            used = 0.0
        used += (gap if rows[-1] else 0) + b.w
        rows[-1].append(b)
    return [r for r in rows if r]


def org_chart(content, max_width: float = 1180) -> str:
    """The 工作专班: leader, deputies, member units, the office, the village task forces."""
    tf = content.taskforce
    people = content.people
    title = tf.get("name", "工作专班")
    svg = Svg(f"{title}组织架构图")
    margin, vgap, hgap = 20, 44, 14

    leader = Box(["组长", _person_line(content, tf.get("leader"))], fill=ACCENT, stroke=ACCENT,
                 head_color="#ffffff", sub_color="#ffffff")
    deputies = [Box(["副组长", _person_line(content, d)], fill=ACCENT_BG, stroke=ACCENT)
                for d in tf.get("deputies", [])]
    office = tf.get("office") or {}
    office_lines = [f"专班办公室（设在{content.unit_name(office.get('unit'))}）"]
    if office.get("director"):
        office_lines.append("主任：" + _person_line(content, office["director"], False))
    if office.get("deputy_directors"):
        office_lines.append("副主任：" + "、".join(_person_line(content, p, False)
                                               for p in office["deputy_directors"]))
    if office.get("staff"):
        office_lines.append("日常工作：" + "、".join(_person_line(content, p, False)
                                                  for p in office["staff"]))
    office_box = Box(office_lines, fill="#fff8e6", stroke="#c48a00")

    # Members grouped by their unit: departments first, then village secretaries.
    village_ids = {u["id"] for u in content.units.values() if u["kind"] == "village"}
    dept_members: dict[str, list[str]] = {}
    village_members: dict[str, list[str]] = {}
    for pid in tf.get("members", []):
        unit = people.get(pid, {}).get("unit") or ""
        target = village_members if unit in village_ids else dept_members
        target.setdefault(unit, []).append(pid)
    dept_boxes = [Box([content.unit_name(u) or "其他"] + [_person_line(content, p) for p in pids])
                  for u, pids in dept_members.items()]
    vill_member_boxes = [Box([content.unit_name(u)] + [_village_member_line(content, p) for p in pids],
                             fill=VILLAGE_BG, stroke=VILLAGE_INK, head_color=VILLAGE_INK)
                         for u, pids in village_members.items()]
    vtf_boxes = []
    for vt in tf.get("village_taskforces", []):
        lines = [f"{content.unit_name(vt['unit'])}工作专班",
                 "组长：" + _person_line(content, vt.get("leader"), False)]
        lines += ["成员：" + _person_line(content, m) for m in vt.get("members", [])]
        vtf_boxes.append(Box(lines, fill=VILLAGE_BG, stroke=VILLAGE_INK, head_color=VILLAGE_INK))

    inner = max_width - 2 * margin
    member_rows = _split_rows(dept_boxes + vill_member_boxes, inner, hgap)
    vtf_rows = _split_rows(vtf_boxes, inner, hgap)
    dep_w = sum(b.w for b in deputies) + hgap * max(len(deputies) - 1, 0)
    row_widths = [sum(b.w for b in r) + hgap * (len(r) - 1) for r in member_rows + vtf_rows]
    width = max([leader.w, 2 * (dep_w / 2 + 60 + office_box.w)] + row_widths) + 2 * margin + 24
    width = max(width, 640)

    y = margin + 30
    svg.text(width / 2, margin + 12, title, size=18, color=ACCENT, anchor="middle", bold=True)
    if tf.get("basis"):
        svg.text(width / 2, margin + 30, f"依据：{tf['basis']}", size=12, color=MUTED, anchor="middle")
        y += 14
    y += _row([leader], y, hgap, width) + vgap
    dep_h = _row(deputies, y, hgap, width) if deputies else 0
    anchor = deputies[-1] if deputies else leader
    office_box.x = (anchor.x + anchor.w + 60) if deputies else width - margin - office_box.w
    office_box.y = y
    y += max(dep_h, office_box.h) + vgap

    frames = []  # (label, colour, top, bottom) of the member and village task-force groups
    for label, rows, color in (("成员（按单位；绿色为村〔社区〕）", member_rows, LINE),
                               ("村（社区）工作专班", vtf_rows, VILLAGE_INK)):
        if not rows:
            continue
        top = y
        y += 28
        for r in rows:
            y += _row(r, y, hgap, width) + hgap
        frames.append((label, color, top, y))
        y += vgap
    height = y - vgap + margin

    # Connectors first, so boxes paint over the line ends.
    _connect(svg, leader, deputies)
    head = deputies[0] if deputies else leader
    previous = (head.x + head.w / 2, head.y + head.h)
    for label, color, top, bottom in frames:
        svg.line(previous[0], previous[1], previous[0], top, LINE if color == LINE else color,
                 dash=color != LINE)
        svg.rect(margin, top, width - 2 * margin, bottom - top, fill="#fbfcfd", stroke=color, rx=8, dash=True)
        svg.text(margin + 12, top + 19, label, size=13, color=MUTED if color == LINE else color, bold=True)
        previous = (width / 2, bottom)
    # The office hangs off its director with a dashed line.
    if deputies:
        svg.line(anchor.x + anchor.w, anchor.y + anchor.h / 2, office_box.x, office_box.y + office_box.h / 2,
                 "#c48a00", dash=True)
    for b in [leader, *deputies, office_box, *dept_boxes, *vill_member_boxes, *vtf_boxes]:
        b.draw(svg)
    return svg.finish(width, height)


def responsibility_matrix(content, matrix) -> str:
    """Measures (二) and requirements (三) × units; ● lead, ○ supporting (`matrix`: Tables.responsibility)."""
    items = content.responsibilities.get("items", [])
    roles = {(r.item, r.unit): r.role for r in matrix.itertuples()}
    used = {r.unit for r in matrix.itertuples()}
    units = [u for u in content.units.values() if u["kind"] == "department"]
    units += [u for u in content.units.values() if u["kind"] == "village"]
    units = [u for u in units if u["id"] in used or u["kind"] == "department"]

    svg = Svg("责任分工矩阵")
    margin, row_h, col_w = 16, 34, 34
    labels = [f"{it.get('section', '')} {it.get('title', '')}" for it in items]
    label_w = max([text_width(s, FS) for s in labels] + [200]) + 2 * PAD
    header_chars = max([len(u["name"]) for u in units] + [2])
    header_h = header_chars * (FS + 1) + 40
    top = margin + 34
    grid_x = margin + label_w
    basis = content.responsibilities.get("basis")
    heading = f"责任分工矩阵（依据：{basis}）" if basis else "责任分工矩阵"
    width = max(grid_x + col_w * len(units), margin + text_width(heading, 16)) + margin
    height = top + header_h + row_h * len(items) + 40 + margin

    svg.text(margin, margin + 14, heading, size=16, color=ACCENT, bold=True)
    # Group bands over the unit columns.
    for kind, label, color in (("department", "镇级部门", ACCENT), ("village", "村（社区）", VILLAGE_INK)):
        idx = [i for i, u in enumerate(units) if u["kind"] == kind]
        if not idx:
            continue
        x0, x1 = grid_x + idx[0] * col_w, grid_x + (idx[-1] + 1) * col_w
        svg.rect(x0 + 1, top, x1 - x0 - 2, 22, fill=ACCENT_BG if kind == "department" else VILLAGE_BG,
                 stroke=color, rx=3)
        svg.text((x0 + x1) / 2, top + 16, label, size=13, color=color, anchor="middle", bold=True)
    # Column headers: unit names written top to bottom, one character per line.
    for i, u in enumerate(units):
        cx = grid_x + i * col_w + col_w / 2
        color = VILLAGE_INK if u["kind"] == "village" else INK
        for j, ch in enumerate(u["name"]):
            svg.text(cx, top + 30 + FS + j * (FS + 1), ch, size=FS, color=color, anchor="middle")
    body = top + header_h
    section_break = None
    for r, (it, label) in enumerate(zip(items, labels, strict=True)):
        y = body + r * row_h
        if r % 2 == 0:
            svg.rect(margin, y, width - 2 * margin, row_h, fill="#f5f7fa", stroke="none", rx=0)
        part = str(it.get("section", ""))[:1]
        if section_break is not None and part != section_break:
            svg.line(margin, y, width - margin, y, ACCENT, 1.5)
        section_break = part
        svg.text(margin + PAD, y + row_h / 2 + FS / 2 - 2, label, size=FS)
        for i, u in enumerate(units):
            role = roles.get((it["id"], u["id"]))
            cx, cy = grid_x + i * col_w + col_w / 2, y + row_h / 2
            if role == "牵头":
                svg.circle(cx, cy, 7, ACCENT, ACCENT)
            elif role == "配合":
                svg.circle(cx, cy, 6.5, PAPER, ACCENT)
    for i in range(len(units) + 1):
        x = grid_x + i * col_w
        svg.line(x, top + 26, x, body + row_h * len(items), "#d9dee4", 1)
    svg.line(margin, body, width - margin, body, LINE, 1)
    svg.line(margin, body + row_h * len(items), width - margin, body + row_h * len(items), LINE, 1)
    ly = body + row_h * len(items) + 26
    svg.circle(margin + 8, ly - 5, 7, ACCENT, ACCENT)
    svg.text(margin + 22, ly, "牵头", size=13)
    svg.circle(margin + 78, ly - 5, 6.5, PAPER, ACCENT)
    svg.text(margin + 92, ly, "配合", size=13)
    svg.text(margin + 140, ly, "“全体村（社区）”“行业主管部门”已展开为具体单位。", size=12, color=MUTED)
    return svg.finish(width, height)


def grid(content, coverage) -> str:
    """网格化管理: village → projects and enterprises → 治欠协管员 and 包保责任人.

    `coverage` is Tables.coverage: one row per active project and enterprise.
    """
    svg = Svg("网格化管理图")
    margin, gap, row_gap = 16, 36, 8
    villages = [u for u in content.units.values() if u["kind"] == "village"]
    rows_by_village: dict[str, list] = {}
    for r in coverage.itertuples():
        rows_by_village.setdefault(r.village or "", []).append(r)
    leaders = {vt["unit"]: vt.get("leader") for vt in content.taskforce.get("village_taskforces", [])}

    def item_lines(r) -> list[str]:
        return [f"{r.kind}：{r.name}"]

    def duty_lines(r) -> list[str]:
        return [f"协管员：{r.coordinator_name or '未指定'}", f"包保：{r.baobao_name or '未指定'}"]

    all_rows = [r for rows in rows_by_village.values() for r in rows]
    leader_lines = ["组长：" + content.person_name(p) for p in leaders.values()]
    vw = max([text_width(v["name"], FS) for v in villages]
             + [text_width(s, FS - 1) for s in leader_lines] + [60]) + 2 * PAD + 4
    iw = max([text_width(item_lines(r)[0], FS) for r in all_rows] + [180]) + 2 * PAD
    dw = max([text_width(s, FS - 1) for r in all_rows for s in duty_lines(r)] + [160]) + 2 * PAD + 20
    x_v, x_i = margin, margin + vw + gap
    x_d = x_i + iw + gap
    width = x_d + dw + margin
    item_h = 2 * FS + 5 + 2 * PAD + 2
    y = margin + 34
    svg.text(margin, margin + 14, "网格化管理：村（社区）→ 项目和企业 → 治欠协管员、包保责任人", size=16,
             color=ACCENT, bold=True)
    order = [v["id"] for v in villages] + [k for k in rows_by_village if k not in {v["id"] for v in villages}]
    for vid in order:
        rows = rows_by_village.get(vid, [])
        block_h = max(len(rows), 1) * (item_h + row_gap) - row_gap
        vlines = [content.unit_name(vid) or "未指定村（社区）"]
        if leaders.get(vid):
            vlines.append("组长：" + content.person_name(leaders[vid]))
        vbox = Box(vlines, fill=VILLAGE_BG, stroke=VILLAGE_INK, head_color=VILLAGE_INK)
        vbox.x, vbox.y = x_v, y + (block_h - vbox.h) / 2
        if not rows:
            vbox.draw(svg)
            svg.text(x_i, y + block_h / 2 + 5, "（无在建项目和重点企业）", size=13, color=MUTED)
            y += block_h + 22
            continue
        vx, vy = x_v + vw, vbox.y + vbox.h / 2
        midx = vx + gap / 2
        for k, r in enumerate(rows):
            ry = y + k * (item_h + row_gap)
            cy = ry + item_h / 2
            svg.polyline([(vx, vy), (midx, vy), (midx, cy), (x_i, cy)])
            svg.rect(x_i, ry, iw, item_h, fill=ACCENT_BG if r.kind == "项目" else "#f3eefa",
                     stroke=ACCENT if r.kind == "项目" else "#6b4fa0")
            svg.text(x_i + PAD, ry + PAD + FS - 1, item_lines(r)[0], size=FS, bold=True)
            marks = [("告示牌", r.notice_board), ("渝薪码", r.yuxinma)]
            mx = x_i + PAD
            for label, ok in marks:
                s = f"{'✓' if ok else '✗'} {label}"
                svg.text(mx, ry + PAD + 2 * FS + 4, s, size=FS - 2, color=VILLAGE_INK if ok else WARN)
                mx += text_width(s, FS - 2) + 14
            svg.line(x_i + iw, cy, x_d, cy)
            missing = not r.coordinator or not r.baobao
            svg.rect(x_d, ry, dw, item_h, stroke=WARN if missing else LINE)
            for j, s in enumerate(duty_lines(r)):
                bad = (j == 0 and not r.coordinator) or (j == 1 and not r.baobao)
                svg.text(x_d + PAD, ry + PAD + FS - 1 + j * (FS + 5), s, size=FS - 1,
                         color=WARN if bad else INK)
        vbox.draw(svg)
        y += block_h + 22
    return svg.finish(width, y + margin - 22)
