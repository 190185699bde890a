"""Rules layer: what no schema can say. The path agrees with the content; counts and amounts agree;
dates fall in their month and deadlines come after discovery; every project under construction has
its 治欠协管员 and 包保责任人; platform readings make sense; hazards stay in the reporting unit's area.

Like refs.py, it reads values defensively and skips what the schema layer already reported.
Dates are compared as ISO strings (YYYY-MM-DD sorts like the date it names). The rules of returns and
hazards live in rules_returns.py, of projects and enterprises in rules_projects.py, what they share in
rule_kit.py; this module holds the small kinds and runs them all.
"""

from __future__ import annotations

from generator.check.refs import Context, dicts, text
from generator.check.rule_kit import (  # noqa: F401 (the shared readers stay importable from here)
    ACTIVE,
    DATE_FIELDS,
    SECTIONS,
    Rules,
    day,
    file_stem,
    month_of,
    number,
)
from generator.check.rules_projects import enterprise_rules, project_rules
from generator.check.rules_returns import return_rules
from generator.findings import WARNING, Finding, Loc
from generator.model import Document


def _clues(r: Rules, d: dict) -> None:
    stem, month = file_stem(r.doc.rel), month_of(d.get("month"))
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


def _publicity(r: Rules, d: dict) -> None:
    stem = file_stem(r.doc.rel)
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


def _taskforce(r: Rules, d: dict) -> None:
    villages = r.ctx.villages
    if villages is None:
        return
    covered = {text(vt.get("unit")) for _, vt in dicts(d.get("village_taskforces"))}
    for vid, v in villages.items():
        if vid not in covered:
            r.add("taskforce.village-missing", ("village_taskforces",),
                  f"{v.get('name', vid)}（{vid}）还没有村（社区）专班：请在 village_taskforces 里补上。",
                  severity=WARNING)


def _responsibilities(r: Rules, d: dict) -> None:
    covered = {text(item.get("section")) for _, item in dicts(d.get("items"))}
    for section in SECTIONS:
        if section not in covered:
            r.add("responsibilities.section-missing", ("items",),
                  f"实施方案 {section} 还没有责任分工：每项措施和要求都须有牵头单位、配合单位、频次和成果。")


_BY_KIND = {"return": return_rules, "clues": _clues, "publicity": _publicity, "project": project_rules,
            "enterprise": enterprise_rules, "taskforce": _taskforce, "responsibilities": _responsibilities}


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
        r = Rules(ctx, doc, out)
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
