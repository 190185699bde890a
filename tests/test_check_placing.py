"""A build places warnings (line and column, which compose the file again) only when errors stop it:
the message it prints then is the one `validate` prints; a clean build skips the placing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import load_checked
from generator.check import check_tree, place
from generator.errors import ContentInvalid
from tests.test_check import make_tree

CASES = Path(__file__).resolve().parent / "cases"
WARNING_AT = "content/returns/2024-12/yangliu.yaml:6:12: 警告 [return.signer-other-unit]"
ERROR_AT = "content/returns/2024-08/changjiang.yaml:32:"


def test_unplaced_warnings_get_the_lines_validate_gives(tmp_path: Path) -> None:
    root = make_tree(CASES / "return-signer-other-unit", tmp_path)
    unplaced = check_tree(root, place_warnings=False).findings
    assert [(f.code, f.line) for f in unplaced] == [("return.signer-other-unit", 0)]
    assert place(root, unplaced) == check_tree(root).findings
    assert [(f.line, f.column) for f in place(root, unplaced)] == [(6, 12)]


def test_a_stopped_build_names_the_line_of_each_warning_too(tmp_path: Path) -> None:
    root = make_tree(CASES / "return-signer-other-unit", tmp_path)
    bad = CASES / "amendment-by-other-unit" / "content" / "returns" / "2024-08" / "changjiang.yaml"
    shutil.copyfile(bad, root / "content" / "returns" / "2024-08" / "changjiang.yaml")
    with pytest.raises(ContentInvalid) as info:
        load_checked(root)
    message = str(info.value)
    assert ERROR_AT in message and "错误 [amendment.by-other-unit]" in message
    assert WARNING_AT in message
