"""The web form's config is derived from the schemas: the built config.yml matches a fresh derivation, and
every schema field of a return shows in the form with its title, required flag, choices and bounds."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.build import build, load_checked
from generator.form import admin as cms
from generator.form import config as cms_config

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"
HAS_BUNDLE = (cms.bundle_dir(FIXTURE) / "decap-cms.js").is_file()


def _tree(tmp_path: Path, as_of: str = "2025-01-20") -> Path:
    root = tmp_path / "tree"
    shutil.copytree(FIXTURE, root, symlinks=False)
    s = root / "content" / "settings.yaml"
    text = re.sub(r"(?m)^as_of: .*$", f"as_of: '{as_of}'", s.read_text(encoding="utf-8"))
    s.write_text(text, encoding="utf-8")
    return root


def _config(root: Path) -> dict:
    return cms_config.config(cms.load_schemas(root), load_checked(root))


def _by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


@pytest.mark.skipif(not HAS_BUNDLE, reason="Decap CMS 未安装")
def test_the_built_form_is_the_bundle_and_the_config_derived_from_the_schemas(tmp_path):
    root = _tree(tmp_path)
    build(root, public=False, pdf=False)
    admin = root / "build" / "internal" / "admin"
    assert yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8")) == _config(root)
    html = (admin / "index.html").read_text(encoding="utf-8")
    assert '<script src="decap-cms.js"></script>' in html and "http" not in html  # no CDN
    chunks = list(admin.glob("*.decap-cms.js"))
    assert len(chunks) > 50 and len(list(admin.glob("*.wasm"))) == 2


def test_without_the_npm_package_the_build_warns_in_chinese_and_skips_the_form(tmp_path, monkeypatch):
    root = _tree(tmp_path)
    monkeypatch.setattr(cms, "bundle_dir", lambda _root: tmp_path / "nowhere")
    said: list[str] = []
    build(root, public=False, pdf=False, log=said.append)
    assert any("没有找到在线填报程序 Decap CMS" in m and "未生成 build/internal/admin/" in m for m in said)
    assert not (root / "build" / "internal" / "admin").exists()
    assert (root / "build" / "internal" / "index.html").is_file()


def _check_fields(schema: dict, fields: list[dict], where: str) -> None:
    """Each property appears with its title, required flag, choices and bounds."""
    form = _by_name(fields)
    required = set(schema.get("required", []))
    for name, prop in schema["properties"].items():
        if name not in form:
            assert (where, name) == ("return", "amendments"), f"{where}.{name} is not in the form"
            continue
        f = form[name]
        assert f["label"].startswith(prop["title"]), f"{where}.{name}"
        if f["widget"] == "hidden":
            continue
        if prop.get("type") == "array":
            assert f["default"] == [], f"{where}.{name}: an empty list must be written as []"
        elif name != "zero_report":  # optional in the schema (hand-written files), asked for in the form
            assert f["required"] is (name in required), f"{where}.{name}"
        if "enum" in prop and f["widget"] == "select":
            assert f["options"] == prop["enum"]
        if "minimum" in prop:
            assert f["min"] == prop["minimum"] == 0
        if prop.get("pattern", "").startswith("^20[0-9]{2}-(0[1-9]|1[0-2])-("):
            assert (f["widget"], f["format"], f["time_format"]) == ("datetime", "YYYY-MM-DD", False)
        elif prop.get("pattern") and f["widget"] in ("string", "text"):
            assert f["pattern"][0] == prop["pattern"] and f["pattern"][1].startswith("应为")
        if prop.get("type") == "array" and prop["items"].get("type") == "object" and f["widget"] == "list":
            _check_fields(prop["items"], f["fields"], f"{where}.{name}")


def test_every_return_field_shows_as_the_schema_says(tmp_path):
    root = _tree(tmp_path)
    schema = json.loads((root / "schemas" / "return.schema.json").read_text(encoding="utf-8"))
    collection = _by_name(_config(root)["collections"])["returns-2025-01"]
    assert collection["folder"] == "content/returns/2025-01" and collection["identifier_field"] == "unit"
    fields = _by_name(collection["fields"])
    assert fields["month"] == {**fields["month"], "widget": "hidden", "default": "2025-01"}
    assert fields["sample"]["default"] is False
    assert fields["zero_report"]["required"] and fields["zero_report"]["default"] is False
    for name in schema["required"]:  # every required field of a return is asked for or filled in
        assert fields[name]["required"] or fields[name]["widget"] == "hidden" or fields[name]["default"] == []
    hazard = _by_name(fields["hazards"]["fields"])
    assert hazard["project"]["widget"] == "relation" and hazard["project"]["value_field"] == "id"
    assert hazard["project"]["display_fields"] == ["name"] and hazard["id"]["widget"] == "uuid"
    units = {o["value"]: o["label"] for o in fields["unit"]["options"]}
    assert units["nibaxi"] == "泥巴溪村（村（社区））" and "dangzheng" not in units  # reporting units only
    _check_fields(schema, collection["fields"], "return")
    assert "amendments" not in fields  # check-pr refuses an amendment before the month closes


def test_closed_months_edit_existing_returns_with_an_amendment(tmp_path):
    root = _tree(tmp_path)
    collections = _by_name(_config(root)["collections"])
    closed = [c for c in collections.values() if c["name"].startswith("returns-") and not c["create"]]
    assert [c["name"] for c in closed] == ["returns-2024-12", "returns-2024-11"]
    assert closed[0]["label"] == "2024年12月排查根治表（已关账，修改须登记更正）"
    amendments = _by_name(closed[0]["fields"])["amendments"]
    assert [f["name"] for f in amendments["fields"]] == ["date", "by", "reason"]
    assert _by_name(amendments["fields"])["by"]["widget"] == "select"
    schema = json.loads((root / "schemas" / "return.schema.json").read_text(encoding="utf-8"))
    _check_fields(schema, closed[0]["fields"], "closed return")


@pytest.mark.parametrize(("as_of", "months"), [("2025-01-20", ["2025-01", "2025-02"]),
                                               ("2025-02-03", ["2025-01", "2025-02", "2025-03"]),
                                               ("2025-02-05", ["2025-02", "2025-03"])])
def test_open_months_follow_the_due_rules(as_of, months):
    settings = {"as_of": as_of, "returns": {"due_day": 25, "due_month_offset": 0, "close_after_days": 10}}
    assert cms_config.open_months(settings) == months


@pytest.mark.parametrize(("forge", "backend", "editorial"), [
    ({"kind": "github", "base_url": "https://github.com", "repo": "a/b", "branch": "main"},
     {"name": "github", "repo": "a/b", "branch": "main", "api_root": "https://api.github.com"}, True),
    ({"kind": "github", "base_url": "https://git.example.cn", "repo": "a/b", "branch": "main"},
     {"name": "github", "repo": "a/b", "branch": "main", "api_root": "https://git.example.cn/api/v3"}, True),
    ({"kind": "forgejo", "base_url": "https://git.example.cn/", "repo": "a/b", "branch": "main",
      "app_id": "x"},
     {"name": "forgejo", "repo": "a/b", "branch": "main", "base_url": "https://git.example.cn",
      "api_root": "https://git.example.cn/api/v1", "app_id": "x"}, True),
    ({"kind": "gitea", "base_url": "https://git.example.cn", "repo": "a/b", "branch": "main"},
     {"name": "gitea", "repo": "a/b", "branch": "main", "base_url": "https://git.example.cn",
      "api_root": "https://git.example.cn/api/v1"}, False),
])
def test_the_backend_comes_from_settings_forge(tmp_path, forge, backend, editorial):
    content = load_checked(_tree(tmp_path))
    content.settings["forge"] = forge
    cfg = cms_config.config(cms.load_schemas(FIXTURE), content)
    assert cfg["backend"] == backend
    assert (cfg.get("publish_mode") == "editorial_workflow") is editorial
