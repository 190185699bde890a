"""zhiqian serve: what it watches, and that a failed rebuild reports in Chinese and keeps going."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.serve import rebuild, snapshot

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs


def test_snapshot_changes_when_a_page_changes(tmp_path):
    (tmp_path / "content" / "pages").mkdir(parents=True)
    page = tmp_path / "content" / "pages" / "faq.md"
    page.write_text("# 常见问题\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    before = snapshot(tmp_path)
    assert str(page) in before and str(tmp_path / "mkdocs.yml") in before
    page.write_text("# 常见问题\n\n新内容\n", encoding="utf-8")
    os.utime(page, (before[str(page)] + 5, before[str(page)] + 5))
    assert snapshot(tmp_path) != before


def test_failed_rebuild_prints_the_problem_and_keeps_the_last_site(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copytree(FIXTURE / "schemas", root / "schemas")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("上一次的网站", encoding="utf-8")
    (root / "content" / "settings.yaml").write_text("sample_data: [\n", encoding="utf-8")
    said: list[str] = []
    assert rebuild(root, said.append) is False
    assert said and said[0].startswith("错误：内容校验未通过，未生成任何文件")
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == "上一次的网站"
