"""The placeholders of hand-written pages ([[号码:人社服务热线]] …): one vocabulary for the renderer, which
fills them, and the check stage, which reports an unknown one on its Markdown line."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"\[\[([^\[\]\n]{1,40})\]\]")
HOTLINE = "号码"  # [[号码:关键词]]: the number of the first hotline whose name holds the keyword
# filled from settings.yaml as a whole; 就近反映: where to go and what to say while a local number
# is unconfirmed
WHOLE = ("热线表", "最低工资", "保证金比例", "统计截止日", "就近反映")


def split(inner: str) -> tuple[str, str]:
    """"号码:人社服务热线" → ("号码", "人社服务热线")."""
    name, _, arg = inner.partition(":")
    return name.strip(), arg.strip()


def find_hotline(hotlines: list, keyword: str) -> dict | None:
    """The first hotline whose name contains keyword (settings.yaml decides the numbers)."""
    return next((h for h in hotlines or []
                 if isinstance(h, dict) and keyword in str(h.get("name") or "")), None)
