"""import-xlsx on the files staff actually pick: an old .xls, a CSV, a cell typed the Chinese way."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import UsageProblem
from generator.workflow.xlsx import import_xlsx
from generator.workflow.xlsx_fields import CellError, as_date, as_int, as_number

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs


@pytest.mark.parametrize("name, what", [
    ("月报.xls", "这是旧版 Excel（.xls）文件"),
    ("月报.csv", "这是 CSV 文件"),
])
def test_other_spreadsheet_formats_say_how_to_save_as_xlsx(tmp_path: Path, name: str, what: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"a,b\n1,2\n")
    with pytest.raises(UsageProblem) as e:
        import_xlsx(FIXTURE, path)
    assert e.value.format_message() == (
        f"无法打开 {path}：{what}，请在 Excel 或 WPS 里“另存为”→ 文件类型选“Excel 工作簿（*.xlsx）”，"
        "再导入新文件。")
    assert not (tmp_path / "content").exists()


@pytest.mark.parametrize("convert, value, message", [
    (as_number, "1.2万", "应为不小于 0 的数字（单位：元，不写“元”和“万”），实际为“1.2万”，"
                         "应写成 12000（只写阿拉伯数字，去掉“万”）"),
    (as_number, "12000元", "应为不小于 0 的数字（单位：元，不写“元”和“万”），实际为“12000元”，"
                           "应写成 12000（只写阿拉伯数字，去掉单位“元”）"),
    (as_int, "6人", "应为不小于 0 的整数，实际为“6人”，应写成 6（只写阿拉伯数字，去掉单位“人”）"),
    (as_date, "12-05", "应为日期，写成 YYYY-MM-DD（如 2024-12-18），实际为“12-05”，要写上年份"),
])
def test_cells_typed_the_chinese_way_say_what_to_write(convert, value: str, message: str) -> None:
    with pytest.raises(CellError) as e:
        convert(value)
    assert str(e.value) == message
