"""No English a clerk meets: help and usage text, usage errors, a taken port, running outside the repo."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests._paths import FIXTURE, REPO

CLICK_ENGLISH = re.compile(r"\b(Usage|Options|Commands|Show|default|required|Error|TEXT|INTEGER|DIRECTORY|"
                           r"PATH|FILE|FILENAME|OPTIONS|COMMAND|ARGS)\b")
COMMANDS = [[], ["validate"], ["build"], ["serve"], ["status"], ["new-return"], ["export-xlsx"],
            ["import-xlsx"], ["check-pr"], ["codeowners"], ["sample"], ["sample", "remove"]]


def _zhiqian(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, timeout=120)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    shutil.copytree(FIXTURE / "schemas", tmp_path / "schemas")
    shutil.copy2(FIXTURE / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "zhiqian")
def test_help_is_chinese(command: list[str], tmp_path: Path) -> None:
    run = _zhiqian(*command, "--help", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"用法： python -m generator {' '.join(command)}".rstrip() + " [选项]")
    assert "选项:\n" in run.stdout and re.search(r"-h, --help +显示本帮助并退出。", run.stdout)
    assert not CLICK_ENGLISH.search(run.stdout), CLICK_ENGLISH.search(run.stdout)


def test_top_level_help_lists_commands_in_chinese(tmp_path: Path) -> None:
    run = _zhiqian("--help", cwd=tmp_path)
    assert "用法： python -m generator [选项] 命令 [参数]..." in run.stdout
    assert "命令:\n" in run.stdout and re.search(r"--version +显示版本号并退出。", run.stdout)
    assert _zhiqian("--version", cwd=tmp_path).stdout.strip() == "python -m generator 版本 0.1.0"
    assert "[默认：8000]" in _zhiqian("serve", "--help", cwd=tmp_path).stdout


@pytest.mark.parametrize(("args", "message"), [
    (["build", "extra"], "用法错误：多余的参数：extra\n运行 python -m generator build --help 查看用法。"),
    (["status", "--bogus"],
     "用法错误：没有这个选项：--bogus\n运行 python -m generator status --help 查看用法。"),
    (["statsu"],
     "用法错误：没有这个命令：statsu。 是不是想输入 'status'？\n运行 python -m generator --help 查看用法。"),
    (["validate", "--format", "xml"],
     "用法错误：--format 应为 text、json、github 之一\n运行 python -m generator validate --help 查看用法。"),
    (["serve", "--port", "abc"],
     "用法错误：--port 的值不对：abc 不是有效的数字。\n运行 python -m generator serve --help 查看用法。"),
    (["new-return"], "用法错误：缺少参数 单位编号\n运行 python -m generator new-return --help 查看用法。"),
])
def test_usage_errors_are_chinese(tree: Path, args: list[str], message: str) -> None:
    run = _zhiqian(*args, cwd=tree)
    assert (run.returncode, run.stdout, run.stderr.strip()) == (2, "", message)


@pytest.mark.parametrize("command", [["build"], ["status"], ["validate"], ["serve"], ["export-xlsx"]])
def test_outside_the_repository_says_cd_or_root(tmp_path: Path, command: list[str]) -> None:
    run = _zhiqian(*command, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == (f"错误：当前文件夹 {tmp_path} 及其上级都不是本仓库"
                                  "（找不到 content/ 和 schemas/）："
                                  "请先 cd 到仓库的文件夹再运行，或用 --root 指定仓库根目录。")
    assert not list(tmp_path.iterdir())  # nothing written


def test_validate_and_status_work_from_a_subfolder(tree: Path) -> None:
    month = tree / "content" / "returns" / "2024-12"
    whole = _zhiqian("validate", cwd=month)
    assert whole.returncode == 0, whole.stdout + whole.stderr
    assert whole.stdout.startswith(f"已校验 {len(list((tree / 'content').rglob('*.*')))} 个文件")
    one = _zhiqian("validate", "nibaxi.yaml", cwd=month)
    assert (one.returncode, one.stdout.strip()) == (0, "已校验 1 个文件，没有发现问题。")
    status = _zhiqian("status", "2024-12", cwd=month)
    assert status.returncode == 0 and "2024年12月 欠薪隐患排查根治表报送情况" in status.stdout


def test_serve_on_a_taken_port_says_so_in_chinese(tree: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = _zhiqian("serve", "--port", str(port), cwd=tree)
    assert run.returncode == 2
    assert run.stderr.strip() == (f"错误：端口 {port} 已被占用（也许另一个 zhiqian serve 还在运行）："
                                  f"先关掉它，或换一个端口，如 zhiqian serve --port {port + 1}。")
    assert not (tree / "site").exists()  # refused before building anything


def test_export_xlsx_writes_into_an_ignored_folder(tree: Path) -> None:
    run = _zhiqian("export-xlsx", "--unit", "nibaxi", "--month", "2025-01", cwd=tree)
    assert (run.returncode, run.stdout.strip()) == (0, "已导出 build/xlsx/nibaxi-2025-01-排查根治表.xlsx")
    assert (tree / "build" / "xlsx" / "nibaxi-2025-01-排查根治表.xlsx").is_file()
    # the repository's own .gitignore keeps it out of commits
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    shutil.copy2(REPO / ".gitignore", tree / ".gitignore")
    ignored = subprocess.run(["git", "-C", str(tree), "check-ignore", "-q",
                              "build/xlsx/nibaxi-2025-01-排查根治表.xlsx"])
    assert ignored.returncode == 0
