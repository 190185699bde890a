"""GB/T 9704-2012 layout measured on rendered 通报 and 回头看 PDFs (issue 11): the ink of the issuer's name
35 mm below the type area, the red rule 4 mm under the document number, 28 characters a line and justified
text, titles broken between phrases, the 版记 (抄送, 印发) on an even page, official fonts first."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generator.analyse import analyse
from generator.build import load_checked
from generator.render import pdf, pdf_justify

TREE = Path(__file__).resolve().parent / "fixtures" / "tree"
DPI = 300
PX_PER_MM = DPI / 25.4
MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, (28 + 156) * MM
CJK = re.compile("^[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u201c\u201d]+$")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    content = load_checked(TREE)
    docs = {d.key: d for d in analyse(content, {}).documents}
    jobs = []
    for key, seq in (("2024-08", 2), ("2024-Q4", 1)):
        issued = dataclasses.replace(docs[key], issued=True, number=f"兴义治欠专班〔2024〕{seq}号")
        jobs.append(pdf.Job(f"bulletins/{key}.pdf", pdf.document_html(issued)))
    base = tmp_path_factory.mktemp("gongwen")
    pdf.render_jobs(jobs, base / "out", base / "cache")
    return {key: base / "out" / "bulletins" / f"{key}.pdf" for key in ("2024-08", "2024-Q4")}


def _page(path: Path, page: int = 1) -> np.ndarray:
    out = path.parent / f"{path.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile", "-png",
                    str(path), str(out)], check=True)
    return np.asarray(Image.open(f"{out}.png").convert("RGB")).astype(int)


def _lines(path: Path) -> list[list[dict]]:
    """Text lines per page with their boxes in pt (pdftotext -bbox-layout)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for page in re.findall(r"<page.*?</page>", xml, re.S):
        rows = []
        for attrs, inner in re.findall(r"<line (.*?)>(.*?)</line>", page, re.S):
            box = {k: float(v) for k, v in re.findall(r'(\w+)="([\d.]+)"', attrs)}
            text = "".join(re.findall(r"<word [^>]*>(.*?)</word>", inner))
            rows.append({**box, "text": text})
        pages.append(rows)
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("key", ["2024-08", "2024-Q4"])
def test_issuer_35mm_below_the_type_area_and_red_rule_4mm_under_the_number(pdfs, key):
    a = _page(pdfs[key])
    red = (a[..., 0] > 150) & (a[..., 1] < 90) & (a[..., 2] < 90)
    dark = a.sum(axis=2) < 300
    rows = red.sum(axis=1)
    rule = np.where(rows > 0.9 * 156 * PX_PER_MM)[0]
    issuer = np.where(rows[: rule.min()] > 0)[0]
    number = np.where(dark[issuer.max() + 1: rule.min()].any(axis=1))[0] + issuer.max() + 1
    assert issuer.min() / PX_PER_MM - 37 == pytest.approx(35, abs=0.3)
    assert (rule.min() - number.max()) / PX_PER_MM == pytest.approx(4, abs=0.3)
    width = np.where(red[rule.min()])[0]
    assert (width.max() - width.min()) / PX_PER_MM == pytest.approx(156, abs=0.3)


@pytest.mark.slow
@pytest.mark.parametrize("key", ["2024-08", "2024-Q4"])
def test_body_lines_hold_28_characters_and_are_justified(pdfs, key):
    full = []
    for page in _lines(pdfs[key]):
        for line in page:
            body = 20 < line["yMax"] - line["yMin"] < 25  # 16 pt text (tables are smaller)
            indented = abs(line["xMin"] - (LEFT + pdf_justify.INDENT_PT)) < 1.5
            if body and (indented or abs(line["xMin"] - LEFT) < 1.5) and line["xMax"] > RIGHT - 16:
                full.append((line, indented))
    assert len(full) > 10
    ends = [line["xMax"] for line, _i in full if line["xMax"] > RIGHT - 3]
    assert len(ends) >= 0.9 * len(full) and max(ends) - min(ends) < 1.5  # flush with the right edge
    positions = {len(line["text"]) + 2 * indented for line, indented in full if CJK.match(line["text"])}
    assert 28 in positions and max(positions) == 28


@pytest.mark.slow
def test_lookback_title_breaks_between_phrases(pdfs):
    first = _lines(pdfs["2024-Q4"])[0]
    title = [line["text"] for line in first if "季度" in line["text"] or "通报" in line["text"]]
    assert title[:2] == ["关于2024年第四季度", "根治欠薪“回头看”情况的通报"]


@pytest.mark.slow
@pytest.mark.parametrize("key", ["2024-08", "2024-Q4"])
def test_colophon_with_cc_and_printer_is_on_an_even_page(pdfs, key):
    pages = _lines(pdfs[key])
    assert len(pages) % 2 == 0
    last = "".join(line["text"] for line in pages[-1])
    assert "抄送：县人力社保局，县住房城乡建委。" in last
    assert "兴义镇根治欠薪工作专班办公室" in last and "印发" in last
    assert not re.search(r"—\d+—", last)  # the 版记 page carries no page number
    assert all("抄送" not in "".join(line["text"] for line in p) for p in pages[:-1])


def test_a_draft_colophon_gives_no_printing_date():
    # The draft says 未印发 at the top; its 版记 must not say it was printed on a date.
    content = load_checked(TREE)
    draft = {d.key: d for d in analyse(content, {}).documents}["2024-08"]
    issued = dataclasses.replace(draft, issued=True, number="兴义治欠专班〔2024〕2号")

    def colophon(doc) -> str:
        html = pdf.document_html(doc)
        return re.sub(r"<[^>]+>", " ", html[html.index('class="colophon"'):])

    assert "草稿，未印发" in colophon(draft) and not re.search(r"日印发", colophon(draft))
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日印发", colophon(issued))
    assert "草稿" not in colophon(issued)


def test_official_fonts_come_first_when_installed(monkeypatch):
    pdf._fc_list.cache_clear()
    monkeypatch.setattr(pdf, "_fc_list", lambda: [
        ("/usr/local/share/fonts/gongwen/FZFSK.TTF", ["方正仿宋_GBK", "FZFangSong-Z02"]),
        ("/usr/local/share/fonts/gongwen/FZXBSJW.TTF", ["方正小标宋简体", "FZXiaoBiaoSong-B05S"]),
        ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", ["Noto Serif CJK SC"])])
    used = pdf.resolved_fonts()
    assert (used["fangsong"], used["xiaobiaosong"]) == ("方正仿宋_GBK", "方正小标宋简体")
    css = str(pdf._css("gongwen.css"))
    assert re.search(r'font-family: "仿宋_GB2312", "FangSong_GB2312", "方正仿宋_GBK"', css)
    assert "仿宋（仿宋_GB2312）未安装" not in pdf.font_note()
