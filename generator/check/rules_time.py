"""Time rules: nothing is dated after settings.as_of, and amendments come after their month closed.

settings.as_of is the "today" of every analysis (analyse/dates.as_of): a date after it is a day that has not
come yet, so it can only be a typing mistake (2099-12, 2052 for 2025). The office reads it as an error,
not a warning: a future month or date would put the return in the wrong bulletin and a future
resolution date would count a hazard as resolved before it is.

Deadlines and planned completion dates are promises, not events: they may lie after as_of.
"""

from __future__ import annotations

from datetime import date

from generator.analyse import dates
from generator.check.refs import Context, dicts
from generator.check.rule_kit import _expand, _values, day, mappings, month_of
from generator.findings import Finding, Loc, at_field
from generator.model import Document

# Events (things that already happened) per kind, with their Chinese name: none may be after as_of.
# Deadlines, planned completion and the minimum wage's effective date are left out on purpose.
EVENTS: dict[str, list[tuple[tuple, str]]] = {
    "return": [(("filled_on",), "填报日期"), (("hazards", "*", "found_on"), "发现日期"),
               (("hazards", "*", "resolved_on"), "化解日期"), (("amendments", "*", "date"), "更正日期")],
    "clues": [(("clues", "*", "received_on"), "收到日期"), (("clues", "*", "handled_on"), "办结日期")],
    "publicity": [(("date",), "活动日期")],
    "project": [(("completed_on",), "完工日期"), (("notice_board", "posted_on"), "告示牌设置日期"),
                (("dedicated_account", "opened_on"), "专户开户日期"),
                (("dedicated_account", "closed_on"), "专户销户日期"),
                (("deposit", "stored_on"), "保证金存储日期"), (("deposit", "returned_on"), "保证金返还日期"),
                (("deposit", "movements", "*", "date"), "保证金变动日期"),
                (("platform", "connected_on"), "平台接入日期"),
                (("rectifications", "*", "issued_on"), "整改下达日期"),
                (("rectifications", "*", "completed_on"), "整改完成日期"),
                (("violations", "*", "date"), "违法行为发现日期"),
                (("violations", "*", "negative_credit_reported_on"), "报送失信日期"),
                (("reported_to_office_on",), "报专班日期")],
}
# Months (a whole month that has not begun cannot be reported): the month of a return or a clue file,
# a platform reading. The current month itself is allowed: returns are filled during their month.
MONTHS: dict[str, list[tuple[tuple, str]]] = {
    "return": [(("month",), "报告月份")],
    "clues": [(("month",), "月份")],
    "project": [(("platform", "readings", "*", "month"), "运行情况月份")],
}


def _as_of(ctx: Context) -> date | None:
    settings = ctx.single.get("settings")
    value = day(settings.get("as_of")) if isinstance(settings, dict) else None
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None  # an impossible as_of is reported by the date rule on settings.yaml


def check(documents: list[Document], ctx: Context) -> list[Finding]:
    today = _as_of(ctx)
    if today is None:
        return []
    now, this_month = today.isoformat(), today.isoformat()[:7]
    closing: dict[str, date | None] = {}  # month → its last open day, worked out once per month
    out: list[Finding] = []
    for kind, file, data in mappings(documents):
        for template, zh in EVENTS.get(kind, ()):
            # Values first (a later date is rare): locations only when a text sorts after today.
            if not any(isinstance(v, str) and v > now for v in _values(data, template)):
                continue
            for loc, value in _expand(data, template, ()):
                when = day(value)
                if when and when > now:
                    out.append(at_field(
                        "time.future-date", file, loc,
                        f"{zh} {when} 晚于当前日期 {now}（settings.yaml 的 as_of）：这一天还没有到，"
                        "请核对年份和月份。"))
        for template, zh in MONTHS.get(kind, ()):
            if not any(isinstance(v, str) and v > this_month for v in _values(data, template)):
                continue
            for loc, value in _expand(data, template, ()):
                m = month_of(value)
                if m and m > this_month:
                    out.append(at_field(
                        "time.future-month", file, loc,
                        f"{zh} {m} 晚于当前月份 {this_month}（settings.yaml 的 as_of 为 {now}）："
                        "这个月还没有开始，不能报送，请核对年份和月份。"))
        if kind == "return" and any(isinstance(a, dict) for a in _list(data.get("amendments"))):
            out += _amendments(file, data, ctx.single.get("settings") or {}, today, closing)
    return out


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _amendments(file: str, data: dict, settings: dict, today: date,
                closing: dict[str, date | None]) -> list[Finding]:
    """An amendment records a change made after the month closed (pr.py enforces that one is added then).
    Before closing the return may simply be edited, so an amendment dated earlier is a wrong date: the
    office reads it as an error, since the 回头看 counts amendments against the unit."""
    month = month_of(data.get("month"))
    if month is None:
        return []
    if month not in closing:
        try:
            closing[month] = dates.last_open_day(month, settings)
        except (ValueError, TypeError):
            closing[month] = None  # bad returns settings are reported on settings.yaml
    closed = closing[month]
    if closed is None:
        return []
    out = []
    for i, a in dicts(data.get("amendments")):
        when = day(a.get("date"))
        if when and when <= closed.isoformat():
            loc: Loc = ("amendments", i, "date")
            out.append(at_field(
                "time.amendment-before-close", file, loc,
                f"更正日期 {when} 不晚于 {month} 月份的关账日 {closed.isoformat()}："
                "关账之前直接修改本表即可，"
                "不需要登记更正；请核对更正日期。"))
    return out


def one_per_mistake(findings: list[Finding]) -> list[Finding]:
    """A return dated in a month that has not begun is one mistake: its filled_on then naturally lies
    "before the month", which is not reported again."""
    future = {f.file for f in findings if f.code == "time.future-month" and f.path == "month"}
    if not future:
        return findings
    return [f for f in findings if not (f.code == "return.filled-before-month" and f.file in future)]
