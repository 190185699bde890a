"""Which fields are public: the "x-public" marks of the JSON Schemas, read once for every stage.

Neutral ground: the check stage (public-side findings) and privacy/render (public_view, scans) both read it.
A nested field is public only when every ancestor is public too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def load_schemas(schemas_dir: Path) -> dict[str, dict]:
    """kind → schema, from schemas/<kind>.schema.json."""
    out = {}
    for path in sorted(Path(schemas_dir).glob("*.schema.json")):
        out[path.name.removesuffix(".schema.json")] = json.loads(path.read_text(encoding="utf-8"))
    return out


# (id schema, id root) → (schema, root, result)
_RESOLVED: dict[tuple[int, int], tuple[dict, dict, dict]] = {}


def _resolve(schema: Any, root: dict) -> dict:
    """Follow local $ref and merge object branches of allOf/anyOf/oneOf, so properties are found.
    Remembered per schema object (a county walks ~100,000 fields against a few hundred sub-schemas);
    the entry holds the objects themselves, so their ids cannot be reused by others meanwhile."""
    if not isinstance(schema, dict) or not schema:
        return {}
    known = _RESOLVED.get((id(schema), id(root)))
    if known is not None and known[0] is schema and known[1] is root:
        return known[2]
    resolved = _resolve_once(schema, root)
    if len(_RESOLVED) < 100_000:
        _RESOLVED[(id(schema), id(root))] = (schema, root, resolved)
    return resolved


def _resolve_once(schema: dict, root: dict) -> dict:
    seen = 0
    while isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/") and seen < 20:
        target: Any = root
        for part in schema["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        seen += 1
    branches = [b for key in ("allOf", "anyOf", "oneOf") for b in schema.get(key, [])]
    if branches:
        merged = dict(schema)
        props = dict(schema.get("properties", {}))
        for branch in branches:
            b = _resolve(branch, root)
            props.update(b.get("properties", {}))
            if "items" in b and "items" not in merged:
                merged["items"] = b["items"]
        if props:
            merged["properties"] = props
        schema = merged
    return schema


def _filter(value: Any, schema: Any, root: dict) -> Any:
    """Keep only public parts of `value`; `schema` is the (public) field's own schema."""
    schema = _resolve(schema, root)
    if isinstance(value, dict):
        props = schema.get("properties")
        if props is None:
            # A public free-form map (e.g. numbers by year): its author marked it public whole.
            return dict(value) if not any(isinstance(v, (dict, list)) for v in value.values()) else {}
        out = {}
        for key, sub in value.items():
            sub_schema = _resolve(props.get(key), root)
            if sub_schema.get("x-public") is True:
                out[key] = _filter(sub, sub_schema, root)
        return out
    if isinstance(value, list):
        item_schema = schema.get("items", {})
        return [_filter(v, item_schema, root) for v in value]
    return value


def public_record(data: dict, schema: dict) -> dict:
    """One record reduced to its public fields (the schema root counts as public)."""
    return _filter(data, schema, schema)



def public_leaves(data: Any, schema: dict) -> Iterator[tuple[tuple, Any, dict]]:
    """(field path, value, field schema) of every public scalar of one record, as public_record keeps
    them; a public free-form map yields its keys too (they are shown)."""

    def walk(value: Any, sub: Any, loc: tuple) -> Iterator[tuple[tuple, Any, dict]]:
        sub = _resolve(sub, schema)
        if isinstance(value, dict):
            props = sub.get("properties")
            if props is None:
                if not any(isinstance(v, (dict, list)) for v in value.values()):
                    for k, v in value.items():
                        yield (*loc, k), k, {}
                        yield (*loc, k), v, {}
                return
            for key, item in value.items():
                item_schema = _resolve(props.get(key), schema) if isinstance(key, str) else {}
                if item_schema.get("x-public") is True:
                    yield from walk(item, item_schema, (*loc, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, sub.get("items", {}), (*loc, i))
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            yield loc, value, sub

    yield from walk(data, schema, ())


def public_leaves_where(data: Any, schema: dict,
                        wanted: Callable[[str], bool]) -> list[tuple[tuple, Any, dict]]:
    """public_leaves, in the same order, but only the leaves whose text (str(value)) `wanted` accepts. The
    check stage scans ~160,000 public values of a county for personal numbers, and most are too short to
    hold one: their field paths are never built, and each sub-schema's public fields are worked out once."""
    out: list[tuple[tuple, Any, dict]] = []
    path: list = []
    plan = _plans(schema)

    def walk(value: Any, sub: Any) -> None:
        resolved, public, items = plan(sub)
        if isinstance(value, dict):
            if public is None:
                if not any(isinstance(v, (dict, list)) for v in value.values()):
                    for k, v in value.items():
                        for leaf in (k, v):
                            if wanted(str(leaf)):
                                out.append(((*path, k), leaf, {}))
                return
            for key, item in value.items():
                item_schema = public.get(key)
                if item_schema is None:
                    continue
                if isinstance(item, (dict, list)):
                    path.append(key)
                    walk(item, item_schema)
                    path.pop()
                # a value: judged here, without a call per value (most are too short to hold a number)
                elif isinstance(item, (str, int)) and not isinstance(item, bool) and wanted(str(item)):
                    out.append(((*path, key), item, plan(item_schema)[0]))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, (dict, list)):
                    path.append(i)
                    walk(item, items)
                    path.pop()
                elif isinstance(item, (str, int)) and not isinstance(item, bool) and wanted(str(item)):
                    out.append(((*path, i), item, plan(items)[0]))
        elif isinstance(value, (str, int)) and not isinstance(value, bool) and wanted(str(value)):
            out.append((tuple(path), value, resolved))

    walk(data, schema)
    return out


_NO_ITEMS: dict = {}
_PLANS: dict[int, tuple[dict, Callable]] = {}


def _plans(root: dict) -> Callable[[Any], tuple[dict, dict | None, Any]]:
    """For the sub-schemas of one root schema: sub-schema → (resolved, {public field: its resolved schema}
    or None when it lists no properties, the schema of its items), each worked out once."""
    known = _PLANS.get(id(root))
    if known is not None and known[0] is root:
        return known[1]
    memo: dict[int, tuple[Any, tuple]] = {}

    def plan(sub: Any) -> tuple[dict, dict | None, Any]:
        hit = memo.get(id(sub))
        if hit is not None and hit[0] is sub:
            return hit[1]
        resolved = _resolve(sub, root)
        props = resolved.get("properties")
        public = None if props is None else {
            k: r for k, s in props.items()
            if isinstance(k, str) and (r := _resolve(s, root)).get("x-public") is True}
        entry = (resolved, public, resolved.get("items", _NO_ITEMS))
        if isinstance(sub, dict) and len(memo) < 10_000:  # held with its key object, so the id stays its own
            memo[id(sub)] = (sub, entry)
        return entry

    if len(_PLANS) >= 100:  # schemas are read again by every check run: forget old ones
        _PLANS.clear()
    _PLANS[id(root)] = (root, plan)
    return plan


def is_phone_field(field_schema: dict) -> bool:
    """A field whose own pattern admits a mobile and a landline but not a word is a phone-number field."""
    pattern = field_schema.get("pattern") if isinstance(field_schema, dict) else None
    if not isinstance(pattern, str):
        return False
    try:
        admits = re.compile(pattern).fullmatch
    except re.error:
        return False
    return bool(admits("13800000000") and admits("023-70601234") and not admits("a"))


def published_numbers(records: list[tuple[dict, dict]]) -> set[str]:
    """Digits of every number in a public phone field (hotlines in settings, units' complaint phones):
    the office publishes these on purpose, so the scans must not report them. Only the phone fields'
    paths are visited (found once per schema): a county roster has ~100,000 fields and none of them."""
    from generator.detect import phone_key

    out = set()
    for data, schema in records:
        for path in _phone_paths(schema):
            for value in _at(data, path):
                if isinstance(value, str) and value.strip():
                    out.add(phone_key(value))
    return out


_PHONE_PATHS: dict[int, tuple[dict, list[tuple]]] = {}


def _phone_paths(schema: dict) -> list[tuple]:
    """Paths ("*" for every item of a list) of the public phone fields, as public_leaves reaches them."""
    known = _PHONE_PATHS.get(id(schema))
    if known is None or known[0] is not schema:
        out: list[tuple] = []
        _collect(schema, schema, (), out)
        known = _PHONE_PATHS[id(schema)] = (schema, out)
    return known[1]


def _collect(sub: Any, root: dict, path: tuple, out: list[tuple]) -> None:
    sub = _resolve(sub, root)
    if len(path) > 16:  # a schema that refers to itself: real records are far shallower
        return
    if is_phone_field(sub):
        out.append(path)
    props = sub.get("properties")
    if isinstance(props, dict):
        for key, item in props.items():
            item = _resolve(item, root)
            if isinstance(key, str) and item.get("x-public") is True:
                _collect(item, root, (*path, key), out)
    if "items" in sub:
        _collect(sub.get("items"), root, (*path, "*"), out)


def _at(value: Any, path: tuple) -> Iterator[Any]:
    if not path:
        yield value
    elif path[0] == "*":
        if isinstance(value, list):
            for item in value:
                yield from _at(item, path[1:])
    elif isinstance(value, dict) and path[0] in value:
        yield from _at(value[path[0]], path[1:])
