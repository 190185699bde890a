"""The time rule with as_of set by the test: a return for the month after as_of fails validate, one for
as_of's own month passes; the message names the file, line, field and both dates."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from generator.check.report import run_validate
from tests.test_check import make_tree


def _set_as_of(root: Path, value: str) -> None:
    path = root / "content/settings.yaml"
    text = re.sub(r"^as_of: .*$", f"as_of: '{value}'", path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(text, encoding="utf-8")


def _return_for(root: Path, month: str, filled_on: str) -> str:
    src = (root / "content/returns/2024-12/nibaxi.yaml").read_text(encoding="utf-8")
    text = src.replace("month: 2024-12", f"month: {month}").replace("'2024-12-18'", f"'{filled_on}'")
    rel = f"content/returns/{month}/nibaxi.yaml"
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")
    return rel


def _validate(root: Path, rel: str) -> tuple[int, list[dict]]:
    out = io.StringIO()
    rc = run_validate(root, [root / rel], "json", out=out)
    return rc, json.loads(out.getvalue())["findings"]


def test_return_for_the_month_after_as_of_fails(tmp_path: Path) -> None:
    root = make_tree(None, tmp_path)
    _set_as_of(root, "2026-03-31")
    rel = _return_for(root, "2026-04", "2026-03-31")
    rc, findings = _validate(root, rel)
    assert rc == 1
    assert [(f["file"], f["line"], f["code"], f["path"]) for f in findings] == [
        (rel, 3, "time.future-month", "month")]
    assert findings[0]["message"] == (
        "报告月份 2026-04 晚于当前月份 2026-03（settings.yaml 的 as_of 为 2026-03-31）："
        "这个月还没有开始，不能报送，请核对年份和月份。")


def test_return_for_the_month_of_as_of_passes(tmp_path: Path) -> None:
    root = make_tree(None, tmp_path)
    _set_as_of(root, "2026-03-31")
    rel = _return_for(root, "2026-03", "2026-03-31")
    assert _validate(root, rel) == (0, [])


def test_filled_on_the_day_after_as_of_fails(tmp_path: Path) -> None:
    root = make_tree(None, tmp_path)
    _set_as_of(root, "2026-03-20")
    rel = _return_for(root, "2026-03", "2026-03-21")
    rc, findings = _validate(root, rel)
    assert rc == 1
    assert [(f["line"], f["code"], f["path"]) for f in findings] == [(8, "time.future-date", "filled_on")]
    assert "填报日期 2026-03-21 晚于当前日期 2026-03-20" in findings[0]["message"]
