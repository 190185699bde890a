"""Bounded work per file (generator/load.py, yaml_parse.py): size, structure and number length are capped
before anything is built, so a hostile or mistaken file gives one finding instead of minutes and gigabytes."""

from __future__ import annotations

import tracemalloc

import pytest

from generator.load import MAX_MARKS, MAX_NUMBER_CHARS, TooLong, parse_text

# Shapes with the most nodes per byte: flow items, empty flow lists, flow maps, block lists, keys.
SHAPES = {
    "flow-items": lambda n: "x: [" + ",".join(["1"] * n) + "]\n",
    "flow-empty-lists": lambda n: "x: [" + ",".join(["[]"] * (n // 2)) + "]\n",
    "flow-maps": lambda n: "x: [" + ",".join(["{a:1,b:2,c:3}"] * (n // 4)) + "]\n",
    "block-list": lambda n: "x:\n" + "- 1\n" * (n // 2),
    "keys": lambda n: "".join(f"k{i}: {i}\n" for i in range(n // 2)),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_file_over_the_node_cap_is_refused_before_it_is_built(shape: str) -> None:
    text = SHAPES[shape](MAX_MARKS + 100)
    data, findings, ok = parse_text(text, "content/clues/2024-12.yaml")
    assert (data, ok) == (None, False)
    assert [(f.code, f.line) for f in findings] == [("load.too-many-nodes", 1)]
    assert findings[0].message.startswith("文件内容条目太多")


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_file_just_under_the_node_cap_is_read_within_the_memory_bound(shape: str) -> None:
    text = SHAPES[shape](MAX_MARKS - 100)
    tracemalloc.start()
    try:
        data, findings, ok = parse_text(text, "content/clues/2024-12.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ok and findings == []
    assert peak < 96_000_000  # the bound stated in yaml_parse.py (measured worst: ~75 MB)


@pytest.mark.parametrize("written", ["9" * 310, "1" * 5000, "-" + "9" * 100, "3.8e+500", "1" * 100 + ".5"])
def test_a_number_too_long_is_kept_as_too_long_not_converted(written: str) -> None:
    data, findings, ok = parse_text(f"amount_yuan: {written}\n", "content/x.yaml")
    value = data["amount_yuan"]
    assert ok and findings == [] and isinstance(value, TooLong) and value.text == written


def test_ordinary_numbers_are_unchanged() -> None:
    data, _, _ = parse_text("a: 210000\nb: 1.5\nc: " + "9" * MAX_NUMBER_CHARS + "\n", "content/x.yaml")
    assert data == {"a": 210000, "b": 1.5, "c": int("9" * MAX_NUMBER_CHARS)}
    assert not isinstance(data["c"], TooLong)
