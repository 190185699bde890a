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

import bleach
import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator.analyse import Tables
from generator.errors import stage
from generator.model import Content
from generator.privacy import mask_id
from generator.render import charts, formats

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


def _records(df) -> list[dict]:
    if df is None or len(df) == 0:
        return []
    return [dict(r) for r in df.to_dict(orient="records")]


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(**formats.OFFICE_FILTERS, mask=mask_id)
    return env


# ----------------------------------------------------------------------------- page data
BOARD_CSS = {"按时": "ok", "逾期": "late", "未报送": "missing", "未到期": "pending"}


def _board(subs, by_unit) -> dict:
    """Submission board: units (rows) × months (columns), each cell a status label and a CSS class."""
    rows = _records(subs)
    months = sorted({r["month"] for r in rows})
    cells: dict[tuple[str, str], dict] = {}
    units: dict[str, dict] = {}
    for r in rows:
        title = f"截止 {r['due_date']}"
        if r["landed_on"]:
            title += f"；{'合入' if r['source'] == 'git' else '填报'} {r['landed_on']}"
        if r["amendments"]:
            title += f"；更正 {r['amendments']} 次"
        cells[(r["unit"], r["month"])] = {**r, "css": BOARD_CSS.get(r["board_state"], ""), "title": title}
        units.setdefault(r["unit"], {"id": r["unit"], "name": r["unit_name"], "kind": r["unit_kind"]})
    return {"months": months, "units": list(units.values()), "cells": cells, "by_unit": _records(by_unit),
            "due": {r["month"]: r["due_date"] for r in rows}}


def _dashboard(content: Content, tables: Tables) -> dict:
    latest = tables.latest_due_month
    subs = _records(tables.submissions)
    attention = tables.attention
    return {"latest": latest, "month_rows": [r for r in subs if r["month"] == latest],
            "counts": tables.latest_month_counts, "hazards": tables.hazard_totals,
            "projects": tables.yijin_sanzhi,
            "attention": {name: _records(getattr(attention, name))
                          for name in ("missing", "late", "hazards", "rects", "below", "gaps")},
            "target": content.settings.get("targets", {})}


def _hazard_page(tables: Tables) -> dict:
    df = tables.hazards
    by = tables.hazard_summaries
    return {
        "current": _records(tables.hazard_cases),
        "totals": tables.hazard_totals,
        "by_unit": _records(by["unit_name"]),
        "by_cause": _records(by["cause"]),
        "by_authority": _records(by["authority_name"]),
        "history": _records(df.sort_values(["key", "month"])) if len(df) else [],
    }


def _project_page(content: Content, tables: Tables) -> dict:
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
    return {"projects": projects, "rates": tables.yijin_sanzhi,
            "platform_months": months, "platform": list(grid.values()),
            "rectifications": _records(tables.rectifications), "targets": content.settings.get("targets", {})}


def _coverage_page(tables: Tables) -> dict:
    return {"rows": _records(tables.coverage), "summary": _records(tables.coverage_summary)}


def _register(content: Content, tables: Tables) -> list[dict]:
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


def _unit_pages(content: Content, tables: Tables, provenance: dict) -> list[dict]:
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
            months.append({"row": r, "label": r["label"], "ret": ret,
                           "hazards": hazards, "prov": prov, "amendments": amendments,
                           "filled_by": content.person_name((ret or {}).get("filled_by")),
                           "approved_by": content.person_name((ret or {}).get("approved_by")),
                           "checked_projects": [content.projects.get(x, {}).get("name", x)
                                                for x in (ret or {}).get("checked_projects") or []],
                           "checked_enterprises": [content.enterprises.get(x, {}).get("name", x)
                                                   for x in (ret or {}).get("checked_enterprises") or []]})
        staff = [p for p in content.people.values() if p.get("unit") == uid]
        counts = tables.submission_counts.get(uid, {"按时": 0, "逾期": 0, "未报送": 0})
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
def render(content: Content, tables: Tables, provenance: dict | None, out_dir: Path,
           root: Path | None = None) -> list[Path]:
    """Write the internal site into out_dir (the staging folder that becomes build/internal/)."""
    out_dir = Path(out_dir)
    env = _environment()
    accounts = tables.account_names
    env.filters["who"] = lambda acct: f"{accounts[acct]}（{acct}）" if acct in accounts else (acct or "—")
    md_pages = _markdown_pages(MARKDOWN_PAGES)
    unit_pages = _unit_pages(content, tables, provenance or {})
    common = {
        "town": content.town, "settings": content.settings, "as_of": content.settings.get("as_of"),
        "sample": bool(content.settings.get("sample_data")),
        "md_pages": [{"slug": p["slug"], "title": p["title"]} for p in md_pages],
        "unit_links": [{"id": u["unit"]["id"], "name": u["unit"]["name"]} for u in unit_pages],
    }
    written: list[Path] = []

    def page(name: str, template: str, active: str, title: str, **data) -> None:
        depth = name.count("/")
        with stage("internal", name):
            html = env.get_template(template).render(**common, base="../" * depth, active=active, title=title,
                                                     **data)
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        written.append(path)

    svgs = {
        "org": charts.org_chart(content),
        "matrix": charts.responsibility_matrix(content, tables.responsibility),
        "grid": charts.grid(content, tables.coverage),
    }
    (out_dir / "charts").mkdir(parents=True, exist_ok=True)
    for key, svg in svgs.items():
        path = out_dir / "charts" / f"{key}.svg"
        path.write_text(svg, encoding="utf-8")
        written.append(path)

    page("index.html", "index.html", "index", "工作看板", dash=_dashboard(content, tables),
         pdfs=tables.pdf_links)
    page("org.html", "org.html", "org", "专班组织架构", svg=Markup(svgs["org"]), roster=_roster(content),
         taskforce=content.taskforce)
    page("matrix.html", "matrix.html", "matrix", "责任分工矩阵", svg=Markup(svgs["matrix"]),
         items=content.responsibilities.get("items", []))
    page("grid.html", "grid.html", "grid", "网格化管理", svg=Markup(svgs["grid"]))
    page("submissions.html", "submissions.html", "submissions", "月报报送情况",
         board=_board(tables.submissions, tables.submissions_by_unit),
         settings_returns=content.settings.get("returns", {}))
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
