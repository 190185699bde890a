"""The public website: public fields only → Markdown pages → mkdocs-material → out_dir.

Steps: reduce the content to its public view; write the hand-written pages (placeholders filled)
and the generated pages (Jinja2 templates, every value escaped) into a temporary docs folder;
build with mkdocs.yml; scan the result for personal numbers. Any problem raises BuildFailed.

Network policy: a page loads nothing from another host (theme.font: false, no CDN, no remote
images; tests/test_public.py checks every src/href/url()). Plain <a href> links a user may choose
to follow are allowed: site-relative links, tel: numbers, and a project's https 渝薪码 link.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import os
import tempfile
import time
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Any

from jinja2 import ChainableUndefined, Environment, FileSystemLoader
from markupsafe import Markup, escape

from generator import placeholders
from generator.errors import BuildFailed
from generator.model import Content
from generator.paths import SCHEMAS
from generator.privacy import public_numbers, public_view
from generator.privacy_scan import problems_of
from generator.render import formats, jieba_dictionary, markdown_guard, markdown_reuse, public_md, site_cache
from generator.render.page_finish import WORKERS_FROM_PAGES, PageFinisher
from generator.site_urls import public_base

HERE = Path(__file__).parent
PAGES_TEMPLATES = HERE / "templates" / "public" / "pages"
STATIC = HERE / "static" / "public"
OVERRIDES = HERE / "templates" / "public" / "overrides"
REPO_CONFIG = HERE.parent.parent / "mkdocs.yml"
SEARCH_WORDS = HERE / "search_words.txt"  # worker vocabulary kept whole in the search index
PENDING = formats.PENDING

# Hand-written pages every build must have (nav entries in mkdocs.yml point at them).
REQUIRED_PAGES = ("index.md", "guide.md", "policy.md", "faq.md", "evidence.md",
                  *(f"situations/{name}.md" for name in ("boss-unreachable", "contractor-gone", "no-contract",
                                                         "project-finished", "complaint-ignored")))
# Every project keeps its page for good (a poster's QR points at it): under construction first.
STATUS_ORDER = {"在建": 0, "停工": 1, "完工": 2}
FALLBACK_HOTLINE = "人社服务热线"  # what to call while a local number is unconfirmed
# Up to a town's worth of projects get a sidebar entry each. The sidebar is in every page's HTML: with a
# county's 3,000 projects it made each page ~900 KB (2.7 GB for the site) for a worker on mobile data,
# so beyond this the 项目公示 page lists them and search finds them.
NAV_PROJECTS_MAX = 30


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(PAGES_TEMPLATES), finalize=public_md.md_escape,
                      undefined=ChainableUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update(slug=public_md.slug, safe_url=public_md.safe_url, tel=public_md.tel,
                       **formats.PUBLIC_FILTERS)
    return env


class _Site:
    """Read-only helpers over the public view, for templates (look-ups, no business rules)."""

    def __init__(self, view: Content, stats: dict):
        self.view = view
        self.settings = view.settings
        self.stats = stats or {}
        self.units = view.units
        self.people = view.people
        self.hotlines = list(view.settings.get("hotlines") or [])
        self.projects = sorted(view.projects.values(), key=lambda p: (
            STATUS_ORDER.get(p.get("status"), 9), p.get("village") or "", p["id"]))
        self.office = view.settings.get("office") or {}
        self.project_ids = {p["id"] for p in self.projects}
        self.minimum_wage = view.settings.get("minimum_wage") or {}
        self.projects_in_nav = len(self.projects) <= NAV_PROJECTS_MAX

    def unit_name(self, unit_id: str | None) -> str:
        return self.view.unit_name(unit_id)

    def person(self, person_id: str | None) -> str:
        p = self.people.get(person_id or "")
        if not p:
            return person_id or ""
        return f"{p['name']}（{p['position']}）" if p.get("position") else p["name"]

    def person_name(self, person_id: str | None) -> str:
        return self.view.person_name(person_id)

    def project_name(self, project_id: str) -> str:
        return (self.view.projects.get(project_id) or {}).get("name", project_id)

    def enterprise_name(self, enterprise_id: str) -> str:
        return (self.view.enterprises.get(enterprise_id) or {}).get("name", enterprise_id)

    def hotline(self, keyword: str) -> dict | None:
        """The first hotline whose name contains keyword (settings.yaml decides the numbers)."""
        return placeholders.find_hotline(self.hotlines, keyword)

    def call(self, keyword: str) -> Markup:
        """A hotline's number as a tap-to-call link; while settings do not know it, what to call instead."""
        h = self.hotline(keyword)
        if h and h.get("number"):
            link = public_md.tel(h["number"])
            if h.get("confirmed"):
                return link
            return Markup(f"{link}（号码{PENDING}，打不通请拨 {self.fallback()}）")
        return Markup(f"号码{PENDING}，现在请先拨打 {self.fallback()}")

    def fallback(self) -> Markup:
        """The confirmed number that always answers (12333), as a link."""
        h = self.hotline(FALLBACK_HOTLINE)
        if h and h.get("number") and h.get("confirmed"):
            return public_md.tel(h["number"])
        return public_md.tel("12333")  # the national labour and social security line

    def context(self) -> dict[str, Any]:
        return {"site": self, "settings": self.settings, "stats": self.stats, "PENDING": PENDING}


# ------------------------------------------------------------------ hand-written pages


def _fill(env: Environment, site: _Site):
    def fill(name: str, arg: str) -> str | None:
        if name == "热线表":
            return env.get_template("_hotlines.md").render(site.context())
        if name == placeholders.HOTLINE:
            return str(site.call(arg)) if site.hotline(arg) else None
        if name == "最低工资":
            return env.get_template("_minimum_wage.md").render(site.context()).strip()
        if name == "保证金比例":
            dep = site.settings.get("deposit") or {}
            lo, hi = dep.get("rate_min_percent"), dep.get("rate_max_percent")
            if lo is None or hi is None:
                return PENDING
            return f"{lo:g}%–{hi:g}%" + ("" if dep.get("confirmed") else f"（{PENDING}）")
        if name == "就近反映":
            return env.get_template("_nearby.md").render(site.context()).strip()
        if name == "统计截止日":
            return formats.cn_date_public(site.settings.get("as_of"))
        return None

    return fill


def _pages(view: Content, site: _Site, env: Environment,
           reused: markdown_reuse.MarkdownReuse | None = None) -> dict[str, bytes]:
    """Every file of the docs folder (pages and assets) by path, as bytes. With `reused`, a generated page
    whose record, code and site-wide values are the last build's is taken from it (markdown_reuse.py)."""
    problems: list[str] = [f"缺少手写页面 content/pages/{p}" for p in REQUIRED_PAGES if p not in view.pages]
    fill = _fill(env, site)
    files: dict[str, bytes] = {}
    for rel, text in view.pages.items():
        filled, found = public_md.fill_placeholders(text, fill, rel)
        problems.extend(found)
        files[rel] = markdown_guard.guard_page(filled).encode("utf-8")  # safe before any engine reads it
    if problems:
        raise BuildFailed("公开网站页面有问题：\n" + "\n".join(problems))

    ctx = site.context()
    reused = reused or markdown_reuse.MarkdownReuse(None, reuse=False)
    reused.start(env, site)
    generated = {"taskforce.md": "taskforce.md", "publicity.md": "publicity.md", "stats.md": "stats.md",
                 "projects/index.md": "projects_index.md"}
    for rel, template in generated.items():
        files[rel] = reused.page(rel, template, None,
                                 lambda t=template: env.get_template(t).render(ctx).encode("utf-8"))
    project_tpl = env.get_template("project.md")
    for p in site.projects:
        rel = f"projects/{public_md.slug(p['id'])}.md"
        files[rel] = reused.page(rel, "project.md", p,
                                 lambda p=p: project_tpl.render({**ctx, "p": p}).encode("utf-8"))
    for f in sorted(STATIC.iterdir()):
        if f.is_file():
            files[f"assets/{f.name}"] = f.read_bytes()
    return files


# ------------------------------------------------------------------ mkdocs


def _nav(config_nav: list, site: _Site) -> list:
    """mkdocs.yml's nav with 项目公示 expanded into a section: index page + one page per project."""
    out = []
    for item in config_nav:
        if isinstance(item, dict) and list(item.values()) == ["projects/index.md"] and site.projects_in_nav:
            title = next(iter(item))
            pages: list = ["projects/index.md"]
            # nav titles reach the theme's templates unescaped: escape content names here
            pages += [{str(escape(p["name"])): f"projects/{p['id']}.md"} for p in site.projects]
            out.append({title: pages})
        else:
            out.append(item)
    return out


def _base_config(root: Path) -> Path:
    own = root / "mkdocs.yml"
    return own if own.is_file() else REPO_CONFIG


def _config_file(root: Path, workdir: Path) -> Path:
    """A config in workdir inheriting root's mkdocs.yml (or the generator's), with the theme overrides
    pinned to the generator's own folder: mkdocs resolves a relative custom_dir against the config
    file, so a root holding only content/, schemas/ and mkdocs.yml would point at nothing."""
    base = _base_config(root)
    wrapper = workdir / "mkdocs.yml"
    # JSON strings are valid YAML scalars: paths with spaces or quotes stay intact
    wrapper.write_text(f"INHERIT: {json.dumps(str(base.resolve()))}\n"
                       f"theme:\n  custom_dir: {json.dumps(str(OVERRIDES))}\n", encoding="utf-8")
    return wrapper


@functools.cache
def _search_words() -> None:
    """Whole words for what a worker types (渝薪码, 欠条 …): a word jieba would split (渝|薪码) is never
    found whole by the browser's search. Once per process: each add_word also raises jieba's total
    frequency, so adding them again would segment the next build's pages differently."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        import jieba
    except ImportError:  # search still works, only worse for Chinese; pyproject requires jieba
        return
    jieba.setLogLevel(logging.WARNING)
    jieba_dictionary.load(jieba.dt, jieba.DEFAULT_DICT)  # as add_word would, ~1 s faster
    for word in SEARCH_WORDS.read_text(encoding="utf-8").split():
        jieba.add_word(word, freq=100000)


def _mkdocs_build(root: Path, cache: site_cache.PageCache, files: dict[str, bytes], site: _Site,
                  hand_written: set[str], strict: bool, finisher: PageFinisher) -> bool:
    """Build cache.site from `files`: every page, or only the changed ones when the shell is the same.
    Returns whether the privacy scan must read every file (site_cache.PageCache.scan_all)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _search_words()
    meta = site.settings.get("site") or {}
    shown: dict[str, Any] = {"strict": strict}  # config values every page shows
    if meta.get("title"):
        shown["site_name"] = str(escape(meta["title"]))
    # the footer: who runs the site and the number that always answers (the theme prints it unescaped)
    issuer = (site.settings.get("bulletin") or {}).get("issuer") or ""
    shown["copyright"] = str(escape(f"{issuer} · 被拖欠工资请拨打 12333 · 投诉、调解、仲裁都不收费"))
    base = public_base(site.settings)
    if public_md.safe_url(base):
        # percent-encoded: the theme writes site_url into <link rel="canonical"> without escaping it
        shown["site_url"] = str(public_md.safe_url(base))
    warnings = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(warnings)
    quiet = site_cache.QuietDirty()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    # Reproducible: the sitemap's lastmod is mkdocs' build date; make it settings.as_of, not the clock.
    saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    as_of = str(site.settings.get("as_of") or "")
    if as_of:
        beijing = datetime.timezone(datetime.timedelta(hours=8))
        noon = datetime.datetime.fromisoformat(as_of).replace(hour=12, tzinfo=beijing)  # same date in UTC
        os.environ["SOURCE_DATE_EPOCH"] = str(int(noon.timestamp()))
    try:
        cache.docs.mkdir(parents=True, exist_ok=True)
        config_file = _config_file(root, cache.dir)
        # absolute: mkdocs resolves a relative site_dir against the wrapper config's folder
        config = load_config(config_file=str(config_file), docs_dir=str(cache.docs.resolve()),
                             site_dir=str(cache.site.resolve()), **shown)
        config.nav = _nav(config.nav or [], site)
        config.extra["sample_data"] = bool(site.settings.get("sample_data"))
        config.extra["as_of"] = str(site.settings.get("as_of") or "")
        # for the 404 page (overrides/404.html): plain values, escaped there
        config.extra["zq_hotlines"] = [{"name": str(h.get("name") or ""),
                                        "number": str(h.get("number") or ""),
                                        "confirmed": bool(h.get("confirmed"))} for h in site.hotlines]
        cache.sync(files, {"shown": shown, "nav": config.nav, "extra": dict(config.extra),
                           "hand_written": sorted(hand_written), "epoch": os.environ.get("SOURCE_DATE_EPOCH"),
                           "tool": site_cache.tool_digest(_base_config(root), OVERRIDES)})
        config.plugins["zhiqian-sanitise"] = public_md.SanitisePlugin(hand_written)
        config.plugins["zhiqian-search-name"] = public_md.NameSearchDialogPlugin()
        scan_all = cache.scan_all(finisher.allowed)
        config.plugins["zhiqian-search-merge"] = site_cache.SearchMerge(cache.partial, finisher, not scan_all)
        config.plugins["zhiqian-page-finish"] = finisher
        mkdocs_build(config, dirty=cache.partial)
        return scan_all
    except (Abort, ConfigurationError) as e:
        if not warnings.messages:
            raise BuildFailed(f"mkdocs 生成公开网站失败：{e}") from e
        head = f"mkdocs 生成公开网站失败（共 {len(warnings.messages)} 条警告，严格模式下视为错误）："
        raise BuildFailed(head + "\n" + "\n".join(warnings.messages)) from e
    finally:
        mkdocs_log.removeHandler(warnings)
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
        if saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved_epoch


class _Collect(logging.Handler):
    """mkdocs' warnings (e.g. a link to a page that does not exist), to report them in one message."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render(content: Content, tables: Any, out_dir: Path, *, root: Path, strict: bool = False,
           cache: Path | None = None, reuse: bool = False, published: Path | None = None) -> str:
    """Build the public site into out_dir (an empty staging folder); returns what was rendered and why.

    `cache`: a folder kept between builds (build.py: build/.cache/public/); with `reuse`, only the pages
    whose Markdown changed are rendered again (site_cache.py). Without it, a temporary folder.
    `published`: the site the last build published (build.py: site/), whose unchanged files are linked.
    """
    started = time.time_ns()
    root = Path(root)
    view = public_view(content, root / SCHEMAS)  # nothing else reaches the templates
    stats = getattr(tables, "public_stats", None) or {}
    site = _Site(view, stats)
    env = _environment()
    markdown = markdown_reuse.MarkdownReuse(cache, reuse=reuse)
    files = _pages(view, site, env, markdown)
    with ExitStack() as stack:
        folder = cache or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="zhiqian-public-")))
        folder = folder.resolve()  # the paths mkdocs hands the page finisher are absolute
        pages = site_cache.PageCache(folder, reuse=reuse and cache is not None)
        # published numbers (hotlines, complaint phones) are allowed; a hit names its content line
        allowed = public_numbers(content, root / SCHEMAS)
        workers = 2 if sum(rel.endswith(".md") for rel in files) >= WORKERS_FROM_PAGES else 0
        finisher = stack.enter_context(closing(PageFinisher(allowed, workers=workers)))
        scan_all = _mkdocs_build(root, pages, files, site, set(view.pages), strict, finisher)
        written = pages.written()
        for source_map in [p for p in written if p.suffix == ".map"]:  # the theme's: never loaded by a page
            source_map.unlink()
        written = [p for p in written if p.suffix != ".map"]
        finisher.submit_rest(pages.site, written, scan_all)
        # while the finisher works: the staging folder may hold a site that fails the scan (staged()
        # deletes it then), so only the .gz copies it is still writing wait for it
        publish = site_cache.Publish(pages.site, out_dir, published, started)
        publish.all_but_gz()
        found = finisher.results(pages.site)
        if found:
            problems = problems_of(found, content.root, "公开网站")
            raise BuildFailed("公开网站含有个人信息，已停止发布：\n" + "\n".join(p.message for p in problems))
        publish.gz()
        pages.save()
        markdown.save()
        return pages.summary
