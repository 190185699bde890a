"""Markdown safety for the public site: escaping content strings, filling placeholders, sanitising.

Generated pages are Markdown written by Jinja2 templates whose every `{{ value }}` goes through
`md_escape` (the environment's finalize), unless a filter returned Markup on purpose.
Hand-written pages (content/pages/) are cleaned as Markdown first (markdown_guard.py, before any
engine reads them) and sanitised again here after Markdown has turned them into HTML (the second net).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit

import bleach
from bleach.css_sanitizer import CSSSanitizer
from markupsafe import Markup, escape
from mkdocs.plugins import BasePlugin

from generator import placeholders

# Characters that start Markdown or HTML syntax. Numeric references work in Markdown text, in
# tables and inside raw HTML blocks alike, so one escape serves every place a value can land.
_MD_SPECIAL = re.compile(r"[&<>\"'`*_\[\]()#|\\!{}~+=^$:]")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PHONE = re.compile(r"^[0-9][0-9-]{2,19}$")


def md_escape(value: object) -> object:
    """Finalize hook: every value printed by a template is escaped unless it is Markup."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    text = " ".join(str(value).split())  # no line breaks: a value never starts a block
    return Markup(_MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text))


def slug(value: object) -> Markup:
    """An id used in a link target: must be a plain slug, never escaped into something else."""
    text = str(value)
    if not _SLUG.match(text):
        raise ValueError(f"不是合法的编号：{text!r}")
    return Markup(text)


def safe_url(value: object) -> Markup:
    """Only http(s) links from content; anything else (javascript:, data:) becomes ''.

    Characters that would end a Markdown link or an HTML attribute are percent-encoded."""
    text = str(value or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return Markup("")
    return Markup(quote(text, safe=":/?#@!$&*+,;=%-._~"))


def tel(value: object) -> Markup:
    """A hotline as a tap-to-call link when it is a plain number, else escaped text."""
    text = str(value or "").strip()
    if _PHONE.match(text):
        return Markup(f'<a href="tel:{text}">{text}</a>')
    return md_escape(text)  # type: ignore[return-value]


# ------------------------------------------------------------------ placeholders in hand-written pages

PLACEHOLDER = placeholders.PLACEHOLDER


def fill_placeholders(text: str, fill: Callable[[str, str], str | None], page: str) -> tuple[str, list[str]]:
    """Replace [[name]] and [[name:arg]]; `fill` returns Markdown or None for an unknown one."""
    problems: list[str] = []

    def sub(m: re.Match) -> str:
        out = fill(*placeholders.split(m.group(1)))
        if out is None:
            problems.append(f"content/pages/{page}：未知的占位符 [[{m.group(1)}]]")
            return m.group(0)
        return out

    return PLACEHOLDER.sub(sub, text), problems


# ------------------------------------------------------------------ sanitising

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "s",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
})
META_KEYS = ("title", "description", "hide")
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})


# id and class from a short allowlist: the theme's script and style find their own elements by id
# (id="__config", "__drawer", "__search" …) and class ("md-…"); content must not wear them.
ALLOWED_CLASSES = frozenset({
    "admonition", "admonition-title", "note", "abstract", "info", "tip", "success", "question", "warning",
    "failure", "danger", "bug", "example", "quote", "footnote", "footnote-ref", "footnote-backref",
    "headerlink",
})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_FOOTNOTE_ID = re.compile(r"^fn(?:ref\d*)?:[0-9A-Za-z_-]{1,40}$")
_HEADING_ID = re.compile(r"^(?!_{2}|md-)[\w-]{1,80}$")  # toc slugs (Chinese letters too), not the theme's


def _id_allowed(tag: str, value: str) -> bool:
    if tag in _HEADINGS:
        return bool(_HEADING_ID.match(value))  # anchors of the table of contents
    return tag in ("li", "sup") and bool(_FOOTNOTE_ID.match(value))


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if name == "title":
        return True
    if name == "class":
        return bool(value.split()) and all(c in ALLOWED_CLASSES for c in value.split())
    if name == "id":
        return _id_allowed(tag, value)
    if tag == "a" and name == "href":
        return True  # bleach still applies ALLOWED_PROTOCOLS to it
    if tag == "img" and name == "alt":
        return True
    if tag == "img" and name == "src":
        parts = urlsplit(value)
        return not parts.scheme and not parts.netloc and not value.startswith("//")  # site-local only
    if tag in ("td", "th") and name in ("style", "align", "colspan", "rowspan"):
        return True
    if tag in ("details",) and name == "open":
        return True
    return False


_CSS = CSSSanitizer(allowed_css_properties=["text-align"])


def sanitise(html: str) -> str:
    return bleach.clean(html, tags=ALLOWED_TAGS, attributes=_attribute_allowed,
                        protocols=ALLOWED_PROTOCOLS, strip=True, strip_comments=True, css_sanitizer=_CSS)


def search_boost(value: object) -> float | None:
    """front matter `search: {boost: N}` (mkdocs-material ranks guidance above project pages with it):
    only a plain number between 0 and 10 reaches the theme."""
    boost = value.get("boost") if isinstance(value, dict) else None
    if isinstance(boost, (int, float)) and not isinstance(boost, bool) and 0 < boost <= 10:
        return float(boost)
    return None


class SanitisePlugin(BasePlugin):
    """Registered by the renderer: sanitises the HTML of hand-written pages before search sees it."""

    def __init__(self, hand_written: set[str]):
        super().__init__()
        self.hand_written = hand_written

    def on_page_markdown(self, markdown, *, page, config, files):  # noqa: ARG002 - mkdocs signature
        """Front matter reaches the theme's templates unescaped: keep a few keys, escaped."""
        if page.file.src_uri in self.hand_written:
            # unescape first: markdown_guard already escaped these strings, escaping twice would show &lt;
            meta = {k: (str(escape(html.unescape(v))) if isinstance(v, str) else v)
                    for k, v in page.meta.items() if k in META_KEYS and isinstance(v, (str, list))}
            boost = search_boost(page.meta.get("search"))
            if boost is not None:
                meta["search"] = {"boost": boost}
            page.meta = meta
        return markdown

    def on_page_content(self, html, *, page, config, files):  # noqa: ARG002 - mkdocs signature
        if page.file.src_uri in self.hand_written:
            return sanitise(html)
        return html


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


class NameSearchDialogPlugin(BasePlugin):
    """The theme's search is a dialog without a name (axe-core: aria-dialog-name, serious): a screen
    reader announces just "dialog". Named here on every page, the 404 page included."""

    @staticmethod
    def _name(html: str) -> str:
        return html.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="搜索本站">', 1)

    def on_post_page(self, output, *, page, config):  # noqa: ARG002 - mkdocs signature
        return self._name(output)

    def on_post_template(self, output_content, *, template_name, config):  # noqa: ARG002 - mkdocs signature
        return self._name(output_content) if template_name.endswith(".html") else output_content
