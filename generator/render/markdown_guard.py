"""Hand-written pages made safe as Markdown, before any site engine reads them.

content/pages/ is written by staff and may hold raw HTML, links and front matter. The engine (mkdocs)
turns it into HTML and public_md.SanitisePlugin cleans that HTML; this guard cleans the Markdown first,
with the same allowlists, so an engine that runs no plugin of ours still gets a safe page and the
plugin becomes the second net. Clean pages pass through unchanged, byte for byte.

What the guard does (tests/test_markdown_guard.py):
- front matter: only title, description, hide and search.boost, strings HTML-escaped;
- HTML comments: emptied (an engine without our plugin would publish the staff notes in them);
- HTML tags: a tag outside public_md.ALLOWED_TAGS is removed (its text stays, as bleach does);
  an allowed tag loses every attribute public_md does not allow; any other `<` that could open a tag
  is written as `&lt;`;
- Markdown links and images: a javascript:/data:… link goes to `#`, a remote image becomes a link;
- attribute lists `{: …}`: only allowed classes, heading ids and title remain.
Text inside code spans is treated like any other text: a literal tag in code is removed too
(staff pages are prose; safety does not depend on finding code the way the engine does).
"""

from __future__ import annotations

import html
import json
import re

from markdown.extensions.attr_list import get_attrs_and_remainder
from markupsafe import escape
from mkdocs.utils.meta import get_data

from generator.render import public_md

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
EMPTY_COMMENT = "<!---->"
_ATTR = r"""[^\s"'<>/=`]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(rf"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+{_ATTR})*)\s*(/?)>")
_ONE_ATTR = re.compile(r"""([^\s"'<>/=`]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^\s<>]*>", re.IGNORECASE)
_OPENER = re.compile(r"<(?=[A-Za-z/!?])")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_REF_DEF = re.compile(r"^([ ]{0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)", re.MULTILINE)
_REF_IMAGE = re.compile(r"!\[([^\]\n]*)\](?:\[([^\]\n]*)\])?(?!\()")
_BRACES = re.compile(r"\{:?[ ]*([^}\n ][^\n}]*)\}")
_TEXT_ALIGN = re.compile(r"^\s*text-align\s*:\s*(left|right|center|justify)\s*;?\s*$", re.IGNORECASE)
_MARKDOWN_ATTR = {"1", "block", "span", "0"}  # md_in_html's switch: consumed by the engine


def guard_page(text: str) -> str:
    """A hand-written page (placeholders already filled) as Markdown an engine may render as is."""
    return _guard_front_matter(text)


# ------------------------------------------------------------------ front matter


def _guard_front_matter(text: str) -> str:
    body, meta = get_data(text)  # the engine's own reading: YAML or MultiMarkdown-style keys
    if not meta:
        return guard_markdown(text)
    safe = _safe_meta(meta)
    if safe == meta and text.startswith("---"):
        head = text[: len(text) - len(body)] if text.endswith(body) else None
        if head is not None:
            return head + guard_markdown(body)
    # JSON values are YAML flow values: the engine reads them back as written
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in safe.items())
    return (f"---\n{lines}---\n\n" if safe else "") + guard_markdown(body)


def _safe_meta(meta: dict) -> dict:
    """public_md.META_KEYS only, strings escaped (the theme prints them unescaped), a plain boost."""
    safe: dict = {}
    for key, value in meta.items():
        if key in public_md.META_KEYS and isinstance(value, str):
            safe[key] = str(escape(value))
        elif key in public_md.META_KEYS and isinstance(value, list):
            safe[key] = [str(escape(v)) for v in value if isinstance(v, str)]
    boost = public_md.search_boost(meta.get("search"))
    if boost is not None:
        original = (meta.get("search") or {}).get("boost")
        safe["search"] = {"boost": original if original == boost else boost}
    return safe


# ------------------------------------------------------------------ Markdown body


def guard_markdown(text: str) -> str:
    text = _COMMENT.sub(EMPTY_COMMENT, text)  # emptied, not removed: mkdocs' output stays the same
    text = _TAG.sub(_tag, text)
    text = _escape_openers(text)
    text = _guard_links(text)
    return _BRACES.sub(_braces, text)


def _escape_openers(text: str) -> str:
    """Every `<` that could still open a tag (or a comment), except a web or mail autolink."""
    out, pos = [], 0
    for m in _OPENER.finditer(text):
        at = m.start()
        tag = _TAG.match(text, at)
        kept = tag is not None and _tag(tag) == tag.group(0)
        if kept or _AUTOLINK.match(text, at) or text.startswith(EMPTY_COMMENT, at):
            continue  # an allowed tag (not one that removing another put together), <https://…>, a comment
        out.append(text[pos:m.start()] + "&lt;")
        pos = m.end()
    return "".join(out) + text[pos:]


def _tag(m: re.Match) -> str:
    closing, name, attrs, self_closing = m.group(1), m.group(2).lower(), m.group(3), m.group(4)
    if name not in public_md.ALLOWED_TAGS:
        return ""
    if closing:
        return f"</{name}>" if m.group(2) != name or attrs.strip() else m.group(0)
    kept, dropped = [], False
    for a in _ONE_ATTR.finditer(attrs):
        key, raw = a.group(1).lower(), a.group(2)
        value = html.unescape(raw[1:-1] if raw and raw[0] in "\"'" else (raw or ""))
        if _attribute_ok(name, key, value, raw is None):
            kept.append(key if raw is None else f'{key}="{escape(value)}"')
        else:
            dropped = True
    if not dropped and m.group(2) == name:
        return m.group(0)
    return f"<{name}{''.join(' ' + k for k in kept)}{' /' if self_closing else ''}>"


def _attribute_ok(tag: str, key: str, value: str, bare: bool) -> bool:
    if key == "markdown":
        return value in _MARKDOWN_ATTR
    if bare:
        return tag == "details" and key == "open"
    if key == "style":
        return tag in ("td", "th") and bool(_TEXT_ALIGN.match(value))
    if tag == "a" and key == "href":
        return url_ok(value, image=False)
    return public_md._attribute_allowed(tag, key, value)


def url_ok(url: str, *, image: bool) -> bool:
    """A link: relative or one of public_md.ALLOWED_PROTOCOLS. An image: on this site only."""
    plain = re.sub(r"[\s\x00-\x1f\\]", "", html.unescape(url)).lstrip("<")
    scheme = _SCHEME.match(plain)
    if image:
        return not scheme and not plain.startswith("//")
    return not scheme or scheme.group(1).lower() in public_md.ALLOWED_PROTOCOLS


def _destination_end(text: str, start: int) -> int:
    """End of an inline link destination starting at `start` (after `](` and spaces)."""
    if text.startswith("<", start):
        close = text.find(">", start)
        return close + 1 if close != -1 else start
    depth, i = 0, start
    while i < len(text) and not text[i].isspace():
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return i


def _guard_links(text: str) -> str:
    refs: dict[str, str] = {}

    def ref_def(m: re.Match) -> str:
        url = m.group(2).strip("<>")
        label = re.sub(r"\s+", " ", m.group(1).strip().lstrip("[").split("]:")[0]).lower()
        refs[label] = url
        return m.group(1) + (m.group(2) if url_ok(url, image=False) else "#")

    text = _REF_DEF.sub(ref_def, text)
    out, pos = [], 0
    for m in re.finditer(r"\]\([ \t]*", text):
        start = m.end()
        end = _destination_end(text, start)
        url = text[start:end].strip("<>")
        opener = text.rfind("[", 0, m.start())
        image = opener > 0 and text[opener - 1] == "!"
        if url and not url_ok(url, image=image):
            if image and url_ok(url, image=False) and opener - 1 >= pos:
                out.append(text[pos:opener - 1] + text[opener:end])  # a remote picture: a link to it
            else:
                out.append(text[pos:start] + "#")
            pos = end
    text = "".join(out) + text[pos:]

    def ref_image(m: re.Match) -> str:
        label = re.sub(r"\s+", " ", (m.group(2) or m.group(1)).strip()).lower()
        url = refs.get(label)
        return m.group(0)[1:] if url is not None and not url_ok(url, image=True) else m.group(0)

    return _REF_IMAGE.sub(ref_image, text)


def _braces(m: re.Match) -> str:
    attrs, _ = get_attrs_and_remainder(m.group(1))
    kept = []
    for key, value in attrs:
        if key == "." and value in public_md.ALLOWED_CLASSES:
            kept.append("." + value)
        elif key == "id" and value and public_md._HEADING_ID.match(value):
            kept.append("#" + value)
        elif key == "title" and value is not None and '"' not in value:
            kept.append(f'title="{value}"')
    if len(kept) == len(attrs):
        return m.group(0)
    return "{: " + " ".join(kept) + " }" if kept else ""
