"""Jinja2 environment for the workflow's text outputs (YAML returns, Markdown summaries)."""

from __future__ import annotations

import json
import re
from functools import cache

import jinja2
import yaml

_NUMBERISH = re.compile(r"^[-+.]?[0-9]")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text) -> str:
    """Escape text for a Markdown table cell: no markup, no HTML, no line breaks."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\r", " ").replace("\n", " ")


def yscalar(value) -> str:
    """One YAML scalar in flow style, quoted when YAML would otherwise read it as another type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 150000.0 reads back as 150000, which compares equal
    if isinstance(value, int | float):
        return repr(value)
    value = str(value)
    if "\n" in value or "\r" in value:
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9)
    text = text.removesuffix("\n...\n").removesuffix("\n")
    if text == value and (_NUMBERISH.match(value) or value.lower() in _YAML11_WORDS):
        return "'" + value + "'"  # keep other YAML readers (1.2, editors) from seeing a number or bool
    return text


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.workflow", "templates"),
        autoescape=False,  # YAML and Markdown, escaped by the filters below
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["md"] = md
    env.filters["y"] = yscalar
    return env
