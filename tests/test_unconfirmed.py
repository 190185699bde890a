"""The build lists every fact the office has not confirmed (shown as 待核实 with a fallback on the pages)."""

from __future__ import annotations

import copy
from pathlib import Path

from generator.build import load_checked
from generator.unconfirmed import unconfirmed

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"


def test_unconfirmed_facts_are_listed_and_disappear_once_confirmed():
    content = load_checked(FIXTURE)
    found = unconfirmed(content)
    assert "settings.yaml 热线“丰都县劳动保障监察投诉电话”：没有号码（页面请群众先拨打 12333）" in found
    assert "settings.yaml 就近反映的地点“兴义镇社保所（根治欠薪专班办公室）”：没有地址和办公时间" in found
    assert "town.yaml 行业主管部门“农业服务中心”：没有投诉电话（项目页面请群众先拨打 12333）" in found
    assert "settings.yaml 最低工资标准（minimum_wage）未核实" in found
    fixed = copy.deepcopy(content)
    fixed.settings["office"].update(address="兴义镇某街1号", hours="工作日 9:00—17:00", confirmed=True)
    fixed.settings["minimum_wage"]["confirmed"] = True
    after = unconfirmed(fixed)
    assert not [line for line in after if "就近反映" in line or "最低工资" in line]
    assert len(after) == len(found) - 2


def test_one_list_of_unconfirmed_settings_feeds_the_build_doctor_sample_remove_and_the_check():
    from generator.check import rules_roster
    from generator.unconfirmed import pending_settings
    from generator.workflow.doctor import check_unconfirmed
    from generator.workflow.sample_todo import todo

    settings = copy.deepcopy(load_checked(FIXTURE).settings)
    assert [(p.key, p.name) for p in pending_settings(settings)] == [
        ("hotlines", "丰都县劳动保障监察投诉电话"), ("hotlines", "兴义镇社保所（根治欠薪专班办公室）"),
        ("office", "兴义镇社保所（根治欠薪专班办公室）"), ("minimum_wage", ""), ("deposit", "")]
    settings["minimum_wage"]["confirmed"] = True  # confirmed once: gone from every caller
    settings["sample_data"] = False
    assert "minimum_wage" not in check_unconfirmed(settings).detail
    assert not [line for line in todo({"settings.yaml": settings}, set(), {}, {}) if "minimum_wage" in line]
    warned = rules_roster._unconfirmed("content/settings.yaml", settings)
    assert [f.message.split("尚未核实")[0] for f in warned] == [
        "热线“丰都县劳动保障监察投诉电话”", "热线“兴义镇社保所（根治欠薪专班办公室）”", "保证金比例"]
