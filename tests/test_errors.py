"""Errors as a user meets them: one Chinese line naming the stage and file, an exit code, never a traceback
unless `--traceback` asks for it."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import BuildFailed, StageFailed, stage

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copytree(FIXTURE / "schemas", root / "schemas")
    shutil.copy2(FIXTURE / "mkdocs.yml", root / "mkdocs.yml")
    return root


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_a_keyerror_inside_the_check_is_an_internal_error_not_a_format_problem(tree, monkeypatch):
    import generator.check

    def broken(*_a, **_k):
        return {}["rules"]

    monkeypatch.setattr(generator.check, "check_tree", broken)
    result = run("validate", "--root", str(tree))
    assert result.exit_code == 2
    assert result.stderr == ("内部错误：KeyError: 'rules'。请把这条信息和所用的文件报告给维护者"
                             "（加 --traceback 运行可显示出错位置）。\n")
    assert "输出格式" not in result.stderr and "Traceback" not in result.stderr


def test_traceback_option_shows_the_trace_then_the_message(tree, monkeypatch):
    import generator.check

    def broken(*_a, **_k):
        return {}["rules"]

    monkeypatch.setattr(generator.check, "check_tree", broken)
    result = run("--traceback", "validate", "--root", str(tree))
    assert result.exit_code == 2
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "in broken" in result.stderr
    assert result.stderr.endswith("内部错误：KeyError: 'rules'。请把这条信息和所用的文件报告给维护者"
                                  "（加 --traceback 运行可显示出错位置）。\n")


def test_a_bug_while_rendering_one_internal_page_names_the_stage_and_the_page(tree, monkeypatch):
    from generator.render import internal_view

    real = internal_view.hazard_page

    def broken(tables):
        page = real(tables)
        page["totals"] = None  # the template reads totals.cases: jinja's StrictUndefined fails on it
        return page

    monkeypatch.setattr(internal_view, "hazard_page", broken)
    before = sorted(p.relative_to(tree) for p in tree.rglob("*"))
    result = run("build", "--only", "internal", "--root", str(tree))
    assert result.exit_code == 1
    assert result.stderr.startswith("错误：生成 internal/hazards.html 时出错：UndefinedError: ")
    assert result.stderr.endswith("（加 --traceback 运行可显示出错位置）\n")
    assert "Traceback" not in result.stderr
    # nothing half-built is left behind: only the build lock, the parse cache, the remembered findings and
    # the files' stats (each entry keyed by the bytes of a checked content file, valid whatever happens
    # after loading) appear
    after = sorted(p.relative_to(tree) for p in tree.rglob("*"))
    assert [p for p in after if p not in before] == [
        Path("build"), Path("build/.cache"), Path("build/.cache/check.marshal"),
        Path("build/.cache/file-stats.json"), Path("build/.cache/parse.marshal"), Path("build/.lock")]


def test_a_bug_in_the_analyse_stage_names_the_stage(tree, monkeypatch):
    import generator.build

    def broken(*_a, **_k):
        raise IndexError("list index out of range")

    monkeypatch.setattr(generator.build, "analyse", broken)
    result = run("build", "--only", "internal", "--root", str(tree))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("错误：生成 analyse/统计表 时出错：IndexError: list index out of range"
                             "（加 --traceback 运行可显示出错位置）\n")
    traced = run("--traceback", "build", "--only", "internal", "--root", str(tree))
    assert "Traceback (most recent call last):" in traced.stderr and "in broken" in traced.stderr


def test_stage_keeps_errors_the_user_can_fix_and_the_innermost_file():
    with pytest.raises(BuildFailed, match="^公开网站含有个人信息$"):
        with stage("public", "site/"):
            raise BuildFailed("公开网站含有个人信息")
    with pytest.raises(StageFailed) as info:
        with stage("internal", "build/internal/"), stage("internal", "units/nongfu.html"):
            raise ZeroDivisionError("division by zero")
    assert info.value.message == ("生成 internal/units/nongfu.html 时出错："
                                  "ZeroDivisionError: division by zero（加 --traceback 运行可显示出错位置）")
    assert info.value.exit_code == 1


def test_no_module_but_the_cli_imports_click():
    """Every stage runs without click: only the command line (cli.py, cli_zh.py) knows about it."""
    found = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        if path.name in ("cli.py", "cli_zh.py", "__main__.py") and path.parent.name == "generator":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(ROOT)}:{node.lineno}" for n in names if n.split(".")[0] == "click"]
    assert found == []
