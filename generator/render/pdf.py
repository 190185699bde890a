"""PDFs with weasyprint: monthly 通报, quarterly 回头看 reports (GB/T 9704) and A3 维权信息告示牌 posters.

Output names are a contract with the internal site, which links them:
    <out>/bulletins/<YYYY-MM>-通报.pdf      one per month with returns
    <out>/bulletins/<YYYY>-Q<n>-回头看.pdf   one per quarter of the look-back
    <out>/posters/<project id>.pdf          one per active project (在建 or 停工)
    <out>/materials/宣传册-A4.pdf, 宣传画-A3.pdf   publicity materials (render/materials.py)

Every fact comes from the analyse stage (tables.documents: analyse/issued.py, bulletin.py, lookback_report.py;
tables.posters: analyse/posters.py); this module only lays the facts out in Jinja2 templates
(templates/pdf/) and runs weasyprint:
- in a few long-lived worker processes (one per core), not one process per PDF;
- only when the input changed: each PDF is keyed by a hash of its HTML (with the CSS inlined), the
  font files the stacks resolve to, the weasyprint version and RENDER_VERSION, and reused from
  <root>/build/.cache/pdf/ without starting weasyprint at all;
- with small fonts: the unused glyph slots of the CFF subsets are emptied (pdf_fonts.py);
- checked for glyphs: a character no font of the stack covers makes weasyprint log a ".notdef" warning,
  and Pango falls back to some other installed font; either fails the build with the character named.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from generator.errors import BuildFailed
from generator.render import formats, pdf_justify

RENDER_VERSION = "3"  # bump when the rendering code changes what a PDF looks like
EVEN_COLOPHON = ('<body class="gongwen">', '<body class="gongwen colophon-even">')
CACHE = Path("build") / ".cache" / "pdf"
TEMPLATES = Path(__file__).parent / "templates" / "pdf"

# Official fonts first (domain §5), by the family names fontconfig reports for them (Chinese and Latin:
# `fc-list : family` shows e.g. "方正小标宋简体,FZXiaoBiaoSong-B05S"), then the free fallbacks of .ci/setup.
OFFICIAL = {"xiaobiaosong": "方正小标宋简体", "fangsong": "仿宋_GB2312", "kai": "楷体_GB2312", "hei": "黑体",
            "song": "宋体"}
STACKS = {
    "xiaobiaosong": ["方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05",
                     "Noto Serif CJK SC"],  # weight 900 → Bold/Black
    "fangsong": ["仿宋_GB2312", "FangSong_GB2312", "方正仿宋_GBK", "FZFangSong-Z02", "方正仿宋简体",
                 "FZFangSong-Z02S", "仿宋", "FangSong", "Noto Serif CJK SC"],
    "kai": ["楷体_GB2312", "楷体", "KaiTi", "AR PL UKai CN"],
    "hei": ["黑体", "SimHei", "Noto Sans CJK SC"],
    "song": ["宋体", "SimSun", "Noto Serif CJK SC"],
}
ROLE = {"xiaobiaosong": "小标宋", "fangsong": "仿宋", "kai": "楷体", "hei": "黑体", "song": "宋体"}


# ---------------------------------------------------------------------------- fonts
@lru_cache(maxsize=1)
def _fc_list() -> list[tuple[str, list[str]]]:
    """(file, family names) of every installed font, from fontconfig; [] without fc-list."""
    try:
        out = subprocess.run(["fc-list", "--format", "%{file}\t%{family}\n"], capture_output=True,
                             text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    rows = []
    for line in out.splitlines():
        path, _, families = line.partition("\t")
        rows.append((path, [f.strip() for f in families.split(",") if f.strip()]))
    return rows


def resolved_fonts() -> dict[str, str]:
    """For each role, the first family of its stack that is installed (or the last, if none is)."""
    installed = {f for _p, fams in _fc_list() for f in fams}
    return {role: next((f for f in stack if f in installed), stack[-1]) for role, stack in STACKS.items()}


def font_note() -> str:
    """What the PDF metadata says about fonts that fell back (e.g. 仿宋 → Noto Serif CJK SC)."""
    used = resolved_fonts()
    parts = [f"{ROLE[r]}（{OFFICIAL[r]}）未安装，回退为 {used[r]}"
             for r in ("fangsong", "xiaobiaosong", "hei", "kai", "song") if used[r] != OFFICIAL[r]
             and used[r] not in STACKS[r][:-1]]
    return "字体说明：" + ("；".join(parts) if parts else "使用公文标准字体") + "。"


def font_fingerprint() -> str:
    """Files (path, size, mtime) behind the families the stacks name: a changed font re-renders."""
    wanted = {f for stack in STACKS.values() for f in stack}
    rows = []
    for path, fams in _fc_list():
        if wanted & set(fams):
            try:
                st = os.stat(path)
            except OSError:
                continue
            rows.append(f"{path}:{st.st_size}:{int(st.st_mtime)}")
    return "\n".join(sorted(set(rows)))


def _allowed_family(family: str) -> bool:
    """Is a font family weasyprint embedded one of our stacks? (Else Pango fell back for a glyph.)"""
    return any(family.lower() == f.lower() for stack in STACKS.values() for f in stack)


def _allowed_font(base_font: str) -> bool:
    """Is an embedded font (PDF BaseFont, e.g. ABCDEF+Noto-Serif-CJK-SC-Bold) one of our stacks?"""
    name = base_font.split("+", 1)[-1].replace("-", " ").lower()
    for stack in STACKS.values():
        for fam in stack:
            if name.startswith(fam.lower()):
                return True
    # Official fonts have PostScript names unlike their Chinese family names: accept them when installed.
    return resolved_fonts()["fangsong"] != STACKS["fangsong"][-1]


# ---------------------------------------------------------------------------- HTML
_TITLE = re.compile(r"^(关于\d{4}年(?:\d{1,2}月|第[一二三四]季度))(.+)$")


def _title(title: str) -> Markup:
    """A 标题 breaks only between its phrases (the period; the matter), never inside a word."""
    m = _TITLE.match(title)
    parts = m.groups() if m else (title,)
    return Markup("").join(Markup('<span class="phrase">{}</span>').format(p) for p in parts)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "css"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(cn_date=formats.cn_date_document, money=formats.yuan_document,
                       cn_num=formats.cn_number, title=_title)
    return env


def _fonts_css() -> dict[str, Markup]:
    return {role: Markup(", ".join(f'"{f}"' for f in stack)) for role, stack in STACKS.items()}


def _body_spacing() -> dict[str, float]:
    """letter-, word-spacing and indent of justified body text for the 仿宋 font in use (pdf_justify.py)."""
    family = resolved_fonts()["fangsong"]
    files = sorted((p for p, fams in _fc_list() if family in fams), key=lambda p: "Regular" not in p)
    return {"letter_spacing": pdf_justify.LETTER_SPACING_PT, "indent": pdf_justify.INDENT_PT,
            "word_spacing": pdf_justify.word_spacing_pt(pdf_justify.space_em(files[0] if files else None,
                                                                             family))}


def _css(name: str) -> Markup:
    return Markup(environment().get_template(name).render(fonts=_fonts_css(), body=_body_spacing()))


TEMPLATE_OF_KIND = {"通报": "monthly.html", "回头看": "lookback.html"}  # analyse/gongwen.py's kinds


def document_html(doc) -> str:
    """One 通报 or 回头看 report (an analyse/gongwen.Doc) as HTML for weasyprint."""
    template = TEMPLATE_OF_KIND[doc.kind]
    html = environment().get_template(template).render(doc=doc, css=_css("gongwen.css"),
                                                       font_note=font_note(), **doc.header)
    return pdf_justify.justify_paragraphs(html)


def qr_svg(url: str) -> Markup:
    """The QR code as inline SVG (segno): vector, no image file, sized by CSS."""
    import segno

    return Markup(segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True))


def poster_html(facts: dict) -> str:
    return environment().get_template("poster.html").render(
        p=facts, css=_css("poster.css"), qr_svg=qr_svg(facts["qr_url"]), font_note=font_note())


@dataclass
class Job:
    rel: str  # path under out_dir
    html: str
    key: str = ""


def jobs(tables) -> list[Job]:
    """Every PDF to produce, with its HTML (the facts come from analyse(…, documents=True))."""
    if tables.documents is None or tables.posters is None:
        raise BuildFailed("内部错误：分析阶段没有生成通报和告示牌的内容（analyse(documents=True)）")
    out = [Job(f"bulletins/{d.filename}", document_html(d)) for d in tables.documents]
    out += [Job(f"posters/{p['id']}.pdf", poster_html(p)) for p in tables.posters]
    return out


# ---------------------------------------------------------------------------- rendering
def _weasyprint_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:
        return "?"


def cache_key(html: str, environment_id: str) -> str:
    return hashlib.sha256((environment_id + "\0" + html).encode()).hexdigest()[:32]


def environment_id() -> str:
    return f"{RENDER_VERSION}\n{_weasyprint_version()}\n{font_fingerprint()}"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _warm() -> None:
    """Worker start: import weasyprint once and load the fonts, so every later render is warm."""
    import weasyprint

    weasyprint.HTML(string="<p style='font-family: \"Noto Serif CJK SC\"'>兴义</p>").render()


def render_one(html: str, target: str) -> dict:
    """Render one PDF into `target` (atomically). Runs in a worker; returns what the parent checks."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    from generator.render import pdf_fonts

    pdf_fonts.install()  # ~120 KB less per embedded CJK font

    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    t0 = time.perf_counter()
    tmp = f"{target}.{os.getpid()}.tmp"
    try:
        # data: URLs only: the templates load nothing, and text from content must not make them
        local_only = URLFetcher(allowed_protocols={"data"})
        document = weasyprint.HTML(string=html, url_fetcher=local_only).render()
        if len(document.pages) % 2 and EVEN_COLOPHON[0] in html:
            # GB/T 9704: the 版记 is on the last, even page; a blank page goes before it when needed
            html = html.replace(*EVEN_COLOPHON, 1)
            document = weasyprint.HTML(string=html, url_fetcher=local_only).render()
        document.write_pdf(tmp)
    finally:
        logger.removeHandler(handler)
    seconds = time.perf_counter() - t0
    size = os.path.getsize(tmp)
    # Font objects live in compressed object streams: ask weasyprint which families it embedded.
    fonts = sorted({str(getattr(f, "family", "")) for f in (getattr(document, "fonts", None) or {}).values()})
    missing = sorted(set(re.findall(r'unsupported by fonts: "(.*?)"', "\n".join(handler.messages))))
    foreign = [f for f in fonts if not _allowed_family(f)]
    if missing or foreign:
        os.unlink(tmp)
    else:
        os.replace(tmp, target)
    return {"seconds": seconds, "bytes": size, "fonts": fonts, "missing": missing, "foreign": foreign,
            "warnings": handler.messages}


def _cores() -> int:
    """CPUs this process may run on (a container may allow fewer than os.cpu_count())."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class Report:
    files: list[Path] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    workers: int = 0
    changed_issued: list[str] = field(default_factory=list)  # issued, bytes differ from the record


def render_jobs(todo: list[Job], out_dir: Path, cache_dir: Path, *, workers: int | None = None,
                use_cache: bool = True) -> Report:
    """Render (or reuse) every job into out_dir; raise BuildFailed on a missing glyph."""
    report = Report()
    cache_dir.mkdir(parents=True, exist_ok=True)
    env_id = environment_id()
    pending: list[Job] = []
    for job in todo:
        job.key = cache_key(job.html, env_id)
        if not (use_cache and (cache_dir / f"{job.key}.pdf").exists()):
            pending.append(job)
        else:
            report.reused.append(job.rel)
    # Several jobs with the same HTML render once.
    unique = list({j.key: j for j in pending}.values())
    unique.sort(key=lambda j: -len(j.html))  # longest first: better balance across workers
    n = max(1, min(workers or _cores(), len(unique)))
    report.workers = n if unique else 0
    results: dict[str, dict] = {}
    if len(unique) == 1 or n == 1:
        for job in unique:
            results[job.key] = render_one(job.html, str(cache_dir / f"{job.key}.pdf"))
    elif unique:
        with ProcessPoolExecutor(max_workers=n, initializer=_warm) as pool:
            futures = {j.key: pool.submit(render_one, j.html, str(cache_dir / f"{j.key}.pdf"))
                       for j in unique}
            failed = []
            for key, future in futures.items():
                try:
                    results[key] = future.result()
                except Exception as exc:  # a crash inside weasyprint: name the PDF, not a traceback
                    failed.append(f"{next(j.rel for j in unique if j.key == key)}：{exc}")
            if failed:
                raise BuildFailed("PDF 生成失败：\n" + "\n".join(failed))
    problems = []
    for job in pending:
        r = results[job.key]
        report.seconds[job.rel] = r["seconds"]
        if r["missing"]:
            problems.append(f"{job.rel}：字体中没有这些字符的字形：{'、'.join(r['missing'])}"
                            "（请检查内容中的生僻字或特殊符号，改用常用写法）")
        if r["foreign"]:
            problems.append(f"{job.rel}：有字符不在字体栈中，改用了其他字体：{'、'.join(r['foreign'])}")
        report.rendered.append(job.rel)
    if problems:
        raise BuildFailed("PDF 生成失败：\n" + "\n".join(problems))
    for job in todo:
        dest = out_dir / job.rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        cached = cache_dir / f"{job.key}.pdf"
        shutil.copyfile(cached, dest)
        os.utime(cached)  # recently used: kept by prune()
        report.files.append(dest)
        report.sizes[job.rel] = dest.stat().st_size
    prune(cache_dir, {j.key for j in todo})
    return report


def prune(cache_dir: Path, keep: set[str], max_age_days: int = 30) -> None:
    """Drop cached PDFs unused for max_age_days (the cache must not grow without bound)."""
    limit = time.time() - max_age_days * 86400
    for path in cache_dir.glob("*"):
        if path.name.split(".")[0] in keep:
            continue
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def render(content, tables, out_dir: Path, root: Path, *, workers: int | None = None,
           use_cache: bool = True) -> Report:
    """Write every bulletin, look-back report and poster under out_dir (see the module docstring)."""
    from generator.render import materials  # 宣传册 and 宣传画 (render/materials.py)

    report = render_jobs(jobs(tables) + materials.jobs(tables), Path(out_dir), Path(root) / CACHE,
                         workers=workers, use_cache=use_cache)
    # Posters hang on site fences: the same privacy scan as the public site, on their PDF text.
    from generator.paths import SCHEMAS
    from generator.privacy import scan_posters

    # An issued document is re-made from its register entry; other bytes mean the layout code or the fonts
    # changed since issue: the copy `zhiqian issue` archived (build/issued/) is the official one.
    for doc in tables.documents:
        made = Path(out_dir) / "bulletins" / doc.filename
        if doc.issued and made.is_file() and hashlib.sha256(made.read_bytes()).hexdigest() != doc.sha256:
            report.changed_issued.append(f"{doc.filename}（{doc.number}）")
    posters = {f.stem: f for f in report.files if f.parent.name == "posters"}
    problems = scan_posters(content, posters, Path(root) / SCHEMAS)
    problems += materials.scan(content, [f for f in report.files if f.parent.name == "materials"],
                               Path(root) / SCHEMAS)
    if problems:
        raise BuildFailed("告示牌含有个人信息，已停止生成：\n" + "\n".join(p.message for p in problems))
    return report
