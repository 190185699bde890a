"""What a user sees when a command line is wrong: one Chinese message, exit 2, no traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True,
                          text=True)


@pytest.mark.parametrize(("args", "message"), [
    (["new-return"], "用法错误：缺少参数 单位编号\n运行 python -m generator new-return --help 查看用法。\n"),
    (["validate", "--format", "xml"], "用法错误：--format 应为 text、json、github 之一\n"
                                      "运行 python -m generator validate --help 查看用法。\n"),
    (["validate", "--bogus"], "用法错误：没有这个选项：--bogus\n"
                              "运行 python -m generator validate --help 查看用法。\n"),
    (["status", "--root"], "用法错误：选项 --root 后面要写一个值。\n"
                           "运行 python -m generator --help 查看用法。\n"),
    (["frobnicate"], "用法错误：没有这个命令：frobnicate。\n运行 python -m generator --help 查看用法。\n"),
    (["import-xlsx", "不存在.xlsx"], "错误：找不到文件 不存在.xlsx：请检查文件名和所在文件夹。\n"),
])
def test_usage_mistakes_are_explained_in_chinese(args, message):
    result = run(*args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)
