"""The columns of the Excel return and how each cell turns into a value (and back).

Columns come from the return schema: header = the field's Chinese title, kind from its type,
pattern or meaning. Conversions are forgiving where a person would be (a date typed as 2024/8/20,
a number typed as text) and strict otherwise, with a Chinese message naming what was found.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from generator import hints

DATE_PREFIX = "^20[0-9]{2}-(0[1-9]|1[0-2])-"
MONTH_PATTERN_PREFIX = "^20[0-9]{2}-(0[1-9]|1[0-2])$"

# fields whose value is an id of something with a name staff know better than the id
REF_KINDS = {"unit": "unit", "filled_by": "person", "approved_by": "person", "by": "person",
             "project": "project", "enterprise": "enterprise"}


@dataclass(frozen=True)
class Field:
    path: tuple[str, ...]  # key inside the record; ("representative", "name") for nested ones
    header: str
    kind: str  # text | int | number | date | month | bool | enum | unit | person | project | enterprise
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 14


def _kind(key: str, prop: dict) -> str:
    if key in REF_KINDS:
        return REF_KINDS[key]
    if "enum" in prop:
        return "enum"
    t = prop.get("type")
    if t == "integer":
        return "int"
    if t == "number":
        return "number"
    if t == "boolean":
        return "bool"
    pattern = prop.get("pattern", "")
    if pattern == MONTH_PATTERN_PREFIX:
        return "month"
    if pattern.startswith(DATE_PREFIX):
        return "date"
    return "text"


_WIDTH = {"text": 24, "date": 13, "month": 10, "int": 10, "number": 14, "enum": 14, "bool": 8,
          "unit": 16, "person": 14, "project": 30, "enterprise": 30}


def fields_of(obj_schema: dict, prefix: tuple[str, ...] = (), title_prefix: str = "") -> list[Field]:
    """Flatten an object schema's scalar properties (one level of nesting) into columns."""
    out: list[Field] = []
    required = set(obj_schema.get("required", []))
    for key, prop in obj_schema.get("properties", {}).items():
        if prop.get("type") == "object":
            out += fields_of(prop, prefix + (key,), prop.get("title", key))
        elif prop.get("type") != "array":
            kind = _kind(key, prop)
            out.append(Field(prefix + (key,), title_prefix + prop.get("title", key), kind,
                             required=key in required and not prefix, choices=tuple(prop.get("enum", ())),
                             width=_WIDTH[kind]))
    return out


# --- reading cells -------------------------------------------------------------------------------

class CellError(ValueError):
    """A cell that cannot become the field's value; the message is Chinese and names the value."""


def shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return str(value)


_DATE = re.compile(r"^(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH = re.compile(r"^(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def as_date(value: Any) -> str:
    if isinstance(value, datetime | date):
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    m = _DATE.match(str(value).strip())
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            pass
    raise CellError(f"应为日期，写成 YYYY-MM-DD（如 2024-12-18），实际为“{shown(value)}”{_date_hint(value)}")


def as_month(value: Any) -> str:
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    m = _MONTH.match(str(value).strip())
    if m and 1 <= int(m[2]) <= 12:
        return f"{int(m[1]):04d}-{int(m[2]):02d}"
    raise CellError(f"应为月份，写成 YYYY-MM（如 2024-12），实际为“{shown(value)}”")


def _date_hint(value: Any) -> str:
    fix = hints.date_fix(str(value))
    if fix:
        return f"，应写成 {fix}"
    if re.fullmatch(r"\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?\s*", str(value)):
        return "，要写上年份"
    return ""


def _number_hint(value: Any, integer: bool) -> str:
    """“，应写成 12000（去掉单位“元”）” for 12000元, 1.2万, 十二; the cell's value stays the user's to fix."""
    fix = hints.number_fix(str(value)) if isinstance(value, str) else None
    if fix is None or fix[0] < 0 or (integer and fix[0] != int(fix[0])):
        return ""
    return f"，应写成 {fix[0]}（{fix[1]}）"


def as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError(f"应为不小于 0 的整数，实际为“{shown(value)}”")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        value = int(value)
    if not isinstance(value, int) or value < 0:
        raise CellError(f"应为不小于 0 的整数，实际为“{shown(value)}”{_number_hint(value, True)}")
    return value


def as_number(value: Any) -> int | float:
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if re.fullmatch(r"\d+", text):
            value = int(text)
        elif re.fullmatch(r"\d*\.\d+|\d+\.\d*", text):
            value = float(text)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise CellError(f"应为不小于 0 的数字（单位：元，不写“元”和“万”），实际为“{shown(value)}”"
                        f"{_number_hint(value, False)}")
    return value


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text in ("是", "true", "TRUE", "True"):
        return True
    if text in ("否", "false", "FALSE", "False"):
        return False
    raise CellError(f"应填“是”或“否”，实际为“{shown(value)}”")


def as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number Excel turned into a number
    if isinstance(value, datetime | date):
        return as_date(value)
    return str(value).strip()


def as_choice(value: Any, choices: tuple[str, ...]) -> str:
    text = str(value).strip()
    if text not in choices:
        close = difflib.get_close_matches(text, choices, n=1, cutoff=0.5)
        guess = f"，是不是“{close[0]}”？" if close else ""
        raise CellError(f"应为“{'”“'.join(choices)}”之一（请用下拉选项），实际为“{shown(value)}”{guess}")
    return text


def as_ref(value: Any, lookup: dict[str, str], what: str) -> str:
    """An id from a name, an alias, the id itself or “名称（编号）”."""
    text = str(value).strip()
    m = re.fullmatch(r".*[（(]([a-z0-9][a-z0-9-]*)[)）]", text)
    if m and m[1] in lookup.values():
        return m[1]
    if text in lookup:
        return lookup[text]
    if text in lookup.values():
        return text
    close = difflib.get_close_matches(text, list(lookup), n=1, cutoff=0.75)
    guess = f"，是不是“{close[0]}”？" if close else ""
    raise CellError(f"{what}中没有“{text}”（请用下拉选项）{guess}")
