"""Editors (yaml-language-server) show the schemas' own errorMessage / patternErrorMessage: every typed field
has them in Chinese, and the schemas stay valid for jsonschema and check-jsonschema."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))
HAN = re.compile(r"[\u4e00-\u9fff]")


def _nodes(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _nodes(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _nodes(value, f"{path}/{i}")


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_every_typed_field_has_a_chinese_message(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    for where, node in _nodes(schema):
        if "pattern" in node:
            assert HAN.search(node.get("patternErrorMessage", "")), where
        if "type" in node and node["type"] != "object" and where:
            assert HAN.search(node.get("errorMessage", "")), where


def test_the_return_schema_messages_read_as_a_clerk_needs() -> None:
    props = json.loads((ROOT / "schemas/return.schema.json").read_text(encoding="utf-8"))["properties"]
    assert props["month"]["patternErrorMessage"] == "月份应为 YYYY-MM 格式的月份，如 2024-12"
    workers = props["hazards"]["items"]["properties"]["workers"]
    assert workers["errorMessage"] == "涉及人数应为不小于 0 的整数：只写阿拉伯数字，不加引号和单位"


CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(CHECK_JSONSCHEMA is None, reason="没有 check-jsonschema（pip install -e .[test] 会安装）")
def test_check_jsonschema_accepts_the_schemas() -> None:
    exe = CHECK_JSONSCHEMA
    proc = subprocess.run([exe, "--check-metaschema", *map(str, SCHEMAS)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
