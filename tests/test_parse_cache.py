"""The parse cache (generator/parse_cache.py): a load that reuses it gives exactly what a cold load gives."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from _paths import copy_fixture_tree

from generator import load
from generator.build_cache import snapshot
from generator.check import check_tree
from generator.parse_cache import FILE

RETURN = "content/returns/2024-07/caizheng.yaml"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = copy_fixture_tree(tmp_path / "repo", mkdocs=False)
    returns = root / "content" / "returns" / "2024-07"
    text = (root / RETURN).read_text(encoding="utf-8")
    # a YAML syntax error, a schema error (text where a count belongs), a duplicate key, a cut comment,
    # a number too long to calculate with, and a file that is not UTF-8
    (returns / "chengguan.yaml").write_text(text.replace("unit: caizheng", "unit: chengguan\n  bad: [x"),
                                            encoding="utf-8")
    (root / RETURN).write_text(text.replace("payday_patrols: 1", "payday_patrols: 一次\nsample: true")
                               .replace("本月零报告：", "本月零报告 #1 "), encoding="utf-8")
    (returns / "gongan.yaml").write_text(text.replace("payday_patrols: 1", "payday_patrols: 1" + "0" * 50)
                                         .replace("caizheng", "gongan"), encoding="utf-8")
    (returns / "jiaoyu.yaml").write_bytes(text.replace("caizheng", "jiaoyu").encode("gb18030"))
    return root


def warm(tree: Path) -> None:
    """Write the cache from a load, as a check without errors would (the tree has errors on purpose)."""
    write = load.load_tree(tree / "content", tree / FILE).write_cache
    assert write is not None
    write()


def outcome(result) -> tuple:
    """Everything a check run hands on, with types visible (True and 1 compare equal, their reprs do not)."""
    documents = [(d.rel, d.kind, repr(d.data)) for d in result.documents]
    findings = [(f.code, f.severity, f.file, f.line, f.column, f.path, f.message) for f in result.findings]
    return documents, findings, result.pages, result.files


def loaded(result) -> tuple:
    return (outcome(result), sorted(result.late_days), sorted(result.long_numbers))


def test_a_cached_check_finds_exactly_what_a_cold_one_finds(tree: Path) -> None:
    cold = check_tree(tree)
    codes = {f.code for f in cold.findings if f.file.startswith("content/returns/2024-07/")}
    assert {"load.syntax", "schema.type", "load.duplicate-key", "load.comment-in-text", "load.encoding",
            "number.too-large"} <= codes
    first = check_tree(tree, cache=tree / FILE)  # finds errors: writes nothing
    assert not (tree / FILE).exists()
    warm(tree)
    second = check_tree(tree, cache=tree / FILE)  # reads it
    with_hashes = check_tree(tree, cache=tree / FILE, hashes=snapshot(tree, strict=False, stages=[]).files)
    assert outcome(first) == outcome(second) == outcome(with_hashes) == outcome(cold)


def test_the_loaded_documents_and_flags_are_the_same(tree: Path) -> None:
    cold = load.load_tree(tree / "content")
    warm(tree)
    assert load.load_tree(tree / "content", tree / FILE).write_cache is None  # nothing new to write
    assert loaded(load.load_tree(tree / "content", tree / FILE)) == loaded(cold)
    assert "returns/2024-07/gongan.yaml" in cold.long_numbers


def test_unchanged_files_are_not_parsed_again_and_a_changed_one_is(tree: Path, monkeypatch) -> None:
    warm(tree)
    changed = tree / "content" / "returns" / "2024-07" / "chengguan.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("  bad: [x", ""), encoding="utf-8")
    cold = check_tree(tree)
    parsed: list[str] = []
    real = load.parse_text

    def counting(text: str, file: str):
        parsed.append(file)
        return real(text, file)

    monkeypatch.setattr(load, "parse_text", counting)
    # the second load finds the changed file's new bytes in the cache; a number too long to calculate
    # with (kept as a TooLong, which the cache cannot store) is always parsed again
    for hashes, new in ((None, True), (snapshot(tree, strict=False, stages=[]).files, False)):
        parsed.clear()
        result = load.load_tree(tree / "content", tree / FILE, hashes)
        assert parsed == [str(changed.relative_to(tree))] * new + ["content/returns/2024-07/gongan.yaml"]
        assert (result.write_cache is not None) is new
        if new:
            result.write_cache()
        assert "load.syntax" not in {f.code for f in result.findings if f.file.endswith("chengguan.yaml")}
        assert outcome(check_tree(tree, cache=tree / FILE, hashes=hashes)) == outcome(cold)
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    parsed.clear()
    result = check_tree(tree, cache=tree / FILE)
    assert parsed == ["content/returns/2024-07/chengguan.yaml", "content/returns/2024-07/gongan.yaml"]
    assert outcome(result) == outcome(check_tree(tree))


def test_a_hash_that_does_not_match_the_bytes_is_not_trusted_blindly(tree: Path) -> None:
    # the caller's hash names an entry the cache has, but for other bytes: the entry must match it
    # (a file saved after the snapshot keeps the snapshot's version, which the build record names)
    warm(tree)
    hashes = {RETURN: "0" * 64}
    assert outcome(check_tree(tree, cache=tree / FILE, hashes=hashes)) == outcome(check_tree(tree))


@pytest.mark.parametrize("junk", [b"", b"\x00\x01garbage", b"truncated", "old-format", "half"])
def test_a_corrupt_or_old_cache_is_ignored_and_replaced(tree: Path, junk) -> None:
    warm(tree)
    good = (tree / FILE).read_bytes()
    if junk == "old-format":
        entry = ("x", (), {"month": "x"}, True, False, False)
        junk = marshal.dumps((0, "code", {RETURN[len("content/"):]: entry}))
    elif junk == "half":
        junk = good[: len(good) // 2]
    (tree / FILE).write_bytes(junk)
    assert outcome(check_tree(tree, cache=tree / FILE)) == outcome(check_tree(tree))
    warm(tree)
    assert (tree / FILE).read_bytes() == good  # written again, whole


def test_a_stale_entry_of_another_format_is_not_used(tree: Path) -> None:
    warm(tree)
    fmt, code, entries = marshal.loads((tree / FILE).read_bytes())
    rel = RETURN[len("content/"):]
    sha, findings, data, ok, late, long = entries[rel]
    entries[rel] = (sha, findings, {**data, "notes": "来自缓存"}, ok, late, long)
    (tree / FILE).write_bytes(marshal.dumps((fmt, code + "-other-code", entries)))
    result = check_tree(tree, cache=tree / FILE)
    assert next(d for d in result.documents if d.rel == rel).data["notes"] != "来自缓存"


def test_the_public_scan_sees_every_public_value_public_leaves_sees(tree: Path) -> None:
    # public_side scans public_leaves_where (faster, filtered): unfiltered it must give the same leaves
    from generator.public_fields import load_schemas, public_leaves, public_leaves_where

    schemas = load_schemas(tree / "schemas")
    count = 0
    for doc in load.load_tree(tree / "content").documents:
        if doc.kind in schemas and isinstance(doc.data, dict):
            leaves = list(public_leaves(doc.data, schemas[doc.kind]))
            assert repr(public_leaves_where(doc.data, schemas[doc.kind], lambda _text: True)) == repr(leaves)
            count += len(leaves)
    assert count > 500


def test_only_a_check_without_errors_writes_the_cache(tmp_path: Path) -> None:
    root = copy_fixture_tree(tmp_path / "repo", mkdocs=False)
    good = root / RETURN
    text = good.read_text(encoding="utf-8")
    good.write_text(text.replace("payday_patrols: 1", "payday_patrols: 一次"), encoding="utf-8")
    assert check_tree(root, cache=root / FILE).errors
    assert not (root / FILE).exists()  # bad content: nothing written
    good.write_text(text, encoding="utf-8")
    assert not check_tree(root, cache=root / FILE).errors
    assert (root / FILE).is_file()
