"""The printed publicity materials (宣传册 A4 two-sided, 宣传画 A3): read back like the posters."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator import citations, detect
from generator.analyse import materials as material_facts
from generator.build import load_checked
from generator.privacy import public_numbers
from generator.privacy_scan import pdf_text
from generator.render import materials, pdf

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"
A4 = (595, 842)
A3 = (842, 1191)


@pytest.fixture(scope="module")
def content():
    return load_checked(FIXTURE)


@pytest.fixture(scope="module")
def rendered(content, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("materials")
    pdf.render_jobs(materials.jobs(_tables(content)), out, out / "cache", workers=1, use_cache=False)
    return out


def _tables(content):
    """What the analyse stage hands the PDF stage for the materials."""
    return SimpleNamespace(materials=material_facts.facts(content))


def pages(path: Path) -> list[tuple[int, int]]:
    import pypdf

    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in pypdf.PdfReader(path).pages]


def test_leaflet_is_a4_two_sided_and_the_wall_poster_one_a3_page(rendered):
    assert pages(rendered / materials.LEAFLET) == [A4, A4]
    assert pages(rendered / materials.WALL_POSTER) == [A3]


@pytest.mark.parametrize("rel", [materials.LEAFLET, materials.WALL_POSTER])
def test_materials_carry_the_hotlines_the_fallback_and_the_site(rendered, rel):
    text = "".join(pdf_text(rendered / rel).split())  # words as a reader sees them, line breaks aside
    for shown in ("12333", "12345", "12348", "人社服务热线", "公共法律服务热线", "现在请先拨打12333",
                  "当地电话打不通、还没公布时：拨打12333", "兴义镇社保所（根治欠薪专班办公室）",
                  "https://xingyi-zhiqian.github.io/"):
        assert shown in text, shown
    assert "号码待核实" in text  # the county inspection line is not confirmed: never a guessed number


def test_leaflet_back_has_the_situations_evidence_and_times(rendered):
    text = "".join(pdf_text(rendered / materials.LEAFLET).split())
    for shown in ("老板联系不上、跑了", "包工头跑了", "没签劳动合同", "工程完工了，工资没结清",
                  "投诉了没人管", "拒不支付劳动报酬罪（《刑法》第二百七十六条之一）",
                  "每月可以要两倍工资（《劳动合同法》第八十二条）", "仲裁时效一年",
                  "受理后45日内裁决，最多延长15日（《劳动争议调解仲裁法》第四十三条）",
                  "□工牌、出入证、实名登记记录", "当地最低工资标准：待核实"):
        assert shown in text, shown


@pytest.mark.parametrize("rel", [materials.LEAFLET, materials.WALL_POSTER])
def test_materials_cite_only_listed_articles_and_hold_no_personal_number(rendered, content, rel):
    text = pdf_text(rendered / rel)
    joined = "".join(text.split())
    assert citations.problems(joined, content.settings["regulations"]) == []
    assert len(citations.find(joined)[0]) >= 3
    assert detect.find(text, public_numbers(content, FIXTURE / "schemas")) == []
    for p in content.projects.values():  # no wage officer's phone on a town-wide leaflet
        assert p["labour_manager"]["phone"] not in joined


def test_a_personal_number_on_the_materials_fails_the_scan(content, tmp_path):
    leaky = copy.deepcopy(content)
    leaky.settings["hotlines"][0]["purpose"] += "，联系 13812345678"
    report = pdf.render_jobs(materials.jobs(_tables(leaky)), tmp_path, tmp_path / "cache", workers=1,
                             use_cache=False)
    found = materials.scan(leaky, report.files, FIXTURE / "schemas")
    assert {p.message for p in found} == {
        "materials/宣传册-A4.pdf：发现疑似手机号（138****5678），宣传材料不得包含个人信息。",
        "materials/宣传画-A3.pdf：发现疑似手机号（138****5678），宣传材料不得包含个人信息。"}


@pytest.mark.parametrize("rel", [materials.LEAFLET, materials.WALL_POSTER])
def test_an_article_number_is_never_split_across_lines(rendered, rel):
    lines = [line.strip() for line in pdf_text(rendered / rel).splitlines() if line.strip()]
    split = [(a, b) for a, b in zip(lines, lines[1:], strict=False)
             if a.endswith("第") or b.startswith("条") or (re.search(r"第[一二三四五六七八九十百]+$", a)
                                                      and re.match(r"[一二三四五六七八九十百]*条", b))]
    assert split == []  # 第|五十三条 or 第三十|条: a reader takes it for another article
    if rel == materials.WALL_POSTER:  # large type: the whole citation stays together
        assert any(line.endswith("（《条例》第三十条）") for line in lines)
