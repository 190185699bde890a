"""`zhiqian new-return`: an annotated return, pre-filled, that validates as it is."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from generator.errors import UsageProblem
from generator.workflow.scaffold import new_return
from generator.workflow.yamlio import parse

MAIN = Path(__file__).resolve().parents[1]
UNITS = ["changjiang", "nibaxi", "yangliu", "qingshan", "xinchang", "nongfu", "caizheng", "jingfa"]
TODAY = date(2025, 1, 20)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A copy of content/ + schemas/ with a new 2025-01 return for every reporting unit."""
    root = tmp_path_factory.mktemp("scaffold")
    for name in ("content", "schemas"):
        shutil.copytree(MAIN / name, root / name)
    for unit in UNITS:
        new_return(root, unit, "2025-01", today=TODAY)
    return root


def data(tree: Path, unit: str) -> dict:
    return parse((tree / "content" / "returns" / "2025-01" / f"{unit}.yaml").read_text(encoding="utf-8"))


def zhiqian(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(root)],
                          capture_output=True, text=True)


def test_every_new_return_passes_validate_as_it_is(tree):
    proc = zhiqian(tree, "validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_village_gets_its_projects_enterprises_and_open_hazards(tree):
    d = data(tree, "changjiang")
    assert d["month"] == "2025-01" and d["unit"] == "changjiang" and d["sample"] is False
    assert (d["filled_by"], d["approved_by"], d["filled_on"]) == ("changjiang-clerk", "changjiang-secretary",
                                                                   "2025-01-20")
    assert d["checked_projects"] == ["changjiang-revetment", "changjiang-warehouse"]
    assert d["checked_enterprises"] == ["changjiang-garment"]
    # h1 of 2024-12 is 化解中, so it comes along unchanged
    hazards = [(h["id"], h["status"], h["other_target"]) for h in d["hazards"]]
    assert hazards == [("h1", "化解中", "长江码头个体装卸队")]


def test_a_department_gets_the_projects_under_its_authority(tree):
    d = data(tree, "nongfu")
    assert d["checked_projects"] == ["changjiang-revetment", "nibaxi-road", "yangliu-bridge",
                                     "yangliu-farmland"]
    assert d["checked_enterprises"] == []
    assert (d["filled_by"], d["approved_by"]) == ("tan-yajun", "tan-yajun")


def test_a_unit_without_open_hazards_starts_as_a_zero_report(tree):
    text = (tree / "content" / "returns" / "2025-01" / "jingfa.yaml").read_text(encoding="utf-8")
    assert "hazards: []  # 欠薪隐患：本月发现或仍在化解的隐患；没有隐患写 []（零报告）" in text.splitlines()
    assert "上次月报中未化解的隐患已带过来" not in text


def test_the_file_explains_itself_in_chinese(tree):
    path = tree / "content" / "returns" / "2025-01" / "changjiang.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../../schemas/return.schema.json"
    assert lines[1] == "# 欠薪隐患排查根治表：长江 2025-01"
    assert "month: '2025-01'  # 月份：报送月份 YYYY-MM，须与文件夹名一致" in lines
    assert "filled_on: '2025-01-20'  # 填报日期：YYYY-MM-DD" in lines
    assert "- changjiang-revetment  # 长江码头护岸整治工程（示例）" in lines
    assert ("#   · 2025-01 的报送截止日是 2025-01-25，2025-02-04 以后关账；"
            "关账后再修改，须在文末 amendments 登记更正记录。") in lines
    assert "#   * cause 原因：工程款拖欠、转包违法分包、企业经营困难、劳资纠纷、恶意欠薪、其他 之一" in lines
    assert "  found_on: '2024-12-10'  # 发现日期" in lines


def test_unit_may_be_given_by_its_name(tmp_path):
    for name in ("content", "schemas"):
        shutil.copytree(MAIN / name, tmp_path / name)
    path = new_return(tmp_path, "农服中心", "2025-02", today=TODAY)
    assert path == tmp_path / "content" / "returns" / "2025-02" / "nongfu.yaml"


def test_refuses_to_overwrite_without_force(tree):
    target = tree / "content" / "returns" / "2025-01" / "nibaxi.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# 我的修改\n", encoding="utf-8")
    with pytest.raises(UsageProblem) as e:
        new_return(tree, "nibaxi", "2025-01", today=TODAY)
    assert e.value.format_message() == (
        "content/returns/2025-01/nibaxi.yaml 已存在，没有覆盖。"
        "要修改已有月报请直接编辑它；确实要重新生成请加 --force（原内容会被覆盖）。")
    assert target.read_text(encoding="utf-8").endswith("# 我的修改\n")
    new_return(tree, "nibaxi", "2025-01", force=True, today=TODAY)
    assert "# 我的修改" not in target.read_text(encoding="utf-8")


def test_unknown_unit_and_bad_month_exit_2_in_chinese(tree):
    unknown = zhiqian(tree, "new-return", "changjian", "2025-03")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == (
        "错误：没有编号为“changjian”的报送单位。可用的单位编号：changjiang（长江）、nibaxi（泥巴溪村）、"
        "yangliu（杨柳）、qingshan（青山村示例）、xinchang（新场社区示例）、nongfu（农业服务中心）、"
        "caizheng（财政办）、jingfa（经发办）。")
    silent = zhiqian(tree, "new-return", "dangzheng", "2025-03")
    assert silent.returncode == 2 and silent.stderr.startswith("错误：“党政办”不报送月报。可用的单位编号：")
    month = zhiqian(tree, "new-return", "changjiang", "2025-1")
    assert month.returncode == 2
    assert month.stderr.strip() == "错误：月份“2025-1”格式不对，应写成 YYYY-MM，例如 2025-01。"
    assert not (tree / "content" / "returns" / "2025-03").exists()


def test_a_return_prepared_before_its_month_is_dated_on_its_first_day(tmp_path):
    for name in ("content", "schemas"):
        shutil.copytree(MAIN / name, tmp_path / name)
    # The office's as_of has reached March: a return for a month after as_of is refused (check/rules_time.py).
    settings = tmp_path / "content/settings.yaml"
    settings.write_text(re.sub(r"^as_of: .*$", "as_of: '2025-03-01'", settings.read_text(encoding="utf-8"),
                               flags=re.M), encoding="utf-8")
    path = new_return(tmp_path, "jingfa", "2025-03", today=date(2025, 2, 26))
    assert parse(path.read_text(encoding="utf-8"))["filled_on"] == "2025-03-01"
    assert zhiqian(tmp_path, "validate", str(path)).returncode == 0
