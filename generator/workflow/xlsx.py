"""`zhiqian export-xlsx` / `import-xlsx`: the monthly return as an Excel workbook, and back.

Sheets: 填写说明 (instructions), 基本信息 (one field a row), 已排查 (projects and enterprises
screened), 欠薪隐患 (one hazard a row), 更正记录 (amendments), and a hidden 选项 sheet that holds
the drop-down lists. Dates are text cells, so Excel never turns them into serial numbers.
Ids are shown by name (staff know 长江, not changjiang) and read back from names or ids.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from generator.errors import ContentInvalid, UsageProblem
from generator.model import Content
from generator.paths import CONTENT, return_path
from generator.workflow import scaffold, xlsx_guard
from generator.workflow.returnyaml import return_schema
from generator.workflow.templating import environment
from generator.workflow.xlsx_fields import (
    CellError,
    Field,
    as_bool,
    as_choice,
    as_date,
    as_int,
    as_month,
    as_number,
    as_ref,
    as_text,
    fields_of,
    shown,
)

GUIDE, BASIC, CHECKED, HAZARDS = "填写说明", "基本信息", "已排查", "欠薪隐患"
AMENDMENTS, OPTIONS = "更正记录", "选项"
ROWS = 200  # rows prepared with drop-downs and text format
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
# what the 说明 column says where the schema's description speaks of ids or YAML
EXCEL_HINTS = {
    "unit": "从下拉选项中选择本单位。",
    "sample": "正式报送选“否”。",
    "filled_by": "从下拉选项中选择填报人（名册中的姓名）。",
    "approved_by": "从下拉选项中选择审核人，一般是单位负责人。",
    "filled_on": "写成 YYYY-MM-DD，如 2025-01-20。",
    "hazards": "在“欠薪隐患”表每条隐患填一行；没有隐患一行也不填，即“零报告”。",
}
# Numbers longer than Excel's 15 significant digits: a numeric cell has already lost their last digits.
LONG_DIGITS = {"id_number": "18 位身份证号", "bank_account": "银行卡号"}
TEXT_KINDS = {"text", "date", "month", "unit", "person", "project", "enterprise", "enum"}


# --- what the sheets hold -----------------------------------------------------------------------

class Layout:
    """Columns and look-ups for one content tree."""

    def __init__(self, content: Content, root: Path):
        schema = return_schema(Path(root))
        props = schema["properties"]
        required = set(schema.get("required", []))
        # zero_report is the web form's switch; in the workbook an empty hazards sheet is the 零报告
        basic = {k: v for k, v in props.items() if k != "zero_report"}
        self.basic = fields_of({"properties": basic, "required": list(required)})
        self.checked = [("checked_projects", props["checked_projects"]["title"], "project"),
                        ("checked_enterprises", props["checked_enterprises"]["title"], "enterprise")]
        self.hazard = fields_of(props["hazards"]["items"])
        self.hazard_help = _help(props["hazards"]["items"])
        self.amendment = fields_of(props["amendments"]["items"])
        self.descriptions = {k: p.get("description", "") for k, p in props.items()}
        self.descriptions.update(EXCEL_HINTS)
        self.titles = {k: p.get("title", k) for k, p in props.items()}
        self.order = list(props)
        self.content = content
        units = content.reporting_units
        self.lookup: dict[str, dict[str, str]] = {
            "unit": {**{a: u["id"] for u in units for a in u.get("aliases") or []},
                     **{u["name"]: u["id"] for u in units}},
            "person": _unique_names(content.people),
            "project": _unique_names(content.projects),
            "enterprise": _unique_names(content.enterprises),
        }
        self.what = {"unit": "报送单位", "person": "名册", "project": "项目台账", "enterprise": "企业台账"}
        self.options: dict[str, list[str]] = {
            "unit": [u["name"] for u in units],
            "person": list(self.lookup["person"]),
            "project": list(self.lookup["project"]),
            "enterprise": list(self.lookup["enterprise"]),
            "bool": ["是", "否"],
        }
        for f in self.hazard:
            if f.kind == "enum":
                self.options[f"enum:{f.path[-1]}"] = list(f.choices)

    def display(self, kind: str, value: Any) -> Any:
        """A record's value as the cell shows it."""
        if value is None:
            return None
        if kind in self.lookup:
            names = {v: k for k, v in self.lookup[kind].items()
                     if kind != "unit" or k in self.options["unit"]}
            return names.get(value, value)
        if kind == "bool":
            return "是" if value else "否"
        return value

    def read(self, f: Field, value: Any) -> Any:
        """A cell's value as the record holds it; raises CellError."""
        if f.kind in self.lookup:
            return as_ref(value, self.lookup[f.kind], self.what[f.kind])
        readers = {"int": as_int, "number": as_number, "date": as_date, "month": as_month, "bool": as_bool,
                   "text": as_text}
        if f.kind == "enum":
            return as_choice(value, f.choices)
        if f.path[-1] in LONG_DIGITS and isinstance(value, int | float) and not isinstance(value, bool):
            raise CellError(
                f"这个单元格是数字格式（读到的是 {shown(value)}）：Excel 只保留 15 位有效数字，"
                f"{LONG_DIGITS[f.path[-1]]}的最后几位会悄悄变成 0。请把这一列设为“文本”格式"
                "（或在号码前加英文单引号 '）后重新输入号码")
        return readers[f.kind](value)


def _help(obj_schema: dict, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    """Field path → the schema's description (or its choices), for the instructions sheet."""
    out = {}
    for key, prop in obj_schema.get("properties", {}).items():
        if prop.get("type") == "object":
            out.update(_help(prop, prefix + (key,)))
        elif "enum" in prop:
            out[prefix + (key,)] = "、".join(prop["enum"]) + " 之一。"
        else:
            out[prefix + (key,)] = prop.get("description", "")
    return out


def _unique_names(records: dict[str, dict]) -> dict[str, str]:
    """name → id; a name two records share is shown as “名称（编号）” so it stays unambiguous."""
    seen: dict[str, int] = {}
    for r in records.values():
        seen[r.get("name", "")] = seen.get(r.get("name", ""), 0) + 1
    out = {}
    for rid, r in records.items():
        name = r.get("name") or rid
        out[name if seen.get(name) == 1 else f"{name}（{rid}）"] = rid
    return out


# --- export ---------------------------------------------------------------------------------------

def _header(ws, row: int, col: int, text: str, width: int, required: bool = False) -> None:
    cell = ws.cell(row=row, column=col, value=text)
    cell.font = Font(bold=True)
    cell.fill = REQUIRED_FILL if required else HEADER_FILL
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.column_dimensions[get_column_letter(col)].width = width


def _options_sheet(wb: Workbook, layout: Layout) -> dict[str, str]:
    """The hidden list sheet; returns option key → absolute range for DataValidation."""
    ws = wb.create_sheet(OPTIONS)
    ranges = {}
    for col, (key, values) in enumerate(layout.options.items(), start=1):
        ws.cell(row=1, column=col, value=key)
        for row, v in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=v)
        letter = get_column_letter(col)
        ranges[key] = f"'{OPTIONS}'!${letter}$2:${letter}${max(2, len(values) + 1)}"
    ws.sheet_state = "hidden"
    return ranges


def _dropdown(ws, f: Field, ranges: dict[str, str], cells: str) -> None:
    key = f"enum:{f.path[-1]}" if f.kind == "enum" else f.kind
    if key not in ranges:
        return
    strict = f.kind in ("enum", "bool", "unit")
    dv = DataValidation(type="list", formula1=ranges[key], allow_blank=True, showErrorMessage=strict,
                        errorTitle="请从下拉选项中选择", error=f"“{f.header}”请从下拉选项中选择。",
                        promptTitle=f.header, prompt="请从下拉选项中选择。", showInputMessage=True)
    dv.add(cells)
    ws.add_data_validation(dv)


def _guide(ws, layout: Layout, unit_name: str, month: str) -> None:
    """The instructions sheet, from a text template: lines starting with # are headings."""
    keys = ("month", "unit", "filled_by", "approved_by", "filled_on", "payday_patrols", "hazards", "notes")
    hazard = [{"header": f.header, "required": f.required,
               "text": (f"从下拉选项中选择{f.header}名称（项目、企业、其他对象三选一）。"
                        if f.kind in ("project", "enterprise") else layout.hazard_help.get(f.path, ""))}
              for f in layout.hazard]
    text = environment().get_template("xlsx_guide.txt.j2").render(
        unit_name=unit_name, month=month, basics=[(layout.titles[k], layout.descriptions[k]) for k in keys],
        hazard=hazard)
    for row, line in enumerate(text.splitlines(), start=1):
        heading = line.startswith("# ")
        ws.cell(row=row, column=1, value=line.removeprefix("# ") or None).font = Font(
            bold=heading, size=14 if row == 1 else 11)
    ws.column_dimensions["A"].width = 120


def build_workbook(layout: Layout, data: dict) -> Workbook:
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE
    _guide(guide, layout, layout.content.unit_name(data.get("unit")), data.get("month", ""))
    basic, checked, hazards, amend = (wb.create_sheet(n) for n in (BASIC, CHECKED, HAZARDS, AMENDMENTS))
    ranges = _options_sheet(wb, layout)

    _header(basic, 1, 1, "项目", 16)
    _header(basic, 1, 2, "填写内容", 36)
    _header(basic, 1, 3, "说明", 60)
    for row, f in enumerate(layout.basic, start=2):
        basic.cell(row=row, column=1, value=f.header).fill = REQUIRED_FILL if f.required else HEADER_FILL
        cell = basic.cell(row=row, column=2, value=layout.display(f.kind, data.get(f.path[0])))
        if f.kind in TEXT_KINDS:
            cell.number_format = "@"
        basic.cell(row=row, column=3, value=layout.descriptions.get(f.path[0], ""))
        _dropdown(basic, f, ranges, f"B{row}")
    basic.freeze_panes = "B2"

    for col, (key, title, kind) in enumerate(layout.checked, start=1):
        _header(checked, 1, col, title, 40)
        for row, rid in enumerate(data.get(key) or [], start=2):
            checked.cell(row=row, column=col, value=layout.display(kind, rid))
        letter = get_column_letter(col)
        _dropdown(checked, Field((key,), title, kind), ranges, f"{letter}2:{letter}{ROWS + 1}")
    checked.freeze_panes = "A2"

    for sheet, fields, records in ((hazards, layout.hazard, data.get("hazards") or []),
                                   (amend, layout.amendment, data.get("amendments") or [])):
        _table(sheet, fields, records, layout, ranges)
    return wb


def _table(ws, fields: list[Field], records: list[dict], layout: Layout, ranges: dict[str, str]) -> None:
    for col, f in enumerate(fields, start=1):
        _header(ws, 1, col, f.header, f.width, f.required)
        letter = get_column_letter(col)
        if f.kind in TEXT_KINDS:  # a column style: Excel applies it to the cells staff type into
            ws.column_dimensions[letter].number_format = "@"
        _dropdown(ws, f, ranges, f"{letter}2:{letter}{ROWS + 1}")
    for row, record in enumerate(records, start=2):
        for col, f in enumerate(fields, start=1):
            value: Any = record
            for key in f.path:
                value = value.get(key) if isinstance(value, dict) else None
            cell = ws.cell(row=row, column=col, value=layout.display(f.kind, value))
            if f.kind in TEXT_KINDS:
                cell.number_format = "@"
    ws.freeze_panes = "B2"


def _export_data(content: Content, unit: str | None, month: str | None) -> dict:
    if unit and month and (month, unit) in content.returns:
        return content.returns[(month, unit)]
    if unit:
        data = scaffold.prefill(content, unit, month or "9999-12", date.today())
        if not month:
            data.pop("month")
            data.pop("filled_on")
        return data
    return {"month": month, "sample": False, "checked_projects": [], "checked_enterprises": [], "hazards": []}


def export_xlsx(root: Path, out: Path, unit: str | None = None, month: str | None = None) -> Path:
    """Write the workbook: blank, pre-filled for a unit (and month), or holding an existing return."""
    root, out = Path(root), Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UsageProblem(f"输出文件应以 .xlsx 结尾：{out}")
    if month:
        scaffold.check_month(month)
    content = scaffold.load_content(root)
    unit = scaffold.resolve_unit(content, unit) if unit else None
    if unit and month and (month, unit) not in content.returns:
        xlsx_guard.refuse_broken_return(root, root / CONTENT / return_path(month, unit))
    wb = build_workbook(Layout(content, root), _export_data(content, unit, month))
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


# --- import ---------------------------------------------------------------------------------------

def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_error(errors: list[str], sheet: str, cell, f_header: str, message: str) -> None:
    errors.append(f"{sheet}!{cell.coordinate}（{f_header}）：{message}")


def _read_basic(wb, layout: Layout, errors: list[str]) -> dict:
    ws = wb[BASIC]
    by_header = {f.header: f for f in layout.basic}
    data: dict = {}
    seen = set()
    for row in ws.iter_rows(min_row=2, max_col=2):
        label, cell = row[0].value, row[1]
        if _empty(label):
            continue
        f = by_header.get(str(label).strip())
        if f is None:
            errors.append(f"{BASIC}!{row[0].coordinate}：不认识的项目“{label}”，请不要修改 A 列。")
            continue
        seen.add(f.header)
        if _empty(cell.value):
            if f.required:
                _cell_error(errors, BASIC, cell, f.header, "必须填写")
            continue
        try:
            data[f.path[0]] = layout.read(f, cell.value)
        except CellError as e:
            _cell_error(errors, BASIC, cell, f.header, str(e))
    for f in layout.basic:
        if f.required and f.header not in seen:
            errors.append(f"{BASIC}：缺少“{f.header}”这一行，请重新导出模板。")
    return data


def _read_checked(wb, layout: Layout, errors: list[str]) -> dict:
    ws = wb[CHECKED]
    data: dict = {}
    for col, (key, title, kind) in enumerate(layout.checked, start=1):
        header = ws.cell(row=1, column=col).value
        if str(header or "").strip() != title:
            errors.append(f"{CHECKED}!{get_column_letter(col)}1：这一列应为“{title}”，请不要修改表头。")
            continue
        ids = []
        for row in range(2, ws.max_row + 1):
            cell = ws.cell(row=row, column=col)
            if _empty(cell.value):
                continue
            try:
                ids.append(layout.read(Field((key,), title, kind), cell.value))
            except CellError as e:
                _cell_error(errors, CHECKED, cell, title, str(e))
        data[key] = ids
    return data


def _read_table(wb, sheet: str, fields: list[Field], layout: Layout, errors: list[str]) -> list[dict] | None:
    ws = wb[sheet]
    by_header = {f.header: f for f in fields}
    columns: dict[int, Field] = {}
    for cell in ws[1]:
        if _empty(cell.value):
            continue
        f = by_header.get(str(cell.value).strip())
        if f is None:
            errors.append(f"{sheet}!{cell.coordinate}：不认识的列“{cell.value}”，请不要修改表头。")
        else:
            columns[cell.column] = f
    missing = [f.header for f in fields if f.required and f not in columns.values()]
    if missing:
        errors.append(f"{sheet}：缺少“{'”“'.join(missing)}”列，请重新导出模板。")
        return None
    records = []
    for row in ws.iter_rows(min_row=2):
        cells = [c for c in row if c.column in columns]
        if all(_empty(c.value) for c in cells):
            continue
        record: dict = {}
        for cell in cells:
            f = columns[cell.column]
            if _empty(cell.value):
                if f.required:
                    _cell_error(errors, sheet, cell, f.header, "必须填写")
                continue
            try:
                value = layout.read(f, cell.value)
            except CellError as e:
                _cell_error(errors, sheet, cell, f.header, str(e))
                continue
            target = record
            for key in f.path[:-1]:
                target = target.setdefault(key, {})
            target[f.path[-1]] = value
        order = {f.path[0]: i for i, f in enumerate(fields)}
        records.append(dict(sorted(record.items(), key=lambda kv: order[kv[0]])))
    return records


def read_workbook(wb, layout: Layout) -> tuple[dict, list[str]]:
    """The return a filled workbook holds, and every problem found, each naming sheet, cell and field."""
    errors: list[str] = []
    missing = [s for s in (BASIC, CHECKED, HAZARDS) if s not in wb.sheetnames]
    if missing:
        return {}, [f"缺少工作表“{'”“'.join(missing)}”：请用 zhiqian export-xlsx 导出的模板填写。"]
    data = _read_basic(wb, layout, errors)
    data.update(_read_checked(wb, layout, errors))
    data["hazards"] = _read_table(wb, HAZARDS, layout.hazard, layout, errors) or []
    if AMENDMENTS in wb.sheetnames:
        amendments = _read_table(wb, AMENDMENTS, layout.amendment, layout, errors)
        if amendments:
            data["amendments"] = amendments
    rank = {k: i for i, k in enumerate(layout.order)}
    return dict(sorted(data.items(), key=lambda kv: rank.get(kv[0], len(rank)))), errors


def import_xlsx(root: Path, file: Path, force: bool = False) -> Path:
    """Turn a filled workbook into content/returns/<month>/<unit>.yaml, then check that file."""
    root = Path(root)
    content = scaffold.load_content(root)
    try:
        wb = load_workbook(file, data_only=True)
    except Exception as e:  # noqa: BLE001 - not a workbook at all: say so in one line
        suffix = Path(file).suffix.lower()
        how = {".xls": "这是旧版 Excel（.xls）文件", ".et": "这是 WPS 表格（.et）文件",
               ".csv": "这是 CSV 文件",
               ".ods": "这是 OpenDocument 表格（.ods，LibreOffice 或 WPS 另存的格式），本程序读不了",
               }.get(suffix)
        if how:
            raise UsageProblem(f"无法打开 {file}：{how}，请在 Excel 或 WPS 里“另存为”→ 文件类型选"
                               "“Excel 工作簿（*.xlsx）”，再导入新文件。") from e
        raise UsageProblem(f"无法打开 {file}：不是有效的 Excel（.xlsx）文件（可能已损坏，或只是改了扩展名）："
                           "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）再导入。") from e
    layout = Layout(content, root)
    data, errors = read_workbook(wb, layout)
    if errors:
        raise ContentInvalid(f"{Path(file).name} 中有 {len(errors)} 处需要改正，未写入任何文件：\n"
                             + "\n".join(errors))
    target = root / CONTENT / return_path(data["month"], data["unit"])
    xlsx_guard.refuse_reused_sheet(root, content, target, data, BASIC, AMENDMENTS)
    before = target.read_bytes() if target.exists() else None
    text = scaffold.annotate(content, root, data)
    scaffold.write_new(target, text, force, root)
    try:
        _check_written(root, target, layout)
    except ContentInvalid:
        # Only what passes every layer is written: the earlier file (or none) is put back.
        if before is None:
            target.unlink()
            if not any(target.parent.iterdir()):
                target.parent.rmdir()
        else:
            target.write_bytes(before)
        raise
    return target


def excel_cell(layout: Layout, loc: tuple | None) -> str | None:
    """The workbook cell a finding's field path (e.g. ("hazards", 1, "workers_paid")) came from."""
    if not loc or not isinstance(loc[0], str):
        return None
    key = loc[0]
    index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
    rest = loc[2:] if index is not None else loc[1:]
    if key in ("hazards", "amendments") and index is not None:
        fields = layout.hazard if key == "hazards" else layout.amendment
        sheet = HAZARDS if key == "hazards" else AMENDMENTS
        path = tuple(str(part) for part in rest)
        for col, f in enumerate(fields, start=1):
            if f.path == path:
                return f"{sheet}!{get_column_letter(col)}{int(index) + 2}（{f.header}）"
        return f"{sheet} 第 {int(index) + 2} 行"
    for col, (k, title, _kind) in enumerate(layout.checked, start=1):
        if k == key:
            row = f"{int(index) + 2}" if index is not None else "1"
            return f"{CHECKED}!{get_column_letter(col)}{row}（{title}）"
    for row, f in enumerate(layout.basic, start=2):
        if f.path == (key,):
            return f"{BASIC}!B{row}（{f.header}）"
    return None


def _check_written(root: Path, target: Path, layout: Layout) -> None:
    """Run the normal check on the new file; report its findings by cell (errors fail the command)."""
    from generator.check import check_tree

    result = check_tree(root, [target])
    if not result.findings:
        return
    lines = []
    for f in result.findings:
        where = excel_cell(layout, f.loc) or f"{f.file}:{f.line}"
        level = "错误" if f.severity == "error" else "警告"
        lines.append(f"{where}：{level}：{f.message}（{f.code}）")
    rel = target.relative_to(root).as_posix() if target.is_relative_to(root) else str(target)
    if result.errors:
        raise ContentInvalid(f"校验发现 {len(result.findings)} 个问题，没有写入 {rel}（原有文件保持不变）。"
                             "请在 Excel 中改正后重新导入：\n" + "\n".join(lines))
    print(f"{rel} 的校验提醒：\n" + "\n".join(lines), file=sys.stderr)
