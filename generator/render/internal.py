"""The internal site for the task-force office: build/internal/ (never inside site/).

Plain static HTML from Jinja2 templates (templates/internal/), one shared layout with a nav,
readable without JavaScript. It shows internal fields (phones, deposit movements, violation
ledger, return history) that the public site never receives. Rendering only: the numbers and
flags come from the analyse stage (tables) and provenance; nothing here reads YAML or calls git.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import bleach
import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator.analyse import coverage as coverage_analysis
from generator.analyse import hazards as hazard_analysis
from generator.analyse import lookback as lookback_analysis
from generator.analyse import projects as project_analysis
from generator.analyse import submissions as submission_analysis
from generator.model import Content
from generator.render import charts
from generator.site_urls import edit_url

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates" / "internal"
STATIC = HERE / "static" / "internal"
MARKDOWN_PAGES = HERE / "internal_pages"

MD_EXTENSIONS = ["tables", "toc", "fenced_code"]
MD_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2",
           "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "span", "strong", "sub",
           "sup", "table", "tbody", "td", "th", "thead", "tr", "ul"}
MD_ATTRS = {"*": ["id", "class", "title"], "a": ["href", "title"], "img": ["src", "alt", "title"],
            "th": ["align"], "td": ["align"]}


# ----------------------------------------------------------------------------- formatting filters
def _yuan(value: Any) -> str:
    if value is None or value == "":
        return "—"
    v = float(value)
    return f"{v:,.0f} 元"


def _wan(value: Any) -> str:
    if value is None:
        return "—"
    return f"{float(value) / 10000:,.2f} 万元"


def _yesno(value: Any) -> str:
    return "—" if value is None else ("是" if value else "否")


def _pct(value: Any) -> str:
    if value is None:
        return "—"
    return f"{float(value):g}%"


def _cn_month(month: str | None) -> str:
    if not month:
        return ""
    y, m = str(month).split("-")[:2]
    return f"{y}年{int(m)}月"


def _cn_date(value: Any) -> str:
    if not value:
        return "—"
    parts = str(value)[:10].split("-")
    if len(parts) != 3:
        return str(value)
    return f"{parts[0]}年{int(parts[1])}月{int(parts[2])}日"


def _mask_id(value: Any) -> str:
    """ID-card and bank numbers: even the office page shows only the ends."""
    s = str(value or "")
    return s if len(s) < 8 else s[:4] + "*" * (len(s) - 8) + s[-4:]


def _records(df) -> list[dict]:
    if df is None or len(df) == 0:
        return []
    return [dict(r) for r in df.to_dict(orient="records")]


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(yuan=_yuan, wan=_wan, yesno=_yesno, pct=_pct, cn_month=_cn_month, cn_date=_cn_date,
                       mask=_mask_id)
    return env


# ----------------------------------------------------------------------------- page data
def _pdf_links(content: Content, tables) -> dict:
    """Expected PDF names (the PDF stage writes them after this renderer runs)."""
    monthly = [{"label": f"{_cn_month(m)}根治欠薪工作通报", "href": f"bulletins/{m}-通报.pdf"}
               for m in content.months]
    quarters = []
    for q in getattr(tables, "lookback", None) or []:
        key = getattr(q, "key", None)
        if key:
            label = getattr(q, "label", None) or key
            quarters.append({"label": f"{label}“回头看”情况通报", "href": f"bulletins/{key}-回头看.pdf"})
    if getattr(tables, "lookback", None) is None:  # no look-back stage: expect every ended quarter
        for key, label in _ended_quarters(content):
            quarters.append({"label": f"{label}“回头看”情况通报", "href": f"bulletins/{key}-回头看.pdf"})
    posters = [{"label": p["name"], "href": f"posters/{p['id']}.pdf"}
               for p in sorted(content.active_projects(), key=lambda p: p["id"])]
    return {"monthly": monthly, "quarters": quarters, "posters": posters}


def _ended_quarters(content: Content) -> list[tuple[str, str]]:
    """(key, label) of each quarter the PDF stage reports on: the look-back's own rule, not a copy."""
    return [(f"{y}-Q{q}", f"{y}年{lookback_analysis.QUARTER_NAMES[q]}")
            for y, q in lookback_analysis.quarters(content)]


def _board(content: Content, subs) -> dict:
    """Submission board: units (rows) × months (columns), each cell a status label and a CSS class."""
    rows = _records(subs)
    months = sorted({r["month"] for r in rows})
    cells: dict[tuple[str, str], dict] = {}
    units: dict[str, dict] = {}
    for r in rows:
        label = submission_analysis.status_label(r)
        css = {"按时": "ok", "逾期": "late", "未报送": "missing"}.get(r["status"], "")
        if label == "未到期":
            css = "pending"
        title = f"截止 {r['due_date']}"
        if r["landed_on"]:
            title += f"；{'合入' if r['source'] == 'git' else '填报'} {r['landed_on']}"
        if r["amendments"]:
            title += f"；更正 {r['amendments']} 次"
        cells[(r["unit"], r["month"])] = {**r, "label": label, "css": css, "title": title}
        units.setdefault(r["unit"], {"id": r["unit"], "name": r["unit_name"], "kind": r["unit_kind"]})
    by_unit = _records(submission_analysis.by_unit(subs)) if subs is not None and len(subs) else []
    return {"months": months, "units": list(units.values()), "cells": cells, "by_unit": by_unit,
            "due": {r["month"]: r["due_date"] for r in rows}}


def _dashboard(content: Content, tables) -> dict:
    subs = tables.submissions
    latest = submission_analysis.latest_due_month(content)
    month_rows = [r for r in _records(subs) if r["month"] == latest]
    counts = {s: sum(1 for r in month_rows if r["status"] == s) for s in ("按时", "逾期", "未报送")}
    hz = hazard_analysis.totals(tables.hazards)
    proj = project_analysis.yijin_sanzhi(tables.projects)
    rects = _records(tables.rectifications)
    cov = _records(tables.coverage)
    attention = {
        "missing": [r for r in _records(subs) if r["status"] == "未报送" and r["due_passed"]],
        "late": [r for r in _records(subs) if r["status"] == "逾期"],
        "hazards": [r for r in _records(hazard_analysis.current(tables.hazards)) if r["overdue_now"]],
        "rects": [r for r in rects if r["status"] == "逾期未完成"],
        "below": _records(project_analysis.below_target_active(tables.projects)),
        "gaps": [r for r in cov if not r["complete"]],
    }
    return {"latest": latest, "month_rows": month_rows, "counts": counts, "hazards": hz, "projects": proj,
            "attention": attention, "target": content.settings.get("targets", {})}


def _hazard_page(tables) -> dict:
    df = tables.hazards
    return {
        "current": _records(hazard_analysis.current(df)) if len(df) else [],
        "totals": hazard_analysis.totals(df),
        "by_unit": _records(hazard_analysis.summary(df, "unit_name")),
        "by_cause": _records(hazard_analysis.summary(df, "cause")),
        "by_authority": _records(hazard_analysis.summary(df, "authority_name")),
        "history": _records(df.sort_values(["key", "month"])) if len(df) else [],
    }


def _project_page(content: Content, tables) -> dict:
    projects = _records(tables.projects)
    projects.sort(key=lambda r: (r["status"] == "完工", -r["overdue_rectifications"], not r["below_target"],
                                 r["project"]))
    plat = _records(tables.platform)
    months = sorted({r["month"] for r in plat})
    grid: dict[str, dict] = {}
    for r in plat:
        row = grid.setdefault(r["project"], {"project": r["project"], "name": r["name"],
                                             "authority_name": r["authority_name"], "cells": {}})
        row["cells"][r["month"]] = r
    return {"projects": projects, "rates": project_analysis.yijin_sanzhi(tables.projects),
            "platform_months": months, "platform": list(grid.values()),
            "rectifications": _records(tables.rectifications), "targets": content.settings.get("targets", {})}


def _coverage_page(tables) -> dict:
    return {"rows": _records(tables.coverage),
            "summary": _records(coverage_analysis.summary(tables.coverage)) if len(tables.coverage) else []}


def _register(content: Content, tables) -> list[dict]:
    """Every project with all its fields, internal ones included, plus its analysed flags."""
    flags = {r["project"]: r for r in _records(tables.projects)}
    rects = {}
    for r in _records(tables.rectifications):
        rects.setdefault(r["project"], []).append(r)
    out = []
    for pid, p in sorted(content.projects.items(), key=lambda kv: (kv[1].get("status") == "完工", kv[0])):
        out.append({"p": p, "flags": flags.get(pid, {}), "rects": rects.get(pid, []),
                    "village_name": content.unit_name(p.get("village")),
                    "authority_name": content.unit_name(p.get("authority")),
                    "coordinator": content.people.get(p.get("coordinator") or "", {}),
                    "baobao": content.people.get(p.get("baobao") or "", {})})
    return out


def _enterprises(content: Content) -> list[dict]:
    return [{"e": e, "village_name": content.unit_name(e.get("village")),
             "coordinator": content.people.get(e.get("coordinator") or "", {}),
             "baobao": content.people.get(e.get("baobao") or "", {})}
            for _id, e in sorted(content.enterprises.items())]


def _unit_pages(content: Content, tables, provenance: dict) -> list[dict]:
    """Per reporting unit: each month's return with its status, hazards and history."""
    subs = _records(tables.submissions)
    pages = []
    unit_ids = list(dict.fromkeys(r["unit"] for r in subs))
    for uid in unit_ids:
        unit = content.units.get(uid, {"id": uid, "name": uid, "kind": None})
        months = []
        for r in sorted((r for r in subs if r["unit"] == uid), key=lambda r: r["month"], reverse=True):
            ret = content.returns.get((r["month"], uid))
            prov = (provenance or {}).get(r["path"]) if r["path"] else None
            hazards = []
            for h in (ret or {}).get("hazards") or []:
                target = (content.projects.get(h.get("project") or "", {}).get("name")
                          or content.enterprises.get(h.get("enterprise") or "", {}).get("name")
                          or h.get("other_target") or "")
                hazards.append({**h, "target": target})
            amendments = [{**a, "by_name": content.person_name(a.get("by"))}
                          for a in (ret or {}).get("amendments") or []]
            months.append({"row": r, "label": submission_analysis.status_label(r), "ret": ret,
                           "edit_url": edit_url(content.settings, f"content/{r['path']}") if ret else None,
                           "hazards": hazards, "prov": prov, "amendments": amendments,
                           "filled_by": content.person_name((ret or {}).get("filled_by")),
                           "approved_by": content.person_name((ret or {}).get("approved_by")),
                           "checked_projects": [content.projects.get(x, {}).get("name", x)
                                                for x in (ret or {}).get("checked_projects") or []],
                           "checked_enterprises": [content.enterprises.get(x, {}).get("name", x)
                                                   for x in (ret or {}).get("checked_enterprises") or []]})
        staff = [p for p in content.people.values() if p.get("unit") == uid]
        counts = {s: sum(1 for m in months if m["row"]["status"] == s and m["row"]["due_passed"])
                  for s in ("按时", "逾期", "未报送")}
        pages.append({"unit": unit, "months": months, "staff": staff, "counts": counts})
    return pages


LIST_ITEM = re.compile(r"^( *)([-*+]|\d+[.)]) ")


def _nest_lists(text: str) -> str:
    """Python-Markdown nests a list only under 4 spaces; writers used to GitHub indent by 2 or 3.
    An indented item right after another item gets its indentation rounded up to a multiple of 4
    (outside code fences)."""
    out, fenced, after_item = [], False, False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        m = None if fenced else LIST_ITEM.match(line)
        if m and after_item and len(m.group(1)) % 4:
            line = " " * (-(-len(m.group(1)) // 4) * 4) + line[len(m.group(1)):]
        if line.strip():
            after_item = m is not None
        out.append(line)
    return "\n".join(out) + "\n"


def _markdown_pages(folder: Path) -> list[dict]:
    pages = []
    for f in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        text = f.read_text(encoding="utf-8")
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), f.stem)
        html = markdown.markdown(_nest_lists(text), extensions=MD_EXTENSIONS, output_format="html")
        html = bleach.clean(html, tags=MD_TAGS, attributes=MD_ATTRS, protocols={"http", "https", "mailto"})
        pages.append({"slug": f.stem, "title": title, "html": Markup(html)})
    return pages


def _roster(content: Content) -> list[dict]:
    return [{**p, "unit_name": content.unit_name(p.get("unit"))} for p in content.people.values()]


# ----------------------------------------------------------------------------- the renderer
def render(content: Content, tables, provenance: dict | None, out_dir: Path,
           root: Path | None = None) -> list[Path]:
    """Write the internal site into out_dir (the staging folder that becomes build/internal/)."""
    out_dir = Path(out_dir)
    env = _environment()
    accounts = {a: p.get("name", pid) for pid, p in content.people.items()
                for a in p.get("git_accounts") or []}
    env.filters["who"] = lambda acct: f"{accounts[acct]}（{acct}）" if acct in accounts else (acct or "—")
    md_pages = _markdown_pages(MARKDOWN_PAGES)
    unit_pages = _unit_pages(content, tables, provenance or {})
    common = {
        "town": content.town, "settings": content.settings, "as_of": content.settings.get("as_of"),
        "sample": bool(content.settings.get("sample_data")),
        "history_note": tables.history_note,
        "md_pages": [{"slug": p["slug"], "title": p["title"]} for p in md_pages],
        "unit_links": [{"id": u["unit"]["id"], "name": u["unit"]["name"]} for u in unit_pages],
    }
    written: list[Path] = []

    def page(name: str, template: str, active: str, title: str, **data) -> None:
        depth = name.count("/")
        html = env.get_template(template).render(**common, base="../" * depth, active=active, title=title,
                                                 **data)
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        written.append(path)

    svgs = {
        "org": charts.org_chart(content),
        "matrix": charts.responsibility_matrix(content),
        "grid": charts.grid(content, tables.coverage),
    }
    (out_dir / "charts").mkdir(parents=True, exist_ok=True)
    for key, svg in svgs.items():
        path = out_dir / "charts" / f"{key}.svg"
        path.write_text(svg, encoding="utf-8")
        written.append(path)

    page("index.html", "index.html", "index", "工作看板", dash=_dashboard(content, tables),
         pdfs=_pdf_links(content, tables))
    page("org.html", "org.html", "org", "专班组织架构", svg=Markup(svgs["org"]), roster=_roster(content),
         taskforce=content.taskforce)
    page("matrix.html", "matrix.html", "matrix", "责任分工矩阵", svg=Markup(svgs["matrix"]),
         items=content.responsibilities.get("items", []))
    page("grid.html", "grid.html", "grid", "网格化管理", svg=Markup(svgs["grid"]))
    page("submissions.html", "submissions.html", "submissions", "月报报送情况",
         board=_board(content, tables.submissions), settings_returns=content.settings.get("returns", {}))
    page("hazards.html", "hazards.html", "hazards", "欠薪隐患", hz=_hazard_page(tables))
    page("projects.html", "projects.html", "projects", "一金三制与监控预警平台",
         pj=_project_page(content, tables))
    page("coverage.html", "coverage.html", "coverage", "协管员、包保与告示牌覆盖", cov=_coverage_page(tables))
    page("register.html", "register.html", "register", "项目和企业台账", projects=_register(content, tables),
         enterprises=_enterprises(content))
    page("units/index.html", "units_index.html", "units", "报送单位",
         units=[{"unit": u["unit"], "counts": u["counts"], "last": u["months"][0] if u["months"] else None}
                for u in unit_pages])
    for u in unit_pages:
        page(f"units/{u['unit']['id']}.html", "unit.html", "units", f"{u['unit']['name']} · 月报与历史", u=u,
             current_unit=u["unit"]["id"])
    for p in md_pages:
        page(f"pages/{p['slug']}.html", "markdown.html", f"md:{p['slug']}", p["title"], md=p)

    static_out = out_dir / "static"
    static_out.mkdir(parents=True, exist_ok=True)
    for f in sorted(STATIC.glob("*")):
        if f.is_file():
            shutil.copy2(f, static_out / f.name)
            written.append(static_out / f.name)
    return written
