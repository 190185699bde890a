"""The internal site for the task-force office: build/internal/ (never inside site/).

Plain static HTML from Jinja2 templates (templates/internal/), one shared layout with a nav,
readable without JavaScript. It shows internal fields (phones, deposit movements, violation
ledger, return history) that the public site never receives. Rendering only: the numbers and
flags come from the analyse stage (tables) and provenance; nothing here reads YAML or calls git.
internal_view.py arranges the tables for each page, internal_markdown.py the office's how-to pages.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator import gc_pause
from generator.analyse import Tables
from generator.build_cache import code_digest
from generator.errors import stage
from generator.model import Content
from generator.privacy import mask_id
from generator.render import charts, formats, internal_markdown
from generator.render import internal_view as view
from generator.render.page_reuse import PageReuse, shared_key

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates" / "internal"
STATIC = HERE / "static" / "internal"
MARKDOWN_PAGES = HERE / "internal_pages"
# The units pages list every unit in their side menu up to a town's worth; a county's 750 made that menu
# 750 links on each of 750 pages. Beyond this, 报送单位 (units/index.html) lists them.
NAV_UNITS_MAX = 60


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(**formats.OFFICE_FILTERS, mask=mask_id)
    return env


# ----------------------------------------------------------------------------- the renderer
def render(content: Content, tables: Tables, provenance: dict | None, out_dir: Path,
           root: Path | None = None, *, cache: Path | None = None, reuse: bool = False,
           log: Callable[[str], None] | None = None) -> list[Path]:
    """Write the internal site into out_dir (the staging folder that becomes build/internal/).

    `cache`: a folder kept between builds (build.py: build/.cache/internal/); with `reuse`, a page whose
    data is the same as at the last build is linked from it (page_reuse.py)."""
    with gc_pause.paused():  # a quarter of the stage at county scale was the collector
        return _render(content, tables, provenance, Path(out_dir), cache=cache, reuse=reuse, log=log)


def _render(content: Content, tables: Tables, provenance: dict | None, out_dir: Path, *, cache: Path | None,
            reuse: bool, log: Callable[[str], None] | None) -> list[Path]:
    env = _environment()
    accounts = tables.account_names
    env.filters["who"] = lambda acct: f"{accounts[acct]}（{acct}）" if acct in accounts else (acct or "—")
    md_pages = internal_markdown.markdown_pages(MARKDOWN_PAGES, out_dir / "pages")
    unit_pages = view.unit_pages(content, tables, provenance or {})
    common = {
        "town": content.town, "settings": content.settings, "as_of": content.settings.get("as_of"),
        "sample": bool(content.settings.get("sample_data")),
        "history_note": tables.history_note,
        "md_pages": [{"slug": p["slug"], "title": p["title"]} for p in md_pages],
        "unit_links": [{"id": u["unit"]["id"], "name": u["unit"]["name"]} for u in unit_pages]
        if len(unit_pages) <= NAV_UNITS_MAX else [],
    }
    written: list[Path] = []
    pages = PageReuse(cache, out_dir, reuse=reuse, code=code_digest() if cache else "")
    shared = shared_key([common, accounts]) if cache else ""

    def page(name: str, template: str, active: str, title: str, **data) -> None:
        local = {"base": "../" * name.count("/"), "active": active, "title": title, **data}
        key = pages.key(shared, template, local) if cache else None
        if not pages.place(name, key):  # not an unchanged page linked from the cache: render it
            with stage("internal", name):
                html = env.get_template(template).render(**common, **local)
            _write(out_dir / name, html)
            pages.put(name, key)
        written.append(out_dir / name)

    svgs: dict[str, str] = {}
    for name, (draw, inputs) in _charts(content, tables).items():
        key = pages.key("", f"charts/{name}", inputs) if cache else None
        svgs[name] = svg = pages.get(f"charts/{name}.svg", key)
        if svg is None:
            svgs[name] = svg = draw()
            pages.put(f"charts/{name}.svg", key)
        written.append(_write(out_dir / "charts" / f"{name}.svg", svg))
    page("index.html", "index.html", "index", "工作看板", dash=view.dashboard(content, tables),
         pdfs=tables.pdf_links)
    page("org.html", "org.html", "org", "专班组织架构", svg=Markup(svgs["org"]), roster=view.roster(content),
         taskforce=content.taskforce)
    page("matrix.html", "matrix.html", "matrix", "责任分工矩阵", svg=Markup(svgs["matrix"]),
         items=content.responsibilities.get("items", []))
    page("grid.html", "grid.html", "grid", "网格化管理", svg=Markup(svgs["grid"]))
    page("submissions.html", "submissions.html", "submissions", "月报报送情况",
         board=view.board(tables.submissions, tables.submissions_by_unit),
         settings_returns=content.settings.get("returns", {}))
    page("hazards.html", "hazards.html", "hazards", "欠薪隐患", hz=view.hazard_page(tables))
    page("projects.html", "projects.html", "projects", "一金三制与监控预警平台",
         pj=view.project_page(content, tables))
    page("coverage.html", "coverage.html", "coverage", "协管员、包保与告示牌覆盖",
         cov=view.coverage_page(tables))
    page("register.html", "register.html", "register", "项目和企业台账",
         projects=view.register(content, tables), enterprises=view.enterprises(content))
    page("units/index.html", "units_index.html", "units", "报送单位",
         units=[{"unit": u["unit"], "counts": u["counts"], "last": _last_month(u)} for u in unit_pages])
    for u in unit_pages:
        page(f"units/{u['unit']['id']}.html", "unit.html", "units", f"{u['unit']['name']} · 月报与历史", u=u,
             current_unit=u["unit"]["id"])
    for p in md_pages:
        page(f"pages/{p['slug']}.html", "markdown.html", f"md:{p['slug']}", p["title"], md=p)
    pages.save()
    if log:
        log(pages.summary)
    return written + _copy_static(out_dir / "static")



def _last_month(unit_page: dict) -> dict | None:
    """What the list of units shows of a unit's latest month: not the whole return, so that a corrected
    figure in it leaves the list (and its reuse key) as it was."""
    months = unit_page["months"]
    return {"month": months[0]["row"]["month"], "label": months[0]["label"]} if months else None


def _charts(content: Content, tables: Tables) -> dict[str, tuple[Callable[[], str], list]]:
    """Each chart: how it is drawn, and what it is drawn from (its reuse key; drawing a county's took ~1.4 s).
    Units as a list: their order is the charts' order."""
    units, people, taskforce = list(content.units.values()), content.people, content.taskforce
    return {
        "org": (lambda: charts.org_chart(content), [taskforce, units, people]),
        "matrix": (lambda: charts.responsibility_matrix(content, tables.responsibility),
                   [content.responsibilities, units, view.records(tables.responsibility)]),
        "grid": (lambda: charts.grid(content, tables.coverage),
                 [taskforce, units, people, view.records(tables.coverage)]),
    }


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _copy_static(static_out: Path) -> list[Path]:
    static_out.mkdir(parents=True, exist_ok=True)
    copied = []
    for f in sorted(STATIC.glob("*")):
        if f.is_file():
            shutil.copy2(f, static_out / f.name)
            copied.append(static_out / f.name)
    return copied
