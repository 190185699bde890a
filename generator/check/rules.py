"""Rules layer: what no schema can say. The path agrees with the content; counts and amounts agree;
dates fall in their month and deadlines come after discovery; every project under construction has
its 治欠协管员 and 包保责任人; platform readings make sense; hazards stay in the reporting unit's area.

Like refs.py, it reads values defensively and skips what the schema layer already reported.
Dates are compared as ISO strings (YYYY-MM-DD sorts like the date it names).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from generator.check.findings import WARNING, Finding, Loc, at_field
from generator.check.refs import Context, dicts, text
from generator.model import Document

_DATE = re.compile(r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_MONTH = re.compile(r"^20[0-9]{2}-(0[1-9]|1[0-2])$")
ACTIVE = ("在建", "停工")
COORDINATOR, BAOBAO = "治欠协管员", "包保责任人"
# Measures 二（一）–（五） and requirements 三（一）–（四） of the town document.
SECTIONS = [f"二（{n}）" for n in "一二三四五"] + [f"三（{n}）" for n in "一二三四"]

# Where each kind keeps dates ("*" = every item of a list): checked for real calendar days.
DATE_FIELDS: dict[str, list[tuple]] = {
    "return": [("filled_on",), ("hazards", "*", "found_on"), ("hazards", "*", "deadline"),
               ("hazards", "*", "resolved_on"), ("amendments", "*", "date")],
    "clues": [("clues", "*", "received_on"), ("clues", "*", "handled_on")],
    "publicity": [("date",)],
    "project": [("start_date",), ("planned_completion",), ("completed_on",), ("notice_board", "posted_on"),
                ("dedicated_account", "opened_on"), ("dedicated_account", "closed_on"),
                ("deposit", "stored_on"), ("deposit", "notified_on"), ("deposit", "returned_on"),
                ("deposit", "movements", "*", "date"), ("platform", "connected_on"),
                ("rectifications", "*", "issued_on"), ("rectifications", "*", "deadline"),
                ("rectifications", "*", "completed_on"), ("violations", "*", "date"),
                ("violations", "*", "deadline"), ("violations", "*", "negative_credit_reported_on"),
                ("reported_to_office_on",)],
    "settings": [("as_of",), ("minimum_wage", "effective_date")],
}


def day(value: Any) -> str | None:
    """The value if it is a well-formed date string, else None (the schema layer reports it)."""
    return value if isinstance(value, str) and len(value) == 10 and _DATE.match(value) else None


def month_of(value: Any) -> str | None:
    return value if isinstance(value, str) and len(value) == 7 and _MONTH.match(value) else None


def number(value: Any) -> float | None:
    """A count or amount the schema accepts (a non-negative number), else None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 10**15:
        return value  # larger ones are reported by rules_numbers.py
    return None


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


class _Rules:
    def __init__(self, ctx: Context, doc: Document, out: list[Finding]):
        self.ctx, self.doc, self.out = ctx, doc, out
        self.file = f"content/{doc.rel}"

    def add(self, code: str, loc: Loc, message: str, *, severity: str = "error") -> None:
        self.out.append(at_field(code, self.file, loc, message, severity=severity))

    # --- helpers shared by kinds ---
    def dates_exist(self, data: dict) -> None:
        for template in DATE_FIELDS.get(self.doc.kind, ()):
            # Values first (cheap); locations only for the rare impossible date.
            if any(_impossible(v) for v in _values(data, template)):
                for loc, value in _expand(data, template, ()):
                    if _impossible(value):
                        self.add("date.invalid", loc, f"{value} 不是日历上存在的日期。")

    def id_matches_file(self, data: dict, what: str) -> None:
        v, stem = text(data.get("id")), _stem(self.doc.rel)
        if v is not None and v != stem:
            self.add(f"{self.doc.kind}.id-mismatch", ("id",),
                     f"{what}编号“{v}”与文件名“{stem}.yaml”不一致：文件名应为“{v}.yaml”，"
                     f"或把编号改为“{stem}”。")

    def roles(self, data: dict, kind_zh: str) -> None:
        people = self.ctx.people or {}
        for key, role in (("coordinator", COORDINATOR), ("baobao", BAOBAO)):
            pid = text(data.get(key))
            person = people.get(pid) if pid else None
            if person is None:
                continue
            roles = person.get("roles") if isinstance(person.get("roles"), list) else []
            if role not in roles:
                self.add(f"{self.doc.kind}.{key}-role", (key,),
                         f"{kind_zh}的{role}“{pid}”（{person.get('name', '')}）在名册中没有“{role}”角色："
                         f"请在 content/taskforce.yaml 给此人加上这个角色，或改填名册里的{role}。")


def _impossible(value: Any) -> bool:
    """A well-formed date string naming a day the calendar lacks (2024-02-30)."""
    if isinstance(value, str) and len(value) == 10 and value[8:] > "28" and _DATE.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            return True
    return False


def _values(data: Any, template: tuple) -> list:
    items = [data]
    for part in template:
        if part == "*":
            items = [x for v in items if isinstance(v, list) for x in v]
        else:
            items = [v[part] for v in items if isinstance(v, dict) and part in v]
        if not items:
            break
    return items


def _expand(data: Any, template: tuple, prefix: Loc):
    """(loc, value) for every place a template with "*" wildcards reaches."""
    if not template:
        yield prefix, data
        return
    head, rest = template[0], template[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _expand(item, rest, prefix + (i,))
    elif isinstance(data, dict) and head in data:
        yield from _expand(data[head], rest, prefix + (head,))


# --- per kind ------------------------------------------------------------------------------
_EMPTY: frozenset[str] = frozenset()


def _stray(values: Any, area: set[str] | frozenset[str]) -> list[tuple[int, str]]:
    """(index, id) of the string items of a list that are not in `area`."""
    if not isinstance(values, list):
        return []
    try:
        if area.issuperset(values):
            return []
    except TypeError:  # unhashable items: the schema layer reports them
        pass
    return [(i, v) for i, v in enumerate(values) if isinstance(v, str) and v not in area]


def _in_area(ctx: Context, unit: str, project: str | None = None, enterprise: str | None = None) -> bool:
    if project is not None:
        area = ctx.village_projects if unit in (ctx.villages or {}) else ctx.authority_projects
        return project in area.get(unit, ())
    if enterprise is not None and unit in (ctx.villages or {}):
        return enterprise in ctx.village_enterprises.get(unit, ())
    return True


def _area_problem(ctx: Context, unit: str, project: dict | None = None,
                  enterprise: dict | None = None) -> str:
    """Why a project/enterprise is outside the unit's area or authority ("" when it is inside)."""
    units = ctx.units or {}
    if unit not in units:
        return ""
    is_village = unit in (ctx.villages or {})
    if project is not None:
        village, authority = text(project.get("village")), text(project.get("authority"))
        if (village == unit) if is_village else (authority == unit):
            return ""
        return (f"项目位于{ctx.unit_name(village or '')}、由{ctx.unit_name(authority or '')}主管，"
                f"不在{ctx.unit_name(unit)}的{'辖区' if is_village else '主管范围'}内")
    if enterprise is not None and is_village:
        village = text(enterprise.get("village"))
        if village != unit:
            return f"企业位于{ctx.unit_name(village or '')}，不在{ctx.unit_name(unit)}的辖区内"
    return ""


def _return(r: _Rules, d: dict) -> None:
    ctx = r.ctx
    folder = r.doc.rel.split("/")[1]
    month, unit = month_of(d.get("month")), text(d.get("unit"))
    if month is not None and month != folder:
        copy = f"content/returns/{month}/{_stem(r.doc.rel)}.yaml"
        later = (f"如果这是新填的 {month} 月报，请复制到新月份的文件夹 {copy}，"
                 f"本文件恢复为 {folder} 的内容（已报送的月报不能改名或移动）；" if month > folder else
                 f"请把文件放到 returns/{month}/；")
        r.add("return.period-mismatch", ("month",),
              f"月份“{month}”与所在文件夹 returns/{folder}/ 不一致：{later}月份写错了的，请改正月份。")
    # An id that names no unit is reported by the reference layer; renaming the file would not help.
    known = ctx.units is None or unit in ctx.units
    if unit is not None and unit != _stem(r.doc.rel) and known:
        r.add("return.unit-mismatch", ("unit",),
              f"报送单位“{unit}”与文件名“{_stem(r.doc.rel)}.yaml”不一致："
              f"文件名应为报送单位的编号“{unit}.yaml”。")
    units = ctx.units or {}
    if unit in units and units[unit].get("reports_monthly") is not True:
        r.add("return.not-reporting-unit", ("unit",),
              f"{ctx.unit_name(unit)}（{unit}）不是按月报送排查根治表的单位（town.yaml 中 reports_monthly "
              "不为 true）。")
    filled = day(d.get("filled_on"))
    if month and filled and filled[:7] < month:
        r.add("return.filled-before-month", ("filled_on",),
              f"填报日期 {filled} 早于报告月份 {month}：本月的排查根治表不能在本月开始之前填报。")
    if unit in units:
        is_village = unit in (ctx.villages or {})
        area = (ctx.village_projects if is_village else ctx.authority_projects).get(unit, _EMPTY)
        for i, pid in _stray(d.get("checked_projects"), area):
            if pid in ctx.projects and pid not in ctx.misplaced:
                r.add("return.checked-outside-area", ("checked_projects", i),
                      f"已排查项目“{pid}”：{_area_problem(ctx, unit, project=ctx.projects[pid])}，"
                      f"应由所在村（社区）或主管部门排查。")
        if is_village:
            area = ctx.village_enterprises.get(unit, _EMPTY)
            for i, eid in _stray(d.get("checked_enterprises"), area):
                if eid in ctx.enterprises:
                    r.add("return.checked-outside-area", ("checked_enterprises", i),
                          f"已排查企业“{eid}”：{_area_problem(ctx, unit, enterprise=ctx.enterprises[eid])}，"
                          f"应由所在村（社区）排查。")
    for i, h in dicts(d.get("hazards")):
        _hazard(r, h, ("hazards", i), month, unit)


def _hazard(r: _Rules, h: dict, loc: Loc, month: str | None, unit: str | None) -> None:
    ctx = r.ctx
    targets = [k for k in ("project", "enterprise", "other_target") if h.get(k) not in (None, "")]
    if not targets:
        r.add("hazard.no-target", loc,
              "隐患没有写对象：project（项目编号）、enterprise（企业编号）、other_target（其他对象）"
              "三者须填写一个。")
    elif len(targets) > 1:
        r.add("hazard.several-targets", loc + (targets[1],),
              f"隐患同时写了 {'、'.join(targets)}：一条隐患只能对应一个对象，请拆成多条。")
    pid, eid = text(h.get("project")), text(h.get("enterprise"))
    if unit and pid in ctx.projects and pid not in ctx.misplaced and not _in_area(ctx, unit, project=pid):
        why = _area_problem(ctx, unit, project=ctx.projects[pid])
        if why:
            r.add("hazard.outside-area", loc + ("project",), f"隐患所涉项目“{pid}”：{why}。")
    if unit and eid in ctx.enterprises and not _in_area(ctx, unit, enterprise=eid):
        why = _area_problem(ctx, unit, enterprise=ctx.enterprises[eid])
        if why:
            r.add("hazard.outside-area", loc + ("enterprise",), f"隐患所涉企业“{eid}”：{why}。")

    workers, paid = number(h.get("workers")), number(h.get("workers_paid"))
    if workers is not None and paid is not None and paid > workers:
        r.add("hazard.paid-exceeds-workers", loc + ("workers_paid",),
              f"已支付人数 {paid} 大于涉及人数 {workers}。")
    owed, repaid = number(h.get("amount_owed_yuan")), number(h.get("amount_repaid_yuan"))
    if owed is not None and repaid is not None and repaid > owed:
        r.add("hazard.repaid-exceeds-owed", loc + ("amount_repaid_yuan",),
              f"已支付金额 {repaid:g} 元大于涉及金额 {owed:g} 元。")

    status = h.get("status")
    found, deadline, resolved = day(h.get("found_on")), day(h.get("deadline")), day(h.get("resolved_on"))
    if status == "已化解" and h.get("resolved_on") in (None, ""):
        r.add("hazard.resolved-without-date", loc + ("status",),
              "状态为“已化解”，但没有填写化解日期（resolved_on）。")
    elif resolved and status in ("未化解", "化解中"):
        r.add("hazard.open-with-resolved-date", loc + ("resolved_on",),
              f"填写了化解日期 {resolved}，状态却是“{status}”："
              "已化解的请把状态改为“已化解”。", severity=WARNING)
    if found and month and found[:7] > month:
        r.add("hazard.found-after-month", loc + ("found_on",),
              f"发现日期 {found} 晚于报告月份 {month}：应报在 {found[:7]} 的排查根治表里。")
    if found and deadline and deadline <= found:
        r.add("hazard.deadline-before-found", loc + ("deadline",),
              f"化解期限 {deadline} 应晚于发现日期 {found}。")
    if found and resolved and resolved < found:
        r.add("hazard.resolved-before-found", loc + ("resolved_on",),
              f"化解日期 {resolved} 早于发现日期 {found}。")


def _clues(r: _Rules, d: dict) -> None:
    stem, month = _stem(r.doc.rel), month_of(d.get("month"))
    if month is not None and month != stem:
        r.add("clues.period-mismatch", ("month",),
              f"月份“{month}”与文件名“{stem}.yaml”不一致：线索文件名应为其月份，如 clues/{month}.yaml。")
    month = month_of(stem) or month  # one mistake, one finding: clues are compared with the file's month
    for i, c in dicts(d.get("clues")):
        received, handled = day(c.get("received_on")), day(c.get("handled_on"))
        if month and received and received[:7] != month:
            r.add("clue.received-outside-month", ("clues", i, "received_on"),
                  f"收到日期 {received} 不在 {month} 内：请把这条线索放到 clues/{received[:7]}.yaml。")
        if received and handled and handled < received:
            r.add("clue.handled-before-received", ("clues", i, "handled_on"),
                  f"办结日期 {handled} 早于收到日期 {received}。")


def _publicity(r: _Rules, d: dict) -> None:
    stem = _stem(r.doc.rel)
    v, when = text(d.get("id")), day(d.get("date"))
    if v is not None and v != stem:
        r.add("publicity.id-mismatch", ("id",),
              f"编号“{v}”与文件名“{stem}.yaml”不一致：宣传活动的编号应与文件名相同。")
    if when is not None and not stem.startswith(when + "-"):
        r.add("publicity.date-mismatch", ("date",),
              f"日期 {when} 与文件名“{stem}.yaml”不一致：文件名应以活动日期开头，如 {when}-名称.yaml。")
    settings = r.ctx.single.get("settings")
    key_day = text(d.get("key_day"))
    if key_day and isinstance(settings, dict) and isinstance(settings.get("key_days"), list):
        names = [k.get("name") for _, k in dicts(settings["key_days"])]
        if key_day not in names:
            r.add("publicity.unknown-key-day", ("key_day",),
                  f"重要时点“{key_day}”不在 settings.yaml 的 key_days 里："
                  f"应为 {'、'.join(map(str, names))} 之一。")


def _project(r: _Rules, d: dict) -> None:
    r.id_matches_file(d, "项目")
    status = d.get("status")
    if status in ACTIVE:
        for key, role in (("coordinator", COORDINATOR), ("baobao", BAOBAO)):
            if d.get(key) in (None, ""):
                r.add(f"project.{key}-missing", (),
                      f"项目状态为“{status}”，但没有{role}（{key}）："
                      "在建和停工项目须落实“一项目一协管”和包保责任人。")
    r.roles(d, "项目")
    if status == "完工" and d.get("completed_on") in (None, ""):
        r.add("project.completed-without-date", ("status",),
              "项目状态为“完工”，但没有填写完工日期（completed_on）。",
              severity=WARNING)
    start = day(d.get("start_date"))
    for key, zh in (("planned_completion", "计划完工日期"), ("completed_on", "完工日期")):
        end = day(d.get(key))
        if start and end and end < start:
            r.add("project.dates-order", (key,), f"{zh} {end} 早于开工日期 {start}。")
    account = d.get("dedicated_account")
    if isinstance(account, dict):
        opened, closed = day(account.get("opened_on")), day(account.get("closed_on"))
        if opened and closed and closed < opened:
            r.add("project.dates-order", ("dedicated_account", "closed_on"),
                  f"销户日期 {closed} 早于开户日期 {opened}。")
    deposit = d.get("deposit")
    if isinstance(deposit, dict):
        stored, returned = day(deposit.get("stored_on")), day(deposit.get("returned_on"))
        if stored and returned and returned < stored:
            r.add("project.dates-order", ("deposit", "returned_on"),
                  f"保证金返还日期 {returned} 早于存储日期 {stored}。")
    _platform(r, d.get("platform"), status in ACTIVE)
    for i, rect in dicts(d.get("rectifications")):
        issued, deadline = day(rect.get("issued_on")), day(rect.get("deadline"))
        done = day(rect.get("completed_on"))
        if issued and deadline and deadline <= issued:
            r.add("rectification.deadline-before-issued", ("rectifications", i, "deadline"),
                  f"整改期限 {deadline} 应晚于下达日期 {issued}。")
        if issued and done and done < issued:
            r.add("rectification.completed-before-issued", ("rectifications", i, "completed_on"),
                  f"整改完成日期 {done} 早于下达日期 {issued}。")
    for i, v in dicts(d.get("violations")):
        found, deadline = day(v.get("date")), day(v.get("deadline"))
        if found and deadline and deadline <= found:
            r.add("violation.deadline-before-found", ("violations", i, "deadline"),
                  f"责令改正期限 {deadline} 应晚于发现日期 {found}。")


RATE_FIELDS = {"run_rate": "运行率", "dedicated_account_rate": "专户运行率", "real_name_rate": "实名制运行率",
               "bank_payroll_rate": "银行代发运行率"}


def _platform(r: _Rules, p: Any, active: bool) -> None:
    if not isinstance(p, dict):
        return
    connected = p.get("connected")
    connected_on = day(p.get("connected_on"))
    readings = list(dicts(p.get("readings")))
    if connected is False and readings:
        r.add("platform.readings-not-connected", ("platform", "readings"),
              "项目未接入监控预警平台（connected: false），却填写了月度运行情况：已接入的请把 connected "
              "改为 true 并填写接入日期。")
    if connected is True and p.get("connected_on") in (None, ""):
        r.add("platform.connected-without-date", ("platform", "connected"),
              "项目已接入监控预警平台，但没有填写接入日期（connected_on）。", severity=WARNING)
    if connected is True and active and not readings:
        r.add("platform.no-readings", ("platform", "connected"),
              "项目已接入监控预警平台，但还没有任何月度运行情况（readings）：请按月填写运行率及其口径。",
              severity=WARNING)
    seen: dict[str, int] = {}
    for i, reading in readings:
        m = month_of(reading.get("month"))
        if m is not None:
            if m in seen:
                r.add("platform.duplicate-reading", ("platform", "readings", i, "month"),
                      f"{m} 的运行情况写了两次（另见第 {seen[m] + 1} 条）：每月只能有一条。")
            else:
                seen[m] = i
            if connected_on and m < connected_on[:7]:
                r.add("platform.reading-before-connection", ("platform", "readings", i, "month"),
                      f"{m} 早于接入日期 {connected_on}：接入之前不会有运行率。")
        for key, zh in RATE_FIELDS.items():
            rate = number(reading.get(key))
            if rate is not None and rate > 100:
                r.add("platform.rate-out-of-range", ("platform", "readings", i, key),
                      f"{zh}应在 0 到 100 之间（百分数），实际为 {rate:g}。")


def _enterprise(r: _Rules, d: dict) -> None:
    r.id_matches_file(d, "企业")
    r.roles(d, "企业")


def _taskforce(r: _Rules, d: dict) -> None:
    villages = r.ctx.villages
    if villages is None:
        return
    covered = {text(vt.get("unit")) for _, vt in dicts(d.get("village_taskforces"))}
    for vid, v in villages.items():
        if vid not in covered:
            r.add("taskforce.village-missing", ("village_taskforces",),
                  f"{v.get('name', vid)}（{vid}）还没有村（社区）专班：请在 village_taskforces 里补上。",
                  severity=WARNING)


def _responsibilities(r: _Rules, d: dict) -> None:
    covered = {text(item.get("section")) for _, item in dicts(d.get("items"))}
    for section in SECTIONS:
        if section not in covered:
            r.add("responsibilities.section-missing", ("items",),
                  f"实施方案 {section} 还没有责任分工：每项措施和要求都须有牵头单位、配合单位、频次和成果。")


_BY_KIND = {"return": _return, "clues": _clues, "publicity": _publicity, "project": _project,
            "enterprise": _enterprise, "taskforce": _taskforce, "responsibilities": _responsibilities}


def _sample_loc(kind: str, data: dict) -> Loc | None:
    """Where a document (or one of its list items) says sample: true."""
    if data.get("sample") is True:
        return ("sample",)
    if kind not in ("town", "taskforce"):  # the only kinds with sample items inside
        return None
    for key, value in data.items():
        for i, item in dicts(value):
            if item.get("sample") is True:
                return (key, i, "sample")
    return None


def check(documents: list[Document], ctx: Context, date_suspects: set[str] | None = None) -> list[Finding]:
    """All rule findings. `date_suspects`: content-relative paths that may hold impossible dates
    (the loader knows from the text); None checks every file."""
    out: list[Finding] = []
    settings = ctx.single.get("settings")
    warn_samples = isinstance(settings, dict) and settings.get("sample_data") is False
    for doc in documents:
        data = doc.data
        if not isinstance(data, dict):
            continue
        r = _Rules(ctx, doc, out)
        if date_suspects is None or doc.rel in date_suspects:
            r.dates_exist(data)
        fn = _BY_KIND.get(doc.kind)
        if fn is not None:
            fn(r, data)
        if warn_samples:
            loc = _sample_loc(doc.kind, data)
            if loc is not None:
                r.add("sample.present", loc,
                      "这是示例数据（sample: true），而 settings.yaml 的 sample_data 为 false："
                      "正式使用前请替换或删除示例。",
                      severity=WARNING)
    return out
