"""CODEOWNERS is generated from the roster and must not go stale."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.workflow.codeowners import generate, run_codeowners

MAIN = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen roster; the live one: tests/smoke


def test_units_own_their_returns_and_the_office_everything_else():
    lines = generate(MAIN).splitlines()
    assert lines[0].startswith("# 本文件由 `zhiqian codeowners` 根据 content/taskforce.yaml")
    assert "* @zhanglu-sample" in lines
    for folder in ("/content/", "/schemas/", "/generator/", "/.github/"):
        assert f"{folder} @zhanglu-sample" in lines
    assert ("/content/returns/*/changjiang.yaml @changjiang-sample @changjiang-clerk-sample @zhanglu-sample"
            in lines)
    assert "/content/returns/*/jingfa.yaml @jingfa-sample @zhanglu-sample" in lines
    # the catch-all comes first: in CODEOWNERS the last matching line wins
    jingfa = "/content/returns/*/jingfa.yaml @jingfa-sample @zhanglu-sample"
    assert lines.index("* @zhanglu-sample") < lines.index(jingfa)


def test_check_fails_with_a_chinese_message_when_stale(tmp_path, capsys):
    shutil.copytree(MAIN / "content", tmp_path / "content")
    assert run_codeowners(tmp_path, check_only=True) == 1
    err = capsys.readouterr().err
    assert err.strip() == (".github/CODEOWNERS 与名册（content/taskforce.yaml）不一致："
                           "请运行 zhiqian codeowners 重新生成，并把它和名册的修改一起提交。")
    assert run_codeowners(tmp_path) == 0
    assert capsys.readouterr().out.strip() == "已生成 .github/CODEOWNERS（13 条规则）。"
    assert run_codeowners(tmp_path, check_only=True) == 0

    roster = tmp_path / "content" / "taskforce.yaml"
    roster.write_text(roster.read_text(encoding="utf-8").replace("  - jingfa-sample", "  - jingfa-deng"),
                      encoding="utf-8")
    assert run_codeowners(tmp_path, check_only=True) == 1
    run_codeowners(tmp_path)
    assert "/content/returns/*/jingfa.yaml @jingfa-deng @zhanglu-sample" in generate(tmp_path).splitlines()
