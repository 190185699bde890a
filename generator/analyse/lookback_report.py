"""Facts of the quarterly 回头看 report (town document 三(三)); the matching and scores are lookback.py's.

The report is dated on its Quarter.report_date; what is asked of whom is due on the first monthly due
date after it. Shared words, numbers and the Doc record: gongwen.py.
"""

from __future__ import annotations

from generator.analyse import lookback
from generator.analyse.dates import next_due
from generator.analyse.dates import parse as _d
from generator.analyse.gongwen import LOOKBACK, Doc, cn_date
from generator.analyse.gongwen import records as _records
from generator.model import Content


def quarterly(content: Content, quarter: lookback.Quarter, names: dict[str, str] | None = None) -> Doc:
    names = names if names is not None else {uid: u.get("name", uid) for uid, u in content.units.items()}
    issued = _d(quarter.report_date)
    by = next_due(issued, content.settings)
    clues = _records(quarter.clues)
    for c in clues:
        c["received_text"] = cn_date(c["received_on"])
        c["screened_by_names"] = [names.get(u, u) for u in c.get("screened_by") or []]
        c["found_by_names"] = [names.get(u, u) for u in c.get("found_by") or []]
    units = _records(quarter.units)
    for u in units:
        u["own_share_text"] = "—" if u.get("own_share") is None else f"{u['own_share'] * 100:.0f}%"
        u["score_text"] = f"{u['score']:g}"
    misses = [c for c in clues if (c["is_miss"] or c["is_late"]) and c["counted"]]
    # "12345" reads as part of the count ("123451条") unless it is named as a hotline.
    channels = [(f"{ch}热线" if str(ch).isdigit() else ch, n)
                for ch, n in lookback.summary(quarter)["by_channel"].items()]
    asks = []
    for c in misses:
        who = [n for n in (c.get("village_name"), c.get("authority_name")) if n and n != "未确定"]
        asks.append({"who": "、".join(who) or "专班办公室",
                     "what": f"对{c['received_text']}反映“{c['target_name']}”的线索（{c['category']}）"
                             "开展复盘，查找排查漏洞，形成复盘报告报专班办公室",
                     "by": by.isoformat(), "by_text": cn_date(by)})
    asks.append({"who": "各村（社区）、镇级各行业主管部门",
                 "what": "将本季度线索反映的对象纳入下月排查，做到项目、企业排查全覆盖",
                 "by": by.isoformat(), "by_text": cn_date(by)})
    facts = {"quarter": quarter.key, "label": quarter.label, "start": cn_date(quarter.start),
             "end": cn_date(quarter.end), "report_date": quarter.report_date,
             "window_days": quarter.window_days,
             "summary": lookback.summary(quarter), "channels": channels,
             "clues": clues, "units": units, "misses": misses,
             "formula": quarter.formula, "params": quarter.params, "asks": asks,
             "categories": lookback.CATEGORIES,
             "sample": any(c.get("sample") for c in content.clues)}
    return Doc(kind=LOOKBACK, key=quarter.key, filename=f"{quarter.key}-{LOOKBACK}.pdf",
               issued_on=quarter.report_date, facts=facts,
               title=f"关于{quarter.label}根治欠薪“回头看”情况的通报")
