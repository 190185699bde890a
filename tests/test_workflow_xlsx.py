"""Excel on-ramp: export a template, fill it as staff would, import it; errors by sheet and cell."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.errors import ContentInvalid, UsageProblem
from generator.workflow.scaffold import annotate, load_content
from generator.workflow.xlsx import Layout, build_workbook, export_xlsx, import_xlsx, read_workbook
from generator.workflow.yamlio import parse

MAIN = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def content():
    return load_content(MAIN)


@pytest.fixture
def tree(tmp_path):
    for name in ("content", "schemas"):
        shutil.copytree(MAIN / name, tmp_path / name)
    return tmp_path


def headers(ws) -> dict[str, str]:
    """Column letter by header text."""
    return {c.value: c.column_letter for c in ws[1] if c.value}


def test_round_trip_yaml_xlsx_yaml_is_lossless_for_every_shipped_return(content):
    layout = Layout(content, MAIN)
    assert len(content.returns) >= 40
    for (month, unit), data in sorted(content.returns.items()):
        buf = io.BytesIO()
        build_workbook(layout, data).save(buf)
        buf.seek(0)
        back, errors = read_workbook(load_workbook(buf, data_only=True), layout)
        assert errors == [], (month, unit)
        assert parse(annotate(content, MAIN, back)) == data, (month, unit)


def test_the_workbook_has_chinese_sheets_headers_and_drop_downs(tree):
    out = export_xlsx(tree, tree / "模板.xlsx", unit="changjiang", month="2024-08")
    wb = load_workbook(out)
    assert wb.sheetnames == ["填写说明", "基本信息", "已排查", "欠薪隐患", "更正记录", "选项"]
    assert wb["选项"].sheet_state == "hidden"
    assert wb["填写说明"]["A1"].value == "欠薪隐患排查根治表 · Excel 填报说明"

    basic = {r[0].value: r[1] for r in wb["基本信息"].iter_rows(min_row=2, max_col=2)}
    assert [k for k in basic] == ["月份", "报送单位", "示例数据", "填报人", "审核人", "填报日期",
                                  "工资支付期巡查次数", "备注"]
    # an existing return is written as it is, ids shown by name, dates as text cells
    assert basic["月份"].value == "2024-08" and basic["月份"].number_format == "@"
    assert basic["报送单位"].value == "长江"
    assert basic["填报人"].value == "陈文书示例"
    assert basic["填报日期"].value == "2024-08-23" and basic["填报日期"].number_format == "@"

    hz = wb["欠薪隐患"]
    cols = headers(hz)
    assert list(cols)[:12] == ["编号", "项目", "企业", "其他对象", "发现日期", "原因", "情况", "涉及人数",
                               "涉及金额（元）", "化解措施", "化解期限", "状态"]
    assert "农民工代表电话" in cols
    assert hz[f"{cols['发现日期']}2"].value == "2024-08-20"
    assert hz[f"{cols['发现日期']}2"].number_format == "@"
    assert hz[f"{cols['涉及人数']}2"].value == 12
    assert hz[f"{cols['项目']}2"].value == "长江码头护岸整治工程（示例）"
    assert hz[f"{cols['农民工代表电话']}2"].value == "13500000301"

    lists = {str(dv.sqref): dv.formula1 for dv in hz.data_validations.dataValidation}
    options = wb["选项"]

    def choices(col: str) -> list[str]:
        rng = lists[f"{cols[col]}2:{cols[col]}201"].split("!")[1].replace("$", "")
        return [c.value for row in options[rng] for c in row]

    assert choices("原因") == ["工程款拖欠", "转包违法分包", "企业经营困难", "劳资纠纷", "恶意欠薪", "其他"]
    assert choices("状态") == ["未化解", "化解中", "已化解"]
    assert "长江码头护岸整治工程（示例）" in choices("项目")
    assert "丰都县长江服装加工厂（示例）" in choices("企业")
    unit_list = [dv for dv in wb["基本信息"].data_validations.dataValidation if str(dv.sqref) == "B3"][0]
    rng = unit_list.formula1.split("!")[1].replace("$", "")
    assert [c.value for row in options[rng] for c in row] == [
        "长江", "泥巴溪村", "杨柳", "青山村示例", "新场社区示例", "农业服务中心", "财政办", "经发办"]
    assert wb["更正记录"]["C2"].value.startswith("核实后涉及人数由 10 人更正为 12 人")


def fill_new_month(tree: Path) -> Path:
    """What a village clerk does: export January, record a new hazard, tick what was screened."""
    out = export_xlsx(tree, tree / "长江-2025-01.xlsx", unit="长江", month="2025-01")
    wb = load_workbook(out)
    basic = wb["基本信息"]
    basic["B7"] = "2025-01-20"  # 填报日期
    basic["B8"] = 3  # 工资支付期巡查次数
    checked = wb["已排查"]
    checked["B2"] = None  # did not visit the garment factory this month
    hz = wb["欠薪隐患"]
    cols = headers(hz)
    row = {"编号": "h2", "项目": "长江物流仓储中心（示例）", "发现日期": "2025/1/8", "原因": "劳资纠纷",
           "情况": "搬运班组 12 人 12 月工资未发", "涉及人数": "12", "涉及金额（元）": 36000,
           "化解措施": "约谈班组长", "化解期限": "2025-01-31", "状态": "化解中",
           "农民工代表姓名": "王某", "农民工代表电话": 13500000999}
    for header, value in row.items():
        hz[f"{cols[header]}3"] = value
    path = tree / "填好的.xlsx"
    wb.save(path)
    return path


def test_a_filled_workbook_becomes_a_valid_annotated_return(tree):
    target = import_xlsx(tree, fill_new_month(tree))
    assert target == tree / "content" / "returns" / "2025-01" / "changjiang.yaml"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/return.schema.json\n"
                           "# 欠薪隐患排查根治表：长江 2025-01\n")
    data = parse(text)
    assert data["filled_on"] == "2025-01-20" and data["payday_patrols"] == 3
    assert data["checked_projects"] == ["changjiang-revetment", "changjiang-warehouse"]
    assert data["checked_enterprises"] == []
    h1, h2 = data["hazards"]
    assert h1["id"] == "h1" and h1["status"] == "化解中"  # carried over from December
    assert h2 == {"id": "h2", "project": "changjiang-warehouse", "found_on": "2025-01-08",
                  "cause": "劳资纠纷",
                  "description": "搬运班组 12 人 12 月工资未发", "workers": 12, "amount_owed_yuan": 36000,
                  "measures": "约谈班组长", "deadline": "2025-01-31", "status": "化解中",
                  "representative": {"name": "王某", "phone": "13500000999"}}
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", str(target), "--root", str(tree)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_cell_errors_name_sheet_cell_and_field_and_nothing_is_written(tree):
    path = fill_new_month(tree)
    wb = load_workbook(path)
    hz = wb["欠薪隐患"]
    cols = headers(hz)
    hz[f"{cols['涉及人数']}3"] = "十二"
    hz[f"{cols['原因']}3"] = "拖欠"
    hz[f"{cols['项目']}3"] = "不存在的工地"
    hz[f"{cols['发现日期']}3"] = "1月8日"
    hz[f"{cols['状态']}3"] = None
    wb["基本信息"]["B3"] = "长江村村委"
    wb.save(path)
    with pytest.raises(ContentInvalid) as e:
        import_xlsx(tree, path)
    assert e.value.exit_code == 1
    assert e.value.format_message().splitlines() == [
        "填好的.xlsx 中有 6 处需要改正，未写入任何文件：",
        "基本信息!B3（报送单位）：报送单位中没有“长江村村委”（请用下拉选项），是不是“长江村”？",
        "欠薪隐患!B3（项目）：项目台账中没有“不存在的工地”（请用下拉选项）",
        "欠薪隐患!E3（发现日期）：应为日期，写成 YYYY-MM-DD（如 2024-12-18），实际为“1月8日”，要写上年份",
        "欠薪隐患!F3（原因）：应为“工程款拖欠”“转包违法分包”“企业经营困难”“劳资纠纷”“恶意欠薪”“其他”之一"
        "（请用下拉选项），实际为“拖欠”，是不是“工程款拖欠”？",
        "欠薪隐患!H3（涉及人数）：应为不小于 0 的整数，实际为“十二”，应写成 12（要用阿拉伯数字，不写汉字）",
        "欠薪隐患!L3（状态）：必须填写",
    ]
    assert not (tree / "content" / "returns" / "2025-01").exists()


def test_findings_of_the_normal_check_are_reported_by_cell(tree):
    # January still open (as_of inside it): re-importing needs --force, not an amendment (xlsx_guard.py)
    settings = tree / "content/settings.yaml"
    settings.write_text(re.sub(r"^as_of: .*$", "as_of: '2025-01-20'", settings.read_text(encoding="utf-8"),
                               flags=re.M), encoding="utf-8")
    path = fill_new_month(tree)
    wb = load_workbook(path)
    cols = headers(wb["欠薪隐患"])
    wb["欠薪隐患"][f"{cols['已支付人数']}3"] = 20
    wb.save(path)
    with pytest.raises(ContentInvalid) as e:
        import_xlsx(tree, path)
    lines = e.value.format_message().splitlines()
    assert lines[0] == ("校验发现 1 个问题，没有写入 content/returns/2025-01/changjiang.yaml"
                        "（原有文件保持不变）。请在 Excel 中改正后重新导入：")
    assert lines[1].startswith("欠薪隐患!N3（已支付人数）：错误：")
    assert not (tree / "content/returns/2025-01/changjiang.yaml").exists()  # only what passes is written
    # the fixed workbook is written; a second import of it needs --force
    wb["欠薪隐患"][f"{cols['已支付人数']}3"] = 0
    wb.save(path)
    assert import_xlsx(tree, path).exists()
    with pytest.raises(UsageProblem):
        import_xlsx(tree, path)
    assert import_xlsx(tree, path, force=True).exists()


def test_cli_export_and_import(tree):
    def zhiqian(*args):
        return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(tree)],
                              capture_output=True, text=True, cwd=tree)

    blank = zhiqian("export-xlsx")  # by default into build/xlsx/, which git ignores
    assert blank.returncode == 0 and blank.stdout.strip() == f"已导出 {tree}/build/xlsx/空白-排查根治表.xlsx"
    shutil.copy2(tree / "build" / "xlsx" / "空白-排查根治表.xlsx", tree / "排查根治表模板.xlsx")
    (tree / "不是表格.xlsx").write_text("你好", encoding="utf-8")
    bad = zhiqian("import-xlsx", "不是表格.xlsx")
    assert bad.returncode == 2
    assert bad.stderr.strip() == ("错误：无法打开 不是表格.xlsx：不是有效的 Excel（.xlsx）文件"
                                  "（可能已损坏，或只是改了扩展名）：请用 Excel 或 WPS 打开后"
                                  "“另存为”Excel 工作簿（*.xlsx）再导入。")
    empty = zhiqian("import-xlsx", "排查根治表模板.xlsx")
    assert empty.returncode == 1
    assert empty.stderr.splitlines()[1:] == [
        "基本信息!B2（月份）：必须填写", "基本信息!B3（报送单位）：必须填写",
        "基本信息!B5（填报人）：必须填写", "基本信息!B7（填报日期）：必须填写"]
