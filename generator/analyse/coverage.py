"""Coverage: does every active project and key enterprise have a 治欠协管员, a 包保 person, a
维权信息告示牌 and the 渝薪码 posted (一项目一协管, 网格化管理)?"""

from __future__ import annotations

import pandas as pd

from generator.analyse.dates import frame
from generator.model import Content

COLUMNS = ["kind", "id", "name", "village", "village_name", "coordinator", "coordinator_name", "baobao",
           "baobao_name", "notice_board", "yuxinma",
           # further columns the internal site and the documents read
           "complete", "gaps"]

GAP_LABELS = {"coordinator": "无治欠协管员", "baobao": "无包保责任人", "notice_board": "未设告示牌",
              "yuxinma": "未贴渝薪码"}


def _row(content: Content, kind: str, rec: dict) -> dict:
    row = {
        "kind": kind, "id": rec["id"], "name": rec.get("name"), "village": rec.get("village"),
        "village_name": content.unit_name(rec.get("village")),
        "coordinator": rec.get("coordinator"),
        "coordinator_name": content.person_name(rec.get("coordinator")),
        "baobao": rec.get("baobao"), "baobao_name": content.person_name(rec.get("baobao")),
        "notice_board": bool((rec.get("notice_board") or {}).get("posted")),
        "yuxinma": bool((rec.get("yuxinma") or {}).get("posted")),
    }
    gaps = [label for field, label in GAP_LABELS.items() if not row[field]]
    row["gaps"] = gaps
    row["complete"] = not gaps
    return row


def table(content: Content) -> pd.DataFrame:
    rows = [_row(content, "项目", p) for p in sorted(content.active_projects(), key=lambda p: p["id"])]
    rows += [_row(content, "企业", e) for _id, e in sorted(content.enterprises.items())]
    return frame(rows, COLUMNS)


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per kind: how many, and how many have each of the four."""
    rows = []
    for kind, part in df.groupby("kind", sort=False):
        rows.append({
            "kind": kind, "total": int(len(part)),
            "coordinator": int(part["coordinator"].notna().sum()),
            "baobao": int(part["baobao"].notna().sum()),
            "notice_board": int(part["notice_board"].sum()),
            "yuxinma": int(part["yuxinma"].sum()),
            "complete": int(part["complete"].sum()),
        })
    return pd.DataFrame(rows, columns=["kind", "total", "coordinator", "baobao", "notice_board", "yuxinma",
                                       "complete"])
