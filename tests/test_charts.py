"""SVG responsibility charts: well-formed, self-contained, and the Chinese names are there."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest
from _history_repo import MAIN

from generator.analyse import coverage
from generator.analyse.responsibility import matrix
from generator.render import charts

NS = {"s": "http://www.w3.org/2000/svg"}


@pytest.fixture(scope="module")
def content():
    from generator.build import load_checked

    return load_checked(MAIN)


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def _self_contained(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert float(root.get("width")) > 100 and float(root.get("height")) > 100
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert "<script" not in svg and "href" not in svg and "@import" not in svg
    fonts = {t.get("font-family") for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert fonts and all("Noto Sans CJK SC" in f for f in fonts)
    return root


def test_org_chart(content):
    svg = charts.org_chart(content)
    _self_contained(svg)
    text = "\n".join(_texts(svg))
    for expected in ("兴义镇根治欠薪工作专班", "组长", "李俊（镇长）", "副组长", "刘华（副镇长）",
                     "专班办公室（设在社保所）", "副主任：唐代忠", "日常工作：张璐", "唐代忠（社保所所长）",
                     "泥巴溪村", "泥巴溪村工作专班", "梁勇（党政办主任）"):
        assert expected in text, expected


def test_responsibility_matrix_marks(content):
    svg = charts.responsibility_matrix(content, matrix(content))
    root = _self_contained(svg)
    text = _texts(svg)
    assert "二（五） 常态化欠薪风险隐患排查根治" in text
    # unit names are written top to bottom, one character per <text>
    assert "".join(text).count("泥巴溪村") >= 1
    circles = list(root.iter("{http://www.w3.org/2000/svg}circle"))
    leads = [c for c in circles if c.get("fill") == charts.ACCENT]
    supports = [c for c in circles if c.get("fill") == charts.PAPER]
    m = matrix(content)
    assert len(leads) == int((m.role == "牵头").sum()) + 1  # + the legend
    assert len(supports) == int((m.role == "配合").sum()) + 1


def test_grid_names_people_and_gaps(content):
    svg = charts.grid(content, coverage.table(content))
    _self_contained(svg)
    text = "\n".join(_texts(svg))
    for expected in ("泥巴溪村", "组长：罗书记示例", "项目：泥巴溪村道路硬化工程（示例）",
                     "协管员：罗协管员示例", "包保：罗书记示例", "企业：丰都县杨柳石材加工厂（示例）",
                     "协管员：未指定", "✗ 渝薪码"):
        assert expected in text, expected


def test_text_from_content_is_escaped(content):
    hostile = copy.deepcopy(content)
    hostile.taskforce["people"][0]["name"] = "李<俊>&\"x\""
    svg = charts.org_chart(hostile)
    assert "李<俊>&" in "\n".join(_texts(svg))  # parsed back intact: it was escaped in the SVG
    assert "<俊>" not in svg


def test_sizes_follow_the_data(content):
    assert charts.text_width("泥巴溪村") == 4 * charts.FS
    wide = copy.deepcopy(content)
    wide.responsibilities["items"][0]["title"] = "很长的标题" * 10  # 50 characters, the longest label
    w0 = float(ET.fromstring(charts.responsibility_matrix(content, matrix(content))).get("width"))
    w1 = float(ET.fromstring(charts.responsibility_matrix(wide, matrix(wide))).get("width"))
    items = content.responsibilities["items"]
    longest = max(charts.text_width(f"{i['section']} {i['title']}") for i in items)
    assert w1 - w0 == pytest.approx(charts.text_width("二（一） " + "很长的标题" * 10) - longest, abs=1)
    more = copy.deepcopy(content)
    more.taskforce["village_taskforces"] += more.taskforce["village_taskforces"]
    h0 = float(ET.fromstring(charts.org_chart(content)).get("height"))
    assert float(ET.fromstring(charts.org_chart(more)).get("height")) > h0


def test_matrix_title_names_the_basis_the_office_wrote(content):
    other = copy.deepcopy(content)
    other.responsibilities["basis"] = "兴义府发〔2025〕7号《兴义镇根治欠薪工作补充方案》"
    assert _texts(charts.responsibility_matrix(other, matrix(other)))[0] == (
        "责任分工矩阵（依据：兴义府发〔2025〕7号《兴义镇根治欠薪工作补充方案》）")
    assert "51号" not in charts.responsibility_matrix(other, matrix(other))


def test_village_member_is_a_secretary_only_when_the_roster_says_so(content):
    village_ids = {u["id"] for u in content.units.values() if u["kind"] == "village"}
    people = content.people
    pid = next(p for p in content.taskforce["members"]
               if people[p].get("unit") in village_ids and "书记" in people[p].get("position", ""))
    name = content.people[pid]["name"]
    assert f"{name}（书记）" in _texts(charts.org_chart(content))
    changed = copy.deepcopy(content)
    person = next(p for p in changed.taskforce["people"] if p["id"] == pid)
    person["position"] = "村主任"
    texts = _texts(charts.org_chart(changed))
    assert f"{name}（书记）" not in texts
    assert f"{name}（村主任）" in texts
