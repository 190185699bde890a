"""The office's hand-written Markdown pages (render/internal_pages/*.md) → sanitised HTML."""

from __future__ import annotations

import os
import re
from pathlib import Path

import bleach
import markdown
from markupsafe import Markup

MD_EXTENSIONS = ["tables", "toc", "fenced_code"]
MD_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2",
           "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "span", "strong", "sub",
           "sup", "table", "tbody", "td", "th", "thead", "tr", "ul"}
MD_ATTRS = {"*": ["id", "class", "title"], "a": ["href", "title"], "img": ["src", "alt", "title"],
            "th": ["align"], "td": ["align"]}


LIST_ITEM = re.compile(r"^( *)([-*+]|\d+[.)]) ")
IMAGE_LINE = re.compile(r"^!\[[^\]]*\]\(([^)\s]+)\)\s*$")


def nest_lists(text: str) -> str:
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


def drop_missing_images(text: str, page_dir: Path) -> str:
    """A picture on a line of its own whose local file is not in the output (the form's screenshots exist
    only where the browser test has run) is left out, rather than shown as a broken image."""
    def present(line: str) -> bool:
        m = IMAGE_LINE.match(line.strip())
        return not m or "://" in m.group(1) or Path(os.path.normpath(page_dir / m.group(1))).is_file()
    return "\n".join(line for line in text.splitlines() if present(line)) + "\n"


def markdown_pages(folder: Path, page_dir: Path | None = None) -> list[dict]:
    """page_dir: where the pages are written; local images missing there are left out."""
    pages = []
    for f in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        text = f.read_text(encoding="utf-8")
        if page_dir is not None:
            text = drop_missing_images(text, page_dir)
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), f.stem)
        html = markdown.markdown(nest_lists(text), extensions=MD_EXTENSIONS, output_format="html")
        html = bleach.clean(html, tags=MD_TAGS, attributes=MD_ATTRS, protocols={"http", "https", "mailto"})
        pages.append({"slug": f.stem, "title": title, "html": Markup(html)})
    return pages
