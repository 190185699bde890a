"""PDFs with weasyprint: monthly 通报, quarterly 回头看 reports (GB/T 9704) and A3 维权信息告示牌 posters.

Output names are a contract with the internal site, which links them:
    <out>/bulletins/<YYYY-MM>-通报.pdf      one per month with returns
    <out>/bulletins/<YYYY>-Q<n>-回头看.pdf   one per quarter of the look-back
    <out>/posters/<project id>.pdf          one per active project (在建 or 停工)
    <out>/materials/宣传册-A4.pdf, 宣传画-A3.pdf   publicity materials (render/materials.py)

Every fact comes from the analyse stage (tables.documents: analyse/issued.py, bulletin.py, lookback_report.py;
tables.posters: analyse/posters.py); this module only lays the facts out in Jinja2 templates
(templates/pdf/) and runs weasyprint:
- in a few long-lived worker processes (one per core), not one process per PDF (pdf_pool.py);
- only when the input changed: each document is keyed by a hash of its HTML (with the CSS inlined), the
  font files the stacks resolve to, the weasyprint version and RENDER_VERSION; each poster by its facts
  and its layout (poster_layout_id); and reused from <root>/build/.cache/pdf/ without starting
  weasyprint at all;
- with small fonts: the unused glyph slots of the CFF subsets are emptied (pdf_fonts.py);
- checked for glyphs: a character no font of the stack covers makes weasyprint log a ".notdef" warning,
  and Pango falls back to some other installed font; either fails the build with the character named.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from generator.errors import BuildFailed
from generator.render import formats, pdf_justify
from generator.render.pdf_pool import (  # noqa: F401 (the names this module has always offered)
    EVEN_COLOPHON,
    Job,
    Report,
    cache_key,
    cached_text,
    prune,
    render_jobs,
    render_one,
)

RENDER_VERSION = "3"  # bump when the rendering code changes what a PDF looks like
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


def jobs(tables) -> list[Job]:
    """Every PDF to make: documents with their HTML, posters with their facts (analyse(…, documents=True))."""
    if tables.documents is None or tables.posters is None:
        raise BuildFailed("内部错误：分析阶段没有生成通报和告示牌的内容（analyse(documents=True)）")
    out = [Job(f"bulletins/{d.filename}", document_html(d)) for d in tables.documents]
    out += [Job(f"posters/{p['id']}.pdf", facts=p) for p in tables.posters]  # laid out only when rendered
    return out


# ---------------------------------------------------------------------------- rendering
def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def _weasyprint_version() -> str:
    return _version("weasyprint")


def environment_id() -> str:
    return f"{RENDER_VERSION}\n{_weasyprint_version()}\n{font_fingerprint()}"


# What a poster looks like besides its facts: its templates and CSS, the code that lays it out and
# renders it, the QR encoder; with environment_id() (fonts, weasyprint). A change to any re-renders all.
POSTER_LAYOUT = [*(TEMPLATES / f for f in ("poster.html", "_page.html", "poster.css")), Path(__file__),
                 *(Path(__file__).with_name(f) for f in ("pdf_pool.py", "pdf_fonts.py", "formats.py"))]


def poster_layout_id(environment: str | None = None) -> str:
    digest = hashlib.sha256((environment or environment_id()).encode())
    digest.update(f"\0segno {_version('segno')}\0fonttools {_version('fonttools')}".encode())
    for path in POSTER_LAYOUT:
        digest.update(b"\0" + path.read_bytes())
    return digest.hexdigest()


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
    cache, key_of = Path(root) / CACHE, {f.name: report.keys[f"posters/{f.name}"] for f in posters.values()}
    # the text of a cached poster is extracted once (pdftotext, ~30 ms each: minutes for a county)
    problems = scan_posters(content, posters, Path(root) / SCHEMAS,
                            text_of=lambda path: cached_text(cache, key_of[path.name]))
    problems += materials.scan(content, [f for f in report.files if f.parent.name == "materials"],
                               Path(root) / SCHEMAS)
    if problems:
        raise BuildFailed("告示牌含有个人信息，已停止生成：\n" + "\n".join(p.message for p in problems))
    return report
