"""Schema layer: each document against its kind's JSON Schema, with Chinese messages.

Valid documents (nearly all) pass through jsonschema-rs (compiled, ~100,000 documents a second);
only failing ones go through the jsonschema package, whose errors carry the sub-schema (and so
the field's Chinese `title`) and whose messages we rewrite. Messages add a hint when YAML 1.1 has
turned what the user typed into something else (`no` → false, `0123` → 83).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yaml.nodes import ScalarNode

from generator import hints
from generator.check.positions import Positions
from generator.findings import Finding, Loc, at_field
from generator.model import Document
from generator.yaml_tags import PLAIN

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

try:  # the compiled fast path; the pure-Python validator is exact but ~60× slower
    import jsonschema_rs
except ImportError:  # pragma: no cover - jsonschema-rs is a declared dependency
    jsonschema_rs = None

TYPE_ZH = {
    "string": "文本", "integer": "整数", "number": "数字", "boolean": "true 或 false",
    "array": "列表", "object": "键值对", "null": "空值 null",
}

# Known patterns, described the way staff think of them.
PATTERN_ZH = {
    r"^[a-z0-9][a-z0-9-]*$": "由小写字母、数字和连字符组成的编号（如 nibaxi-road）",
    r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$": "YYYY-MM-DD 格式的日期（如 2024-07-15）",
    r"^20[0-9]{2}-(0[1-9]|1[0-2])$": "YYYY-MM 格式的月份（如 2024-07）",
    r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-[0-9]{7,8}|[0-9]{5})$":
        "电话号码（11 位手机号、带区号的座机如 023-70601234，或 5 位服务号码如 12333）",
    r"^[0-9]{17}[0-9X]$": "18 位身份证号（最后一位可以是大写 X）",
    r"^[0-9]{12,19}$": "12 到 19 位数字的银行卡号",
    "^https?://[^\\s\"'<>]+$": "以 http:// 或 https:// 开头、不含空格、引号和尖括号的网址",
    "^https?://[^\\s\"'<>]+/$": "以 http:// 或 https:// 开头、以 / 结尾、不含空格、引号和尖括号的网址",
    r"^第[一二三四五六七八九十]+条$": "“第X条”（用中文数字，如 第五十四条）",
    r"^[二三]（[一二三四五]）$": "实施方案的条目编号（如 二（一））",
    r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$": "MM-DD 格式的日期（如 12-04）",
    r"^[0-9]{9,12}$": "9 到 12 位数字",
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$": "GitHub 用户名（字母、数字和连字符）",
    r"^([a-z0-9][a-z0-9-]*|全体村（社区）|行业主管部门)$": "单位编号，或“全体村（社区）”“行业主管部门”",
    r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$": "“所有者/仓库名”（如 xingyi-zhiqian/zhiqian）",
    r"^[A-Za-z0-9_./-]+$": "由字母、数字和 _ . / - 组成的分支名（如 main）",
}

DATE_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MONTH_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
_LEADING_ZERO = re.compile(r"^0[0-9]+$")


class SchemaSet:
    """Validators for every kind, built once per run."""

    def __init__(self, schemas_dir: Path):
        self.dir = Path(schemas_dir)
        self.schemas: dict[str, dict] = {}
        self._fast: dict[str, Any] = {}
        self._slow: dict[str, Draft202012Validator] = {}

    def schema(self, kind: str) -> dict:
        if kind not in self.schemas:
            self.schemas[kind] = json.loads((self.dir / f"{kind}.schema.json").read_text(encoding="utf-8"))
        return self.schemas[kind]

    def is_valid(self, kind: str, data: Any) -> bool:
        fast = self._fast.get(kind)
        if fast is None:
            schema = self.schema(kind)
            fast = jsonschema_rs.validator_for(schema) if jsonschema_rs else self.slow(kind)
            self._fast[kind] = fast
        try:
            return fast.is_valid(data)
        except (ValueError, TypeError, OverflowError):  # a value jsonschema-rs cannot take: ask the slow one
            return self.slow(kind).is_valid(data)

    def slow(self, kind: str) -> Draft202012Validator:
        if kind not in self._slow:
            from jsonschema import Draft202012Validator  # only failing documents need it (~0.2 s to import)

            self._slow[kind] = Draft202012Validator(self.schema(kind))
        return self._slow[kind]


def check(documents: Iterable[Document], schemas_dir: Path, positions: Positions) -> list[Finding]:
    schemas = SchemaSet(schemas_dir)
    out: list[Finding] = []
    for doc in documents:
        if not schemas.is_valid(doc.kind, doc.data):
            out.extend(explain(doc, schemas, positions))
    return out


# --- explaining a failing document ---------------------------------------------------------
def explain(doc: Document, schemas: SchemaSet, positions: Positions) -> list[Finding]:
    file = f"content/{doc.rel}"
    validator = schemas.slow(doc.kind)
    out: list[Finding] = []
    seen: set[tuple] = set()
    month = doc.data.get("month") if isinstance(doc.data, dict) else None
    year = month[:4] if isinstance(month, str) and re.match(r"^20[0-9]{2}-", month) else None
    for error in validator.iter_errors(doc.data):
        for finding in _findings_for(error, file, positions, year, validator.schema):
            key = (finding.code, finding.path)
            if key not in seen:
                seen.add(key)
                out.append(finding)
    # A misspelt or Chinese key already says which required field it stands for: one finding, not two.
    explained = {f.loc[:-1] + (f.stands_for,) for f in out if f.stands_for and f.loc}
    if explained:
        out = [f for f in out if not (f.code == "schema.required" and f.loc in explained)]
    return out


def _title(schema: Any, fallback: str = "") -> str:
    return schema.get("title", fallback) if isinstance(schema, dict) else fallback


def _field(schema: Any, loc: Loc) -> str:
    """字段“涉及人数”（hazards[0].workers） — or 文件内容 for the document itself."""
    if not loc:
        return "文件内容"
    return f"字段“{_title(schema, str(loc[-1]))}”（{loc[-1]}）"  # where it is: the report's prefix


def _show(value: Any) -> str:
    """How a value reads in a message."""
    if value is None:
        return "空值（没有填写）"
    if isinstance(value, bool):
        return f"布尔值 {'true' if value else 'false'}"
    if isinstance(value, (int, float)):
        return f"数字 {value:g}" if isinstance(value, float) else f"数字 {value}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:40] + "…"
        return f"文本“{short}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "键值对"
    return repr(value)


def _expected(types: Any) -> str:
    if isinstance(types, str):
        types = [types]
    return "或".join(TYPE_ZH.get(t, t) for t in types)


def _text_hint(value: str, pattern: Any, year: str | None) -> str:
    """What to write instead of a text that does not fit its pattern."""
    if pattern == DATE_PATTERN:
        fix = hints.date_fix(value, year)
        if fix:
            return f"。应写成 '{fix}'（年-月-日，月和日都写两位，用英文单引号括起来）"
        if re.match(r"^\d{1,2}[-/.月]\d{1,2}日?$", value):
            return "。日期要写上年份，格式为 'YYYY-MM-DD'（如 '2024-12-05'）"
    if pattern == MONTH_PATTERN:
        fix = hints.month_fix(value)
        if fix:
            return f"。应写成 '{fix}'（年-月，月写两位）"
    if pattern == ID_PATTERN:
        advice = hints.id_advice(value)
        if advice:
            return f"。{advice}"
    if hints.unquoted(value) is not None:
        return f"。{hints.quotes_advice(value)}"
    return ""


def _yaml_hint(value: Any, expected: list[str], node: Any, schema: Any = None,
               year: str | None = None) -> str:
    """What YAML did to the user's text, and how to say what they meant."""
    raw = node.value if isinstance(node, ScalarNode) else None
    plain = raw is not None and node.tag == PLAIN
    pattern = schema.get("pattern") if isinstance(schema, dict) else None
    if "string" in expected and plain and pattern in (DATE_PATTERN, MONTH_PATTERN) \
            and isinstance(value, (int, float)):
        return _text_hint(raw, pattern, year) or f"。请加引号：'{raw}'"
    if "string" in expected and plain:
        if isinstance(value, bool):
            return f"。YAML 把不加引号的 {raw} 读成了布尔值 {'true' if value else 'false'}，请加引号：'{raw}'"
        if isinstance(value, int) and _OCTAL.match(raw):
            return f"。{raw} 被读成八进制数字 {value}，请加引号：'{raw}'"
        if isinstance(value, (int, float)):
            return f"。不加引号的 {raw} 被读成了数字，请加引号：'{raw}'"
    if value is None and plain and raw in ("", "~"):
        if "array" in expected:
            return "。冒号后面没有填写内容：没有的话请写 []（英文方括号，表示“无”）"
        return "。冒号后面没有填写内容"
    if isinstance(value, str) and "array" in expected:
        if value.strip() in ("无", "没有", "暂无", "0", "/", "—", "-", "［］", "【】", "[ ]", "（）"):
            return "。没有的话请写 []（英文方括号，表示“无”）"
        return "。列表的每一项单独一行，以“- ”（减号加空格）开头"
    if isinstance(value, dict) and "array" in expected:
        return "。列表的每一项都要以“- ”（减号加空格）开头，例如“- id: h1”"
    if isinstance(value, str) and "object" in expected:
        if re.match(r"^[A-Za-z_][A-Za-z0-9_]*[:：]", value):
            return "。冒号要用半角“:”，冒号后加一个空格（如“workers: 6”）"
    if isinstance(value, str) and ("integer" in expected or "number" in expected):
        if plain and _LEADING_ZERO.match(raw):
            return f"。以 0 开头的 {raw} 被当成了文本：请去掉开头的 0"
        fix = hints.number_fix(value)
        if fix is not None and not (fix[0] != int(fix[0]) and "integer" in expected):
            return f"。应写成 {fix[0]}（{fix[1]}）"
        return "。只写阿拉伯数字：不要加引号，也不要带单位或逗号"
    if isinstance(value, str) and "boolean" in expected:
        return "。是写 true，否写 false（不加引号）"
    return ""


def _bare_title(title: str) -> str:
    """涉及金额（元） → 涉及金额: staff leave the unit out when they write a title as a key."""
    return re.sub(r"[（(][^）)]*[）)]$", "", title.strip())


def _meant_field(name: str, props: dict) -> str | None:
    """The field a wrong key stands for: misspelt (worker → workers) or its Chinese title (状态 → status)."""
    bare = _bare_title(name)
    for key, sub in props.items():
        title = _title(sub, "")
        if title and (name == title or bare == _bare_title(title)):
            return key
    if not name.isascii():  # a Chinese key: compare it with the titles
        by_title = {_bare_title(_title(sub, "")): key for key, sub in props.items() if _title(sub, "")}
        close = difflib.get_close_matches(bare, list(by_title), n=1, cutoff=0.5)
        return by_title[close[0]] if close else None
    close = difflib.get_close_matches(name, list(props), n=1, cutoff=0.6)
    return close[0] if close else None


def _field_elsewhere(name: str, root: Any, here: Loc) -> str | None:
    """Where in the document a field of this name belongs (“欠薪隐患（hazards）每一项”), if elsewhere."""
    todo: list[tuple[Any, str]] = [(root, "")]
    while todo:
        schema, where = todo.pop(0)
        if not isinstance(schema, dict):
            continue
        props = schema.get("properties")
        if isinstance(props, dict):
            if name in props and where:
                return where
            for key, sub in props.items():
                if isinstance(sub, dict) and isinstance(sub.get("items"), dict):
                    todo.append((sub["items"], f"“{_title(sub, key)}”（{key}）每一项"))
                elif isinstance(sub, dict) and sub.get("properties"):
                    todo.append((sub, f"“{_title(sub, key)}”（{key}）"))
    return None


def _findings_for(error, file: str, positions: Positions, year: str | None = None,
                  root: Any = None) -> list[Finding]:
    loc: Loc = tuple(error.absolute_path)
    schema, kw, value, inst = error.schema, error.validator, error.validator_value, error.instance
    if kw == "required":
        props = schema.get("properties", {}) if isinstance(schema, dict) else {}
        missing = [name for name in value if isinstance(inst, dict) and name not in inst]
        return [at_field("schema.required", file, loc + (name,),
                         f"缺少必填字段“{_title(props.get(name), name)}”（{name}）。")
                for name in missing]
    if kw == "additionalProperties":
        props = schema.get("properties", {}) if isinstance(schema, dict) else {}
        return _unknown_fields(file, loc, props, inst, root)
    return _value_findings(error, file, loc, positions, year)


def _unknown_fields(file: str, loc: Loc, props: dict, inst: Any, root: Any) -> list[Finding]:
    """One finding per key the schema does not know, saying which field was probably meant."""
    out = []
    for name in inst if isinstance(inst, dict) else []:
        if name in props:
            continue
        meant = _meant_field(str(name), props)
        elsewhere = None if meant else _field_elsewhere(str(name), root, loc)
        advice = _unknown_field_advice(str(name), meant, elsewhere, props, loc)
        f = at_field("schema.unknown-field", file, loc + (name,),
                     f"不认识的字段“{name}”"
                     f"：{advice}", at_key=True)
        if meant and isinstance(inst, dict) and meant not in inst:
            f = replace(f, stands_for=meant)  # the required field it explains
        out.append(f)
    return out


def _unknown_field_advice(name: str, meant: str | None, elsewhere: str | None, props: dict, loc: Loc) -> str:
    if meant and _bare_title(_title(props[meant], meant)) == _bare_title(name) != meant:
        return f"字段名要写英文编号，不能写中文：“{name}”应写成“{meant}”（例如“{meant}: …”）。"
    if meant and not name.isascii():
        return f"字段名要写英文编号，不能写中文：是不是“{meant}”（{_title(props[meant], meant)}）？"
    if meant:
        return f"是不是想写“{meant}”（{_title(props[meant], meant)}）？"
    if elsewhere:
        return (f"“{name}”是{elsewhere}里的字段，不该写在这一层：可能是缩进不对，"
                "请让它和所属那一项的其他字段左边对齐。")
    if not name.isascii():
        listed = "、".join(f"{k}（{_title(v, k)}）" for k, v in props.items())
        return f"字段名要写英文编号，不能写中文；{'这里' if loc else '文件顶层'}允许的字段有 {listed}。"
    return f"{'这里' if loc else '文件顶层'}允许的字段有 {'、'.join(props)}。"


def _value_findings(error, file: str, loc: Loc, positions: Positions, year: str | None) -> list[Finding]:
    """A value of the wrong type, out of range, not among the choices or not matching its pattern."""
    schema, kw, value, inst = error.schema, error.validator, error.validator_value, error.instance
    what = _field(schema, loc)
    if kw == "type":
        expected = [value] if isinstance(value, str) else list(value)
        if not loc:
            msg = f"文件内容应为“字段: 值”形式的键值对，实际为{_show(inst)}。"
        else:
            hint = _yaml_hint(inst, expected, positions.node_at(file, loc), schema, year)
            msg = f"{what}应为{_expected(expected)}，实际为{_show(inst)}{hint}。"
        return [at_field("schema.type", file, loc, msg)]
    if kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        kind = "整数" if schema.get("type") == "integer" else "数"
        lo, hi = schema.get("minimum"), schema.get("maximum")
        if lo is not None and hi is not None:
            rng = f"应为 {lo} 到 {hi} 之间的{kind}"
        elif kw == "minimum":
            rng = f"应为不小于 {value} 的{kind}"
        elif kw == "maximum":
            rng = f"应为不大于 {value} 的{kind}"
        elif kw == "exclusiveMinimum":
            rng = f"应为大于 {value} 的{kind}"
        else:
            rng = f"应为小于 {value} 的{kind}"
        code = "schema.minimum" if "inimum" in kw else "schema.maximum"
        return [at_field(code, file, loc, f"{what}{rng}，实际为 {inst}。")]
    if kw == "enum":
        options = "、".join(str(v) for v in value)
        hint = ""
        if isinstance(inst, str):
            bare = hints.unquoted(inst)
            if bare is not None and bare in value:
                hint = f"。{hints.quotes_advice(inst)}"
            else:
                close = difflib.get_close_matches(inst, [str(v) for v in value], n=1, cutoff=0.5)
                hint = f"（是不是想写“{close[0]}”？）" if close else ""
        return [at_field("schema.enum", file, loc,
                         f"{what}应为以下之一：{options}；实际为{_show(inst)}{hint}。")]
    if kw == "pattern":
        desc = PATTERN_ZH.get(value, f"符合格式 {value} 的文本")
        hint = _text_hint(inst, value, year) if isinstance(inst, str) else ""
        return [at_field("schema.pattern", file, loc, f"{what}应为{desc}，实际为{_show(inst)}{hint}。")]
    if kw == "minLength":
        return [at_field("schema.empty", file, loc, f"{what}不能为空。")]
    if kw == "minItems":
        return [at_field("schema.min-items", file, loc, f"{what}至少要有 {value} 项。")]
    if kw == "const":
        return [at_field("schema.const", file, loc, f"{what}只能是 {value!r}，实际为{_show(inst)}。")]
    return [at_field("schema.invalid", file, loc, f"{what}不符合要求：{error.message}")]
