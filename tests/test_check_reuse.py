"""Findings remembered per document between builds (generator/check/reuse.py): a build that reuses them
reports exactly what a check without any cache reports, whatever changed since the last build."""

from __future__ import annotations

from pathlib import Path

import pytest
from _paths import copy_fixture_tree, edit

from generator.check import check_tree
from generator.parse_cache import FILE, FINDINGS_FILE

REUSED = FINDINGS_FILE
RETURN = "content/returns/2024-08/nibaxi.yaml"
PROJECT = "content/projects/yangliu-bridge.yaml"
HOTLINE = "- name: 人社服务热线\n  number: '12333'"
OWN_HOTLINE = "- name: 示例维权专线\n  number: '13900001111'\n  purpose: 测试\n  confirmed: true\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = copy_fixture_tree(tmp_path / "repo", mkdocs=False)
    # A mobile number published as a hotline, also written in a project's public field (allowed: it is
    # published), and one in a return's internal notes (allowed: not public).
    edit(root, "content/settings.yaml", HOTLINE, OWN_HOTLINE + HOTLINE)
    edit(root, PROJECT, "\nlocation: ", "\nlocation: 维权专线 13900001111，")
    edit(root, RETURN, "\nnotes: ", "\nnotes: 联系人 13712345678，")
    return root


def everything(result) -> list[tuple]:
    """Every finding with all it carries (the field path too), in order."""
    return [(f.code, f.severity, f.file, f.line, f.column, f.path, f.message, f.loc, f.at_key, f.stands_for)
            for f in result.findings]


def build_check(root: Path):
    """The check a build with reuse runs (build.load_checked)."""
    return check_tree(root, place_warnings=False, cache=root / FILE)


def warm(root: Path) -> list[tuple]:
    result = build_check(root)
    assert not result.errors and (root / REUSED).is_file()
    return everything(result)


@pytest.fixture
def judged(monkeypatch) -> list[list[str]]:
    """The documents the rules layer judged in each run (what was not taken from the cache)."""
    from generator.check import rules

    runs: list[list[str]] = []
    real = rules.check

    def spy(documents, *args):  # clue files are always judged: clue ids are compared across them
        runs.append([d.rel for d in documents if d.kind != "clues"])
        return real(documents, *args)

    monkeypatch.setattr(rules, "check", spy)
    return runs


def _as_of(root: Path, day: str) -> None:
    edit(root, "content/settings.yaml", "as_of: '2025-01-20'", f"as_of: '{day}'")


CHANGES = {
    # one return: another unit's person signs it (a warning) and it gains a field no schema knows
    "return": lambda root: (edit(root, RETURN, "approved_by: nibaxi-secretary",
                                 "approved_by: yangliu-secretary"),
                            edit(root, RETURN, "hazards:", "payday_patrols_note: x\nhazards:")),
    # the hotline's number changes: the project's number is no longer published, so it is personal
    "published numbers": lambda root: edit(root, "content/settings.yaml", "number: '13900001111'",
                                           "number: '12319'"),
    "hotline removed": lambda root: edit(root, "content/settings.yaml", OWN_HOTLINE, ""),
    # "today" moves back: later returns are in months not begun; forward: planned completions pass
    "as_of earlier": lambda root: _as_of(root, "2024-09-20"),
    "as_of later": lambda root: _as_of(root, "2026-06-30"),
    # the schema makes the returns' notes public: the mobile in the unchanged return is reported
    "schema public field": lambda root: edit(root, "schemas/return.schema.json", '"notes": {',
                                             '"notes": {\n      "x-public": true,'),
    "schema rule": lambda root: edit(root, "schemas/return.schema.json", '"payday_patrols": {',
                                     '"payday_patrols": {\n      "maximum": 0,'),
    # the project moves to another village: returns that checked it went outside their area
    "project moved": lambda root: edit(root, "content/projects/nibaxi-road.yaml", "village: nibaxi",
                                       "village: yangliu"),
    "project removed": lambda root: (root / "content/projects/nibaxi-road.yaml").unlink(),
    # a clerk moves to another unit: the returns they signed are signed by another unit's person
    "roster": lambda root: edit(root, "content/taskforce.yaml", "unit: nibaxi", "unit: yangliu"),
    # October gains an open hazard that the unchanged November return leaves out
    "hazard dropped next month": lambda root: _second_hazard(root),
    # the agriculture office reports arrears on a project in 泥巴溪, whose unchanged return is a zero report
    "zero report contradicted": lambda root: edit(root, "content/returns/2024-11/nongfu.yaml",
                                                  "project: yangliu-farmland", "project: nibaxi-road"),
}

OCTOBER = "content/returns/2024-10/qingshan.yaml"


def _second_hazard(root: Path) -> None:
    text = (root / OCTOBER).read_text(encoding="utf-8")
    first = text[text.index("hazards:\n") + len("hazards:\n"):]
    second = first.replace("- id: h1", "- id: h2").replace("found_on: '2024-09-05'", "found_on: '2024-09-06'")
    (root / OCTOBER).write_text(text + second, encoding="utf-8")


@pytest.mark.parametrize("change", list(CHANGES))
def test_after_a_change_the_reusing_check_finds_what_a_check_without_cache_finds(tree, change) -> None:
    before = warm(tree)
    CHANGES[change](tree)
    reused = everything(build_check(tree))
    cold = everything(check_tree(tree, place_warnings=False))
    assert reused == cold
    assert reused != before  # the change is one the check notices


def test_one_changed_return_is_the_only_document_judged_again(tree, judged) -> None:
    warm(tree)
    edit(tree, RETURN, "approved_by: nibaxi-secretary", "approved_by: yangliu-secretary")
    second = build_check(tree)
    assert judged[-1] == ["returns/2024-08/nibaxi.yaml"]
    signer = [f for f in second.findings if f.code == "return.signer-other-unit"]
    assert [(f.file, f.path) for f in signer] == [(RETURN, "approved_by")]
    third = build_check(tree)  # nothing changed: every document's findings come from the cache
    assert judged[-1] == []
    assert everything(third) == everything(second) == everything(check_tree(tree, place_warnings=False))


def test_settings_change_judges_every_document_again(tree, judged) -> None:
    warm(tree)
    first = len(judged[-1])
    _as_of(tree, "2025-01-21")
    build_check(tree)
    assert len(judged[-1]) == first > 50


def test_only_a_build_reads_the_remembered_findings(tree) -> None:
    """A planted entry proves the cache is read by a build's check, and never by validate."""
    import marshal

    warm(tree)
    fmt, context, entries, months = marshal.loads((tree / REUSED).read_bytes())
    sha, _rows = entries["returns/2024-07/nibaxi.yaml"]
    planted = ("hazard.no-target", "error", "content/returns/2024-07/nibaxi.yaml", 0, 0, "hazards[0]", "假的",
               ("hazards", 0), False, "")
    entries["returns/2024-07/nibaxi.yaml"] = (sha, (planted,))
    (tree / REUSED).write_bytes(marshal.dumps((fmt, context, entries, months)))
    assert "假的" in [f.message for f in build_check(tree).findings]
    assert "假的" not in [f.message for f in check_tree(tree).findings]
    assert "假的" not in [f.message for f in check_tree(tree, place_warnings=False).findings]


def test_findings_with_errors_are_not_remembered(tree) -> None:
    warm(tree)
    stored = (tree / REUSED).read_bytes()
    edit(tree, PROJECT, "\nlocation: ", "\nlocation: 身份证 500230199001011234，")
    assert build_check(tree).errors
    assert (tree / REUSED).read_bytes() == stored


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\x00" * 40])
def test_a_damaged_cache_is_ignored(tree, damage: bytes) -> None:
    warm(tree)
    (tree / REUSED).write_bytes(damage)
    edit(tree, RETURN, "approved_by: nibaxi-secretary", "approved_by: yangliu-secretary")
    assert everything(build_check(tree)) == everything(check_tree(tree, place_warnings=False))


def test_other_code_judges_every_document_again(tree, judged, monkeypatch) -> None:
    from generator import parse_cache

    warm(tree)
    first = len(judged[-1])
    real = parse_cache.code_id
    monkeypatch.setattr(parse_cache, "code_id", lambda: real() + "-other")
    build_check(tree)
    assert len(judged[-1]) == first > 50


def test_the_month_rules_judge_again_only_the_changed_month_and_the_next(tree, monkeypatch) -> None:
    from generator.check import rules_ledger

    months: list = []
    real = rules_ledger.across

    def spy(documents, ctx, wanted=None):
        months.append(wanted)
        return real(documents, ctx, wanted)

    monkeypatch.setattr(rules_ledger, "across", spy)
    warm(tree)
    _second_hazard(tree)
    second = build_check(tree)
    assert months[-1] == {"2024-10", "2024-11"}
    dropped = [(f.file, f.code) for f in second.findings if f.code == "hazard.dropped-unresolved"]
    assert dropped == [("content/returns/2024-11/qingshan.yaml", "hazard.dropped-unresolved")]
    third = build_check(tree)  # nothing changed: every month's findings come from the cache
    assert months[-1] == set()
    assert everything(third) == everything(second) == everything(check_tree(tree, place_warnings=False))
