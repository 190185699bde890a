"""The staff how-to page: every finding code is explained, and its examples are what the tools print."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator.workflow.pr import RULES

MAIN = Path(__file__).resolve().parents[1]
HOWTO = MAIN / "generator" / "render" / "internal_pages" / "howto.md"
CODE = re.compile(r"^[a-z]+\.[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def validator_codes() -> tuple[set[str], list[re.Pattern]]:
    """Codes the validator can emit: literal strings shaped like codes, and f-string templates
    such as f"{kind}.id-mismatch" as patterns."""
    literal: set[str] = set()
    patterns: list[re.Pattern] = []
    for path in [*sorted((MAIN / "generator" / "check").glob("*.py")),
                 *(MAIN / "generator" / name
                   for name in ("load.py", "yaml_parse.py", "comments.py", "misplaced.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value) \
                    and not node.value.endswith((".yaml", ".json", ".md", ".toml")):
                literal.add(node.value)
            elif isinstance(node, ast.JoinedStr):
                consts = [v.value if isinstance(v, ast.Constant) else None for v in node.values]
                if CODE.match("".join("x" if c is None else c for c in consts)):
                    rx = "".join("[a-z_]+" if c is None else re.escape(c) for c in consts)
                    patterns.append(re.compile(rx + "$"))
    return literal, patterns


def documented() -> set[str]:
    text = HOWTO.read_text(encoding="utf-8")
    return {m for row in text.splitlines() if row.startswith("| `")
            for m in re.findall(r"`([a-z]+\.[a-z0-9-]+)`", row.split("|")[1])}


def test_every_validator_code_is_explained():
    literal, patterns = validator_codes()
    assert len(literal) > 40
    missing = sorted(literal - documented())
    assert not missing, f"怎样报送月报（howto.md）缺少这些问题代码的说明：{missing}"
    for rx in patterns:
        assert any(rx.match(code) for code in documented()), f"howto.md 没有说明形如 {rx.pattern} 的代码"


def test_every_pull_request_check_code_is_explained():
    missing = sorted(set(RULES) - documented())
    assert not missing, f"howto.md 缺少合并请求检查代码：{missing}"


def test_no_documented_code_is_stale():
    literal, patterns = validator_codes()
    stale = sorted(c for c in documented()
                   if c not in literal and c not in RULES and not any(rx.match(c) for rx in patterns))
    assert not stale, f"howto.md 说明了不存在的代码：{stale}"


def test_the_page_leads_with_the_form_then_the_other_ways_and_names_real_commands():
    text = HOWTO.read_text(encoding="utf-8")
    headings = ("## 推荐：在线填报表单（内部网站的“在线填报”）", "## 办法一：在网页上直接编辑文件",
                "## 办法二：用 Excel 填写", "## 办法三：在电脑上用命令", "## 看懂检查结果")
    lines = text.splitlines()
    assert [lines.index(h) for h in headings] == sorted(lines.index(h) for h in headings)
    for phrase in ("Commit changes", "Create pull request", "Files changed",
                   "zhiqian new-return changjiang 2025-01", "zhiqian export-xlsx", "zhiqian import-xlsx",
                   "zhiqian validate", "hazards: []", "amendments"):
        assert phrase in text


def test_the_example_error_line_is_what_validate_prints(tmp_path):
    for name in ("content", "schemas"):
        shutil.copytree(MAIN / name, tmp_path / name)
    target = tmp_path / "content" / "returns" / "2024-12" / "changjiang.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("workers: 6", "workers: 六"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(tmp_path)],
                          capture_output=True, text=True)
    example = next(line for line in HOWTO.read_text(encoding="utf-8").splitlines()
                   if line.startswith("content/returns/2024-12/"))
    assert example in proc.stdout.splitlines()
