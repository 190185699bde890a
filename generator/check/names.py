"""Names clerks write instead of ids: a unit's or person's full name, or a project's shortened the way
they say it (农贸市场改造 for 兴义农贸市场改造工程（示例）). Only run for a reference that names nothing."""

from __future__ import annotations

import difflib

from generator import hints

_NAME_NOISE = ("（示例）", "示例", "(示例)")
_NAME_SUFFIXES = ("社区", "村", "镇", "办公室", "办", "中心", "所")


def _plain_name(name: str) -> str:
    """A name without what staff add or leave out: 长江村 / 长江 / 长江（示例） → 长江."""
    n = name.strip().strip(hints._QUOTES)
    for noise in _NAME_NOISE:
        n = n.replace(noise, "")
    for suffix in _NAME_SUFFIXES:
        if n.endswith(suffix) and len(n) > len(suffix) + 1:
            return n[: -len(suffix)]
    return n


def by_name(value: str, options: dict[str, dict] | None) -> list[str]:
    """Ids whose Chinese name is what the user wrote instead of the id (only run on a finding)."""
    if not options or value.isascii():
        return []
    want = _plain_name(value)
    return [k for k, item in options.items()
            if isinstance(item, dict) and isinstance(item.get("name"), str) and want
            and _plain_name(item["name"]) == want]

_CORE_NOISE = ("工程", "项目", "建设")


def _core(name: str, town: str) -> str:
    """A project or enterprise name as clerks shorten it: 兴义农贸市场改造工程（示例） → 农贸市场改造."""
    n = _plain_name(name)
    for prefix in (town + "镇", town):
        if town and n.startswith(prefix) and len(n) > len(prefix) + 1:
            n = n[len(prefix):]
    for word in _CORE_NOISE:
        if n.endswith(word) and len(n) > len(word) + 1:
            n = n[: -len(word)]
    return n


def by_short_name(value: str, options: dict[str, dict] | None, town: str = "") -> list[str]:
    """The one id whose name a short or loose form (农贸市场改造, 长江护岸工程) most likely means: the
    written core inside the name, or the closest name by difflib (ratio ≥ 0.6, clearly ahead)."""
    if not options or value.isascii():
        return []
    want = _core(value, town)
    if len(want) < 2:
        return []
    names = {k: _core(item["name"], town) for k, item in options.items()
             if isinstance(item, dict) and isinstance(item.get("name"), str)}
    inside = [k for k, n in names.items() if want in n or (len(n) >= 3 and n in want)]
    if len(inside) == 1:
        return inside
    scored = sorted(((difflib.SequenceMatcher(None, want, n).ratio(), k) for k, n in names.items()),
                    reverse=True)
    if scored and scored[0][0] >= 0.6 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.1):
        return [scored[0][1]]
    return []
