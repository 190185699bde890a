"""import-xlsx and export-xlsx as clerks use them: only a return that passes every check is written, a
valid return is never replaced by one that fails (even with --force), last month's sheet reused with the
month unchanged is refused, and a month whose file has errors is not exported as a blank template."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.errors import ContentInvalid, UsageProblem
from generator.workflow.xlsx import export_xlsx, import_xlsx
from tests.test_check import FIXTURE


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    shutil.copytree(FIXTURE / "schemas", tmp_path / "schemas")
    settings = tmp_path / "content/settings.yaml"  # the test's own "today"
    settings.write_text(re.sub(r"^as_of: .*$", "as_of: '2025-01-20'", settings.read_text(encoding="utf-8"),
                               flags=re.M), encoding="utf-8")
    return tmp_path


def _cols(ws) -> dict[str, str]:
    return {c.value: c.column_letter for c in ws[1] if c.value}


def test_a_failing_workbook_never_replaces_a_valid_return_even_with_force(tree: Path) -> None:
    target = tree / "content/returns/2024-12/changjiang.yaml"
    before = target.read_bytes()
    book = export_xlsx(tree, tree / "长江-2024-12.xlsx", unit="长江", month="2024-12")
    wb = load_workbook(book)
    cols = _cols(wb["欠薪隐患"])
    wb["欠薪隐患"][f"{cols['已支付人数']}2"] = 60  # more than the 6 workers concerned
    amend = wb["更正记录"]
    row = {"更正日期": "2025-01-18", "修改人": "changjiang-clerk", "更正原因": "补报支付人数"}
    for header, value in row.items():
        amend[f"{_cols(amend)[header]}2"] = value
    wb.save(book)
    with pytest.raises(ContentInvalid) as e:
        import_xlsx(tree, book, force=True)
    assert e.value.format_message().startswith(
        "校验发现 1 个问题，没有写入 content/returns/2024-12/changjiang.yaml（原有文件保持不变）。")
    assert target.read_bytes() == before


def test_last_months_sheet_reused_with_the_month_unchanged_is_refused(tree: Path) -> None:
    target = tree / "content/returns/2024-12/changjiang.yaml"
    before = target.read_bytes()
    book = export_xlsx(tree, tree / "长江-2024-12.xlsx", unit="长江", month="2024-12")
    wb = load_workbook(book)
    wb["基本信息"]["B7"] = "2025-01-18"  # January's filling date, the month left at 2024-12
    wb.save(book)
    for force in (False, True):
        with pytest.raises(UsageProblem) as e:
            import_xlsx(tree, book, force=force)
        assert e.value.format_message() == (
            "表中的月份是 2024-12，而 content/returns/2024-12/changjiang.yaml 已经报送、该月已关账，没有导入"
            "（加 --force 也不会覆盖）。如果这是 2025-01 的月报，多半是沿用了上月的表格、忘了改月份："
            "请把“基本信息”表的月份改为 2025-01，或用 zhiqian export-xlsx --month 2025-01 导出新表。"
            "确需更正 2024-12 的月报，请在“更正记录”表末尾新增一条更正记录后再导入。")
    assert target.read_bytes() == before


def test_exporting_a_month_whose_file_has_an_error_says_so(tree: Path) -> None:
    path = tree / "content/returns/2024-12/changjiang.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("workers: 6", "workers: 六"), encoding="utf-8")
    with pytest.raises(ContentInvalid) as e:
        export_xlsx(tree, tree / "out.xlsx", unit="长江", month="2024-12")
    lines = e.value.format_message().splitlines()
    assert lines[0] == ("content/returns/2024-12/changjiang.yaml 有 1 个错误，无法导出"
                        "（导出的表格会是空白的）：请先按下面的提示改正该文件，再导出。")
    assert lines[1].startswith("content/returns/2024-12/changjiang.yaml:20：字段“涉及人数”")
    assert not (tree / "out.xlsx").exists()


@pytest.mark.parametrize("spoken, amount", [("两万五", 25000), ("一千二", 1200), ("三万零五百", 30500),
                                            ("1.2万", 12000), ("十二", 12)])
def test_colloquial_amounts_are_suggested_right_in_import(tree: Path, spoken: str, amount: int) -> None:
    book = export_xlsx(tree, tree / "长江-2025-01.xlsx", unit="长江", month="2025-01")
    wb = load_workbook(book)
    cols = _cols(wb["欠薪隐患"])
    wb["欠薪隐患"][f"{cols['涉及金额（元）']}2"] = spoken
    wb.save(book)
    with pytest.raises(ContentInvalid) as e:
        import_xlsx(tree, book)
    assert f"实际为“{spoken}”，应写成 {amount}（" in e.value.format_message()


@pytest.mark.parametrize("header, number, what", [("农民工代表身份证号", 500230199001011234, "18 位身份证号"),
                                                  ("农民工代表银行卡号", 6217003760001234567, "银行卡号")])
def test_an_id_or_bank_card_number_in_a_numeric_cell_is_refused(tree: Path, header, number, what) -> None:
    book = export_xlsx(tree, tree / "长江-2025-01.xlsx", unit="长江", month="2025-01")
    wb = load_workbook(book)
    cols = _cols(wb["欠薪隐患"])
    wb["欠薪隐患"][f"{cols[header]}2"] = float(number)  # what Excel keeps: 15 significant digits
    wb.save(book)
    with pytest.raises(ContentInvalid) as e:
        import_xlsx(tree, book)
    [line] = [x for x in e.value.format_message().splitlines() if header in x]
    assert f"（{header}）：这个单元格是数字格式（读到的是 {str(number)[:12]}" in line
    assert line.endswith(f"）：Excel 只保留 15 位有效数字，{what}的最后几位会悄悄变成 0。"
                         "请把这一列设为“文本”格式（或在号码前加英文单引号 '）后重新输入号码")
    assert not (tree / "content/returns/2025-01/changjiang.yaml").exists()


def test_an_ods_file_is_told_how_to_save_as_xlsx(tree: Path) -> None:
    (tree / "月报.ods").write_bytes(b"PK\x03\x04not really")
    with pytest.raises(UsageProblem) as e:
        import_xlsx(tree, tree / "月报.ods")
    assert e.value.format_message() == (
        f"无法打开 {tree / '月报.ods'}：这是 OpenDocument 表格（.ods，LibreOffice 或 WPS 另存的格式），"
        "本程序读不了，请在 Excel 或 WPS 里“另存为”→ 文件类型选“Excel 工作簿（*.xlsx）”，再导入新文件。")
