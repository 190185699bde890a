"""Privacy: the public view keeps only x-public fields; the site scan finds personal numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.build import load_checked
from generator.privacy import mask, public_record, public_view, scan_site, scan_text

ROOT = Path(__file__).resolve().parent.parent


def luhn_complete(prefix: str) -> str:
    """prefix + the digit that makes it pass Luhn."""
    for d in "0123456789":
        digits = [int(c) for c in reversed(prefix + d)]
        total = sum(x if i % 2 == 0 else (x * 2 - 9 if x * 2 > 9 else x * 2) for i, x in enumerate(digits))
        if total % 10 == 0:
            return prefix + d
    raise AssertionError


VALID_ID = "11010519491231002X"  # the standard's own example: check digit X
INVALID_ID = "110105194912310021"  # same number, wrong check digit
VALID_CARD = luhn_complete("622202020011234567")  # 19 digits
INVALID_CARD = VALID_CARD[:-1] + str((int(VALID_CARD[-1]) + 1) % 10)


@pytest.fixture(scope="module")
def content():
    return load_checked(ROOT)


@pytest.fixture(scope="module")
def view(content):
    return public_view(content, ROOT / "schemas")


# ------------------------------------------------------------------ public view


def test_project_keeps_public_fields_and_drops_internal_ones(view):
    p = view.projects["yangliu-bridge"]
    assert p["name"] == "杨柳便民桥建设工程（示例）"
    assert p["labour_manager"] == {"name": "冉劳资示例"}  # the phone is internal
    assert p["notice_board"]["posted"] is True
    assert p["platform"] == {"qualifies": True, "connected": True}  # readings are internal
    for internal in ("contract_sum_yuan", "deposit", "dedicated_account", "coordinator", "baobao",
                     "real_name", "bank_payroll", "rectifications", "violations"):
        assert internal not in p


def test_nested_public_field_under_internal_parent_is_dropped(view, content):
    """hazards[].cause is marked public, but hazards is not: nothing of a hazard survives."""
    schema = json.loads((ROOT / "schemas/return.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["hazards"]["items"]["properties"]["cause"]["x-public"] is True
    ret = view.returns[("2024-12", "yangliu")]
    assert "hazards" not in ret and "filled_by" not in ret
    assert content.returns[("2024-12", "yangliu")]["hazards"]  # the full content still has them


def test_people_lose_phone_and_git_accounts(view):
    for person in view.taskforce["people"]:
        assert "phone" not in person and "git_accounts" not in person
    assert "git_accounts" not in view.taskforce["office"]


def test_clues_have_no_public_field(view, content):
    assert content.clues and view.clues == []


def test_public_view_is_a_copy(content, view):
    assert "phone" in content.projects["yangliu-bridge"]["labour_manager"]
    assert view.settings["hotlines"][0]["number"] == "12333"
    assert "repo_url" not in view.settings["site"]


def test_schema_refs_and_unmarked_root_fields():
    schema = {
        "type": "object",
        "$defs": {"contact": {"type": "object", "properties": {
            "name": {"type": "string", "x-public": True}, "phone": {"type": "string"}}}},
        "properties": {
            "title": {"type": "string", "x-public": True},
            "secret": {"type": "string"},
            "contact": {"$ref": "#/$defs/contact", "x-public": True},
            "hidden": {"type": "object", "properties": {"name": {"type": "string", "x-public": True}}},
        },
    }
    data = {"title": "t", "secret": "s", "contact": {"name": "n", "phone": "p"}, "hidden": {"name": "x"}}
    assert public_record(data, schema) == {"title": "t", "contact": {"name": "n"}}


# ------------------------------------------------------------------ scan


def test_scan_finds_valid_id_number_only():
    assert scan_text(f"身份证 {VALID_ID} 。") == [("身份证号", "1101**********002X")]
    assert ("身份证号", mask(INVALID_ID)) not in scan_text(INVALID_ID)


def test_scan_finds_mobile_numbers_in_common_spellings():
    found = scan_text("电话 13700000107，或 +86 139-1234-5678；座机 023-70601234")
    assert found == [("手机号", "137****0107"), ("手机号", "139****5678")]


def test_scan_finds_bank_card_by_luhn():
    assert scan_text(f"卡号{VALID_CARD}") == [("银行卡号", mask(VALID_CARD))]
    spaced = " ".join(VALID_CARD[i:i + 4] for i in range(0, len(VALID_CARD), 4))
    assert scan_text(f"卡号 {spaced}") == [("银行卡号", mask(VALID_CARD))]
    assert scan_text(f"卡号{INVALID_CARD}") == []


def test_scan_ignores_ordinary_numbers():
    assert scan_text("2024-12-04 共 800 人次，合同价 2100000 元，行政区划代码 500230110，12333") == []


def test_scan_sees_through_search_index_word_breaks():
    assert scan_text("联系\\u200b137\\u200b00000107") == [("手机号", "137****0107")]


def test_scan_site_names_file_and_kind_with_masked_number(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(f"<p>身份证：{VALID_ID}</p>", encoding="utf-8")
    (tmp_path / "search_index.json").write_text('{"text": "手机 13912345678"}', encoding="utf-8")
    (tmp_path / "ok.html").write_text("<p>12348</p>", encoding="utf-8")
    problems = scan_site(tmp_path)
    assert [p.message for p in problems] == [
        "a/index.html：发现疑似身份证号（1101**********002X），公开网站不得包含个人信息。",
        "search_index.json：发现疑似手机号（139****5678），公开网站不得包含个人信息。",
    ]
    assert all(VALID_ID not in p.message and "13912345678" not in p.message for p in problems)
