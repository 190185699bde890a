"""A monthly return as annotated YAML: the layout new-return and import-xlsx both write.

Keys follow the schema's order and each carries its Chinese title as a comment, so a staff member
who opens the file sees what every line means. Every value of the data is written (keys the schema
does not know come last), so parsing the text gives back exactly the data it was made from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from generator.paths import SCHEMAS
from generator.workflow.templating import environment


@dataclass
class Node:
    """One key of a mapping: a scalar, a list of scalars, a list of mappings, or a mapping."""

    key: str
    comment: str = ""
    scalar: Any = None
    kind: str = "scalar"  # scalar | scalars | mappings | mapping | empty
    items: list = field(default_factory=list)  # scalars: [(value, comment)]; mappings: [[Node]]
    children: list = field(default_factory=list)  # mapping: [Node]


@cache
def return_schema(root: Path) -> dict:
    return json.loads((root / SCHEMAS / "return.schema.json").read_text(encoding="utf-8"))


def _comment(prop: dict | None, short: bool) -> str:
    if not prop:
        return ""
    title, desc = prop.get("title", ""), prop.get("description", "")
    if "enum" in prop:
        return f"{title}：{'、'.join(prop['enum'])} 之一"
    if short or not desc:
        return title
    return f"{title}：{desc.rstrip('。')}"


def _nodes(data: dict, props: dict, short: bool, hints: dict[str, Any]) -> list[Node]:
    keys = [k for k in props if k in data] + [k for k in data if k not in props]
    out = []
    for key in keys:
        value, prop = data[key], props.get(key)
        comment = hints.get(key) or _comment(prop, short)
        if isinstance(value, dict):
            sub = (prop or {}).get("properties", {})
            out.append(Node(key, comment, kind="mapping" if value else "empty",
                            scalar={} if not value else None, children=_nodes(value, sub, True, {})))
        elif isinstance(value, list):
            item_prop = (prop or {}).get("items", {})
            if not value:
                out.append(Node(key, comment, kind="empty", scalar=[]))
            elif all(isinstance(v, dict) for v in value):
                sub = item_prop.get("properties", {})
                items = [_nodes(v, sub, True, {}) for v in value]
                out.append(Node(key, comment, kind="mappings", items=items))
            else:
                labels = hints.get(f"{key}[]", {})
                out.append(Node(key, comment, kind="scalars", items=[(v, labels.get(v, "")) for v in value]))
        else:
            out.append(Node(key, comment, scalar=value))
    return out


def dump_return(data: dict, root: Path, *, unit_name: str, names: dict[str, str],
                people: dict[str, str], close_note: str, carried: bool = False) -> str:
    """The annotated YAML text of a return.

    `names` maps project/enterprise ids to their names and `people` person ids to names, so the
    comments say what each id stands for; `close_note` tells when the month closes; `carried` says
    that open hazards were brought over from the previous return.
    """
    schema = return_schema(root)
    props = schema["properties"]
    hints: dict[str, Any] = {
        "unit": f"报送单位编号：{unit_name}（须与文件名一致）",
        "checked_projects[]": names,
        "checked_enterprises[]": names,
    }
    for key in ("filled_by", "approved_by"):
        if data.get(key) in people:
            hints[key] = f"{_comment(props[key], True)}：{people[data[key]]}（人员编号见名册）"
    top = _nodes(data, props, False, hints)
    hazard_props = props["hazards"]["items"]["properties"]
    hazard_help = []
    for key, prop in hazard_props.items():
        text = prop.get("description", "").rstrip("。")
        if "enum" in prop:
            text = f"{'、'.join(prop['enum'])} 之一"
        if key == "representative":
            text += "；下设 name（姓名）、phone（电话）等"
        hazard_help.append((key, prop.get("title", key), text))
    return environment().get_template("return.yaml.j2").render(
        nodes=top, unit_name=unit_name, month=data.get("month", ""), close_note=close_note,
        hazard_help=hazard_help, carried=carried, has_amendments=bool(data.get("amendments")),
        required=schema["properties"]["hazards"]["items"].get("required", []),
    )
