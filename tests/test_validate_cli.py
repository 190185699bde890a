"""`zhiqian validate` (and the check in `zhiqian build`) as a user sees it: exact text, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs
RETURN = "content/returns/2024-10/nongfu.yaml"


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """Shipped content with two errors in one return and a misnamed file (a warning)."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copytree(FIXTURE / "schemas", root / "schemas")
    ret = root / RETURN
    text = ret.read_text(encoding="utf-8")
    text = text.replace("  workers: 18\n", "  workers: 18人\n")
    text = text.replace("amount_repaid_yuan: 0", "amount_repaid_yuan: 250000")
    ret.write_text(text, encoding="utf-8")
    folder = root / "content/returns/2024-10"
    shutil.copyfile(folder / "jingfa.yaml", folder / "jingfa.yml")
    return root


def validate(*args: str):
    return CliRunner().invoke(cli, ["validate", *args])


TEXT = """\
content/returns/2024-10/jingfa.yml:1:1: 警告 [load.unknown-file] \
扩展名应为 .yaml（不是 .yml）：这个文件没有被读取。
content/returns/2024-10/nongfu.yaml:22:12: 错误 [schema.type] hazards 第1条 workers：\
字段“涉及人数”（workers）应为整数，实际为文本“18人”。应写成 18（只写阿拉伯数字，去掉单位“人”）。
content/returns/2024-10/nongfu.yaml:32:23: 错误 [hazard.repaid-exceeds-owed] \
hazards 第1条 amount_repaid_yuan：已支付金额 250000 元大于涉及金额 210000 元。
共 2 个文件有问题：2 个错误，1 个警告。
"""


def test_text_report(tree: Path) -> None:
    result = validate("--root", str(tree))
    assert result.exit_code == 1
    assert result.stdout == TEXT
    assert result.stderr == ""


def test_github_annotations(tree: Path) -> None:
    result = validate("--root", str(tree), "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::warning file=content/returns/2024-10/jingfa.yml,line=1,col=1,title=不认识的文件（未读取）::"
        "扩展名应为 .yaml（不是 .yml）：这个文件没有被读取。",
        "::error file=content/returns/2024-10/nongfu.yaml,line=22,col=12,title=类型不对::"
        "hazards 第1条 workers：字段“涉及人数”（workers）应为整数，实际为文本“18人”。"
        "应写成 18（只写阿拉伯数字，去掉单位“人”）。",
        "::error file=content/returns/2024-10/nongfu.yaml,line=32,col=23,title=已支付金额大于涉及金额::"
        "hazards 第1条 amount_repaid_yuan：已支付金额 250000 元大于涉及金额 210000 元。",
        "共 2 个文件有问题：2 个错误，1 个警告。",
    ]


def test_json_report(tree: Path) -> None:
    result = validate("--root", str(tree), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["findings"][2] == {
        "code": "hazard.repaid-exceeds-owed",
        "severity": "error",
        "file": RETURN,
        "line": 32,
        "column": 23,
        "path": "hazards[0].amount_repaid_yuan",
        "field_path": ["hazards", 0, "amount_repaid_yuan"],  # structured: no parsing the text back
        "message": "已支付金额 250000 元大于涉及金额 210000 元。",
    }
    assert data["findings"][0]["field_path"] == []  # the whole file
    assert data["summary"] == {"files_checked": data["summary"]["files_checked"], "files_with_findings": 2,
                               "errors": 2, "warnings": 1, "text": "共 2 个文件有问题：2 个错误，1 个警告。"}
    assert data["summary"]["files_checked"] >= 75


def test_paths_limit_the_report_not_the_context(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    ok = validate("content/returns/2024-10/jingfa.yaml")  # refers to projects: checked against the whole tree
    assert (ok.exit_code, ok.stdout) == (0, "已校验 1 个文件，没有发现问题。\n")
    folder = validate("content/returns/2024-10")
    assert folder.exit_code == 1
    assert folder.stdout.endswith("共 2 个文件有问题：2 个错误，1 个警告。\n")
    one = validate(RETURN)
    assert one.exit_code == 1
    assert one.stdout.splitlines()[-1] == "共 1 个文件有问题：2 个错误，0 个警告。"


def test_paths_may_be_relative_to_root(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = validate("--root", str(tree), RETURN)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "共 1 个文件有问题：2 个错误，0 个警告。"


def test_warnings_alone_exit_0(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    result = validate("content/returns/2024-10/jingfa.yml")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "共 1 个文件有问题：0 个错误，1 个警告。"


@pytest.mark.parametrize("args, message", [
    (["README.md"], "错误：只能校验 content/ 里的文件：README.md 不在 content/ 里。\n"),
    (["content/nope.yaml"], "错误：找不到文件：content/nope.yaml\n"),
])
def test_usage_errors_exit_2(tree: Path, monkeypatch: pytest.MonkeyPatch, args, message) -> None:
    (tree / "README.md").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tree)
    result = validate(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_no_content_folder_exits_2(tmp_path: Path) -> None:
    result = validate("--root", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (f"错误：在 {tmp_path} 下找不到 content/ 目录："
                             "请在仓库根目录运行，或用 --root 指定仓库根目录。\n")


def test_internal_error_is_one_line(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.check

    def boom(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(generator.check, "check_tree", boom)
    result = validate("--root", str(tree))
    assert result.exit_code == 2
    assert result.stderr == ("内部错误：RuntimeError: boom。请把这条信息和所用的文件报告给维护者"
                             "（加 --traceback 运行可显示出错位置）。\n")


def test_fixture_content_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE)
    result = validate()
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("已校验 ") and result.stdout.endswith(" 个文件，没有发现问题。\n")


def _files(root: Path) -> set[str]:
    return {os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs}


def test_bad_content_as_a_process_no_traceback_nothing_written(tree: Path) -> None:
    """The real console entry point: `python -m generator validate` and `build` on bad content."""
    before = _files(tree)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    v = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(tree)],
                       capture_output=True, text=True, env=env, cwd=tree)
    assert v.returncode == 1
    assert v.stdout == TEXT
    assert "Traceback" not in v.stderr
    b = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(tree)],
                       capture_output=True, text=True, env=env, cwd=tree)
    assert b.returncode == 1
    assert "Traceback" not in b.stderr
    assert b.stderr == "错误：内容校验未通过，未生成任何文件：\n" + TEXT
    assert _files(tree) == before
