"""Content contract: complete schemas; every shipped file declares and meets its schema."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.paths import kind_of

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))
DATA_FILES = sorted(p for p in CONTENT.rglob("*.yaml") if kind_of(p.relative_to(CONTENT).as_posix()))


def _walk_properties(node: dict, where: str):
    """Yield (json path, property schema) for every property at any depth."""
    for name, prop in node.get("properties", {}).items():
        yield f"{where}.{name}", prop
        yield from _walk_properties(prop, f"{where}.{name}")
        if isinstance(prop.get("items"), dict):
            yield from _walk_properties(prop["items"], f"{where}.{name}[]")
        if isinstance(prop.get("additionalProperties"), dict):
            yield from _walk_properties(prop["additionalProperties"], f"{where}.{name}{{}}")


def _objects(node: dict, where: str):
    if node.get("type") == "object" or "properties" in node:
        yield where, node
    for name, prop in node.get("properties", {}).items():
        yield from _objects(prop, f"{where}.{name}")
    if isinstance(node.get("items"), dict):
        yield from _objects(node["items"], f"{where}[]")


@pytest.mark.parametrize("schema_path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_complete(schema_path: Path):
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + schema_path.name)
    assert schema["title"] and schema["description"]
    for where, prop in _walk_properties(schema, "$"):
        assert prop.get("title") and prop.get("description"), f"{schema_path.name} {where} 缺少中文标题或说明"
    for where, obj in _objects(schema, "$"):
        if where.endswith("first_number"):  # year → number map, constrained by propertyNames
            continue
        if schema_path.name == "issued.schema.json" and where.startswith("$.figures"):
            continue  # the printed facts as the program wrote them (analyse/issued.py), not staff input
        assert obj.get("additionalProperties") is False, f"{schema_path.name} {where} 未禁止未知字段"
    assert any(p.get("x-public") for _, p in _walk_properties(schema, "$")), "没有任何字段标记为可公开"


def test_every_kind_has_content():
    kinds = {kind_of(p.relative_to(CONTENT).as_posix()) for p in DATA_FILES}
    # the issue register (content/issued/) stays empty until the office first runs `zhiqian issue`
    assert kinds | {"issued"} == {s.name.removesuffix(".schema.json") for s in SCHEMAS}


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(CONTENT).as_posix())
def test_file_declares_its_schema(path: Path):
    rel = path.relative_to(CONTENT)
    first = path.read_text(encoding="utf-8-sig").splitlines()[0]
    expected = "../" * len(rel.parts) + f"schemas/{kind_of(rel.as_posix())}.schema.json"
    assert first == f"# yaml-language-server: $schema={expected}"
    assert (path.parent / expected).resolve().is_file()


def test_third_party_validator_accepts_shipped_content():
    """check-jsonschema, run on every shipped file against its schema, finds nothing."""
    exe = shutil.which("check-jsonschema")
    base = [exe] if exe else [sys.executable, "-m", "check_jsonschema"]
    by_kind: dict[str, list[str]] = {}
    for p in DATA_FILES:
        by_kind.setdefault(kind_of(p.relative_to(CONTENT).as_posix()), []).append(str(p))
    for kind, files in sorted(by_kind.items()):
        schema = ROOT / "schemas" / f"{kind}.schema.json"
        run = subprocess.run([*base, "--schemafile", str(schema), *files], capture_output=True, text=True)
        assert run.returncode == 0, f"{kind}: {run.stdout}{run.stderr}"
