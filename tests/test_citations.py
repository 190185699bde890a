"""Citations of laws in the public pages: only articles settings.yaml's regulation list holds (issue 12)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import citations
from generator.check import check_tree

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"
REGULATIONS = [{"law": "保障农民工工资支付条例", "short_names": ["条例"], "articles": [30, 34, 63]},
               {"law": "中华人民共和国刑法", "short_names": ["刑法"], "articles": ["276之一"]}]


@pytest.mark.parametrize("written,value", [("十", 10), ("十五", 15), ("三十四", 34), ("六十三", 63),
                                           ("一百零五", 105), ("二百七十六", 276), ("34", 34)])
def test_chinese_article_numbers(written, value):
    assert citations.number(written) == value


def test_listed_articles_pass_and_others_are_reported_on_their_line():
    page = ("分包单位拖欠的，总包先清偿。（《条例》第三十条）\n"
            "可能构成犯罪。（《刑法》第二百七十六条之一）\n"
            "罚款。（《保障农民工工资支付条例》第五十四条至第五十七条）\n"
            "调解。（《劳动法》第七十七条）\n"
            "还有第三十四条。\n")
    found = citations.problems(page, REGULATIONS)
    assert [(line, message[:24]) for line, _col, message in found] == [
        (3, "引用了《保障农民工工资支付条例》第五十四条，se"),
        (3, "引用了《保障农民工工资支付条例》第五十五条，se"),
        (3, "引用了《保障农民工工资支付条例》第五十六条，se"),
        (3, "引用了《保障农民工工资支付条例》第五十七条，se"),
        (4, "引用了《劳动法》，settings.yaml 的"),
        (5, "“第三十四条”前面没有写明是哪部法律法规：请写成"),
    ]


def test_validate_reports_a_page_citing_an_unlisted_article(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copytree(FIXTURE / "schemas", root / "schemas")
    assert [f for f in check_tree(root).findings if f.code == "public.unknown-citation"] == []
    faq = root / "content" / "pages" / "faq.md"
    lines = faq.read_text(encoding="utf-8").split("\n")
    planted = "老板跑了，由政府先垫付。（《条例》第九十九条）"
    faq.write_text("\n".join([*lines, planted, ""]), encoding="utf-8")
    found = [f for f in check_tree(root).findings if f.code == "public.unknown-citation"]
    where = [(f.file, f.line, f.severity) for f in found]
    assert where == [("content/pages/faq.md", len(lines) + 1, "error")]
    assert found[0].message == ("引用了《条例》第九十九条，settings.yaml 的 regulations 没有登记这一条："
                                "请核对原文；确实引用这一条的，登记后再用。")
