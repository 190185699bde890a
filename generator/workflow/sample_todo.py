"""What the office must fill in once the sample is gone: read from the tree as it will be, in Chinese."""

from __future__ import annotations

from generator.paths import CONTENT
from generator.unconfirmed import pending_settings


def todo(data: dict[str, dict], deleted: set[str], removed_units: dict[str, str],
         edits: dict[str, str]) -> list[str]:
    """`data` is every file's data after the removal (deleted files still listed, skipped here)."""
    kept = {rel: d for rel, d in data.items() if rel not in deleted}
    settings, town = kept.get("settings.yaml", {}), kept.get("town.yaml", {})
    taskforce = kept.get("taskforce.yaml", {})
    out: list[str] = []
    for p in pending_settings(settings):
        name = f"“{p.name}”" if p.name else ""
        out.append(f"{CONTENT}/settings.yaml {p.key}：{name}尚未核实（confirmed: false），"
                   "核实后填写并改为 true")
    out.append(f"{CONTENT}/settings.yaml as_of（统计截止日）现为 {settings.get('as_of')}，改为本次统计的日期")
    out.append(f"{CONTENT}/settings.yaml site.url 和 forge：改为本镇公开网站和仓库的实际地址")

    villages = [v for v in town.get("villages") or [] if isinstance(v, dict)]
    if removed_units:
        left = "、".join(v.get("name", v.get("id")) for v in villages) or "无"
        out.append(f"{CONTENT}/town.yaml：已移除示例单位 {'、'.join(removed_units.values())}；"
                   f"请把本镇其余的村（社区）补进 villages（现有：{left}）")
    unsure = [v.get("name", v.get("id")) for v in villages if v.get("name_confirmed") is False]
    if unsure:
        out.append(f"{CONTENT}/town.yaml：{'、'.join(unsure)} 是村还是社区尚未确认（name_confirmed: false）")

    people = [p for p in taskforce.get("people") or [] if isinstance(p, dict)]
    staffed = {p.get("unit") for p in people}
    if not taskforce.get("village_taskforces"):
        out.append(f"{CONTENT}/taskforce.yaml：village_taskforces（村（社区）专班）现为空，"
                   "请为每个村（社区）填写组长和成员，并把这些人员加入 people")
    units = villages + [d for d in town.get("departments") or [] if isinstance(d, dict)]
    unstaffed = [u.get("name", u.get("id")) for u in units
                 if u.get("reports_monthly") and u.get("id") not in staffed]
    if unstaffed:
        out.append(f"{CONTENT}/taskforce.yaml：{'、'.join(unstaffed)} 要按月报送，但名册中还没有该单位的人员"
                   "（填报人、审核人、Git 账号）")
    placeholder = sorted({a for p in people for a in p.get("git_accounts") or [] if "sample" in str(a)}
                         | {a for a in (taskforce.get("office") or {}).get("git_accounts") or []
                            if "sample" in str(a)})
    if placeholder:
        out.append(f"{CONTENT}/taskforce.yaml：Git 账号 {'、'.join(placeholder)} 是示例名称，"
                   "换成真实账号后运行 zhiqian codeowners")

    for folder, label in (("projects/", "在建项目台账"), ("enterprises/", "重点企业")):
        if not any(rel.startswith(folder) for rel in kept):
            out.append(f"{CONTENT}/{folder}：现在没有任何文件，请登记{label}")
    if not any(rel.startswith("returns/") for rel in kept):
        out.append(f"{CONTENT}/returns/：各单位从本月起报送月报"
                   "（zhiqian new-return 单位编号 YYYY-MM 生成模板）")
    return out

