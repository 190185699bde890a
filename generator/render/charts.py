"""Responsibility charts as static SVG: data in, SVG text out (no JavaScript, no network).

Used by the internal site and, embedded as they are, by the PDFs. Every function is pure; the shapes
come from svg.py.
"""

from __future__ import annotations

from generator.render.svg import (
    ACCENT,
    ACCENT_BG,
    FS,
    INK,
    LINE,
    MUTED,
    PAD,
    PAPER,
    VILLAGE_BG,
    VILLAGE_INK,
    WARN,
    Box,
    Svg,
    connect,
    place_row,
    split_rows,
    text_width,
)


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


def _office_box(content) -> Box:
    office = content.taskforce.get("office") or {}
    office_lines = [f"专班办公室（设在{content.unit_name(office.get('unit'))}）"]
    if office.get("director"):
        office_lines.append("主任：" + _person_line(content, office["director"], False))
    if office.get("deputy_directors"):
        office_lines.append("副主任：" + "、".join(_person_line(content, p, False)
                                               for p in office["deputy_directors"]))
    if office.get("staff"):
        office_lines.append("日常工作：" + "、".join(_person_line(content, p, False)
                                                  for p in office["staff"]))
    return Box(office_lines, fill="#fff8e6", stroke="#c48a00")


def _member_boxes(content) -> tuple[list[Box], list[Box], list[Box]]:
    """(department members, village members, village task forces): members grouped by their unit."""
    tf = content.taskforce
    people = content.people
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
    return dept_boxes, vill_member_boxes, vtf_boxes


def org_chart(content, max_width: float = 1180) -> str:
    """The 工作专班: leader, deputies, member units, the office, the village task forces."""
    tf = content.taskforce
    title = tf.get("name", "工作专班")
    svg = Svg(f"{title}组织架构图")
    margin, vgap, hgap = 20, 44, 14

    leader = Box(["组长", _person_line(content, tf.get("leader"))], fill=ACCENT, stroke=ACCENT,
                 head_color="#ffffff", sub_color="#ffffff")
    deputies = [Box(["副组长", _person_line(content, d)], fill=ACCENT_BG, stroke=ACCENT)
                for d in tf.get("deputies", [])]
    office_box = _office_box(content)
    dept_boxes, vill_member_boxes, vtf_boxes = _member_boxes(content)

    inner = max_width - 2 * margin
    member_rows = split_rows(dept_boxes + vill_member_boxes, inner, hgap)
    vtf_rows = split_rows(vtf_boxes, inner, hgap)
    dep_w = sum(b.w for b in deputies) + hgap * max(len(deputies) - 1, 0)
    row_widths = [sum(b.w for b in r) + hgap * (len(r) - 1) for r in member_rows + vtf_rows]
    width = max([leader.w, 2 * (dep_w / 2 + 60 + office_box.w)] + row_widths) + 2 * margin + 24
    width = max(width, 640)

    y = margin + 30
    svg.text(width / 2, margin + 12, title, size=18, color=ACCENT, anchor="middle", bold=True)
    if tf.get("basis"):
        svg.text(width / 2, margin + 30, f"依据：{tf['basis']}", size=12, color=MUTED, anchor="middle")
        y += 14
    y += place_row([leader], y, hgap, width) + vgap
    dep_h = place_row(deputies, y, hgap, width) if deputies else 0
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
            y += place_row(r, y, hgap, width) + hgap
        frames.append((label, color, top, y))
        y += vgap
    height = y - vgap + margin

    # Connectors first, so boxes paint over the line ends.
    connect(svg, leader, deputies)
    head = deputies[0] if deputies else leader
    _draw_frames(svg, frames, (head.x + head.w / 2, head.y + head.h), width, margin)
    # The office hangs off its director with a dashed line.
    if deputies:
        svg.line(anchor.x + anchor.w, anchor.y + anchor.h / 2, office_box.x, office_box.y + office_box.h / 2,
                 "#c48a00", dash=True)
    for b in [leader, *deputies, office_box, *dept_boxes, *vill_member_boxes, *vtf_boxes]:
        b.draw(svg)
    return svg.finish(width, height)


def _draw_frames(svg: Svg, frames: list[tuple], start: tuple[float, float], width: float,
                 margin: float) -> None:
    """The dashed frames around the member groups, each hung from the one above by a line."""
    previous = start
    for label, color, top, bottom in frames:
        svg.line(previous[0], previous[1], previous[0], top, LINE if color == LINE else color,
                 dash=color != LINE)
        svg.rect(margin, top, width - 2 * margin, bottom - top, fill="#fbfcfd", stroke=color, rx=8, dash=True)
        svg.text(margin + 12, top + 19, label, size=13, color=MUTED if color == LINE else color, bold=True)
        previous = (width / 2, bottom)


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
    _matrix_columns(svg, units, grid_x, top, col_w)
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
    _matrix_legend(svg, margin, body + row_h * len(items) + 26)
    return svg.finish(width, height)


def _matrix_columns(svg: Svg, units: list[dict], grid_x: float, top: float, col_w: float) -> None:
    """Group bands over the unit columns, then the unit names written top to bottom, one character a line."""
    for kind, label, color in (("department", "镇级部门", ACCENT), ("village", "村（社区）", VILLAGE_INK)):
        idx = [i for i, u in enumerate(units) if u["kind"] == kind]
        if not idx:
            continue
        x0, x1 = grid_x + idx[0] * col_w, grid_x + (idx[-1] + 1) * col_w
        svg.rect(x0 + 1, top, x1 - x0 - 2, 22, fill=ACCENT_BG if kind == "department" else VILLAGE_BG,
                 stroke=color, rx=3)
        svg.text((x0 + x1) / 2, top + 16, label, size=13, color=color, anchor="middle", bold=True)
    for i, u in enumerate(units):
        cx = grid_x + i * col_w + col_w / 2
        color = VILLAGE_INK if u["kind"] == "village" else INK
        for j, ch in enumerate(u["name"]):
            svg.text(cx, top + 30 + FS + j * (FS + 1), ch, size=FS, color=color, anchor="middle")


def _matrix_legend(svg: Svg, margin: float, ly: float) -> None:
    svg.circle(margin + 8, ly - 5, 7, ACCENT, ACCENT)
    svg.text(margin + 22, ly, "牵头", size=13)
    svg.circle(margin + 78, ly - 5, 6.5, PAPER, ACCENT)
    svg.text(margin + 92, ly, "配合", size=13)
    svg.text(margin + 140, ly, "“全体村（社区）”“行业主管部门”已展开为具体单位。", size=12, color=MUTED)


def _item_line(r) -> str:
    return f"{r.kind}：{r.name}"


def _duty_lines(r) -> list[str]:
    return [f"协管员：{r.coordinator_name or '未指定'}", f"包保：{r.baobao_name or '未指定'}"]


def _grid_item(svg: Svg, r, x: float, y: float, w: float, h: float) -> None:
    """A project or enterprise, with ✓/✗ for its notice board and 渝薪码."""
    svg.rect(x, y, w, h, fill=ACCENT_BG if r.kind == "项目" else "#f3eefa",
             stroke=ACCENT if r.kind == "项目" else "#6b4fa0")
    svg.text(x + PAD, y + PAD + FS - 1, _item_line(r), size=FS, bold=True)
    mx = x + PAD
    for label, ok in (("告示牌", r.notice_board), ("渝薪码", r.yuxinma)):
        text = f"{'✓' if ok else '✗'} {label}"
        svg.text(mx, y + PAD + 2 * FS + 4, text, size=FS - 2, color=VILLAGE_INK if ok else WARN)
        mx += text_width(text, FS - 2) + 14


def _grid_duties(svg: Svg, r, x: float, y: float, w: float, h: float) -> None:
    """Its coordinator and 包保 person, in red when missing."""
    svg.rect(x, y, w, h, stroke=WARN if not r.coordinator or not r.baobao else LINE)
    for j, text in enumerate(_duty_lines(r)):
        bad = (j == 0 and not r.coordinator) or (j == 1 and not r.baobao)
        svg.text(x + PAD, y + PAD + FS - 1 + j * (FS + 5), text, size=FS - 1, color=WARN if bad else INK)


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

    all_rows = [r for rows in rows_by_village.values() for r in rows]
    leader_lines = ["组长：" + content.person_name(p) for p in leaders.values()]
    vw = max([text_width(v["name"], FS) for v in villages]
             + [text_width(s, FS - 1) for s in leader_lines] + [60]) + 2 * PAD + 4
    iw = max([text_width(_item_line(r), FS) for r in all_rows] + [180]) + 2 * PAD
    dw = max([text_width(s, FS - 1) for r in all_rows for s in _duty_lines(r)] + [160]) + 2 * PAD + 20
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
            _grid_item(svg, r, x_i, ry, iw, item_h)
            svg.line(x_i + iw, cy, x_d, cy)
            _grid_duties(svg, r, x_d, ry, dw, item_h)
        vbox.draw(svg)
        y += block_h + 22
    return svg.finish(width, y + margin - 22)
