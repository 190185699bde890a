"""PDFs read back: the names and numbers a reader looks for, GB/T 9704 page geometry, A3 posters,
embedded subset fonts, no missing glyph, and the render cache.

A few PDFs are rendered once (module fixture) from the shipped content; the whole set is covered by
the build and by bench/bench_pdf.py."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from generator import provenance
from generator.analyse import analyse
from generator.errors import BuildFailed
from generator.render import pdf, pdf_justify

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs
MM = 72 / 25.4
A4 = (595.28, 841.89)
A3 = (841.89, 1190.55)  # 297 × 420 mm
PICK = ["bulletins/2024-08-通报.pdf", "bulletins/2024-09-通报.pdf", "bulletins/2024-Q4-回头看.pdf",
        "posters/changjiang-revetment.pdf", "posters/school-track.pdf"]


@pytest.fixture(scope="module")
def built(tmp_path_factory, fixture_history):
    from generator.build import load_checked

    content = load_checked(fixture_history)
    tables = analyse(content, provenance.collect(fixture_history))
    jobs = pdf.jobs(tables)
    base = tmp_path_factory.mktemp("pdf")
    picked = [j for j in jobs if j.rel in PICK]
    report = pdf.render_jobs(picked, base / "out", base / "cache")
    return {"content": content, "tables": tables, "jobs": jobs, "picked": picked, "report": report,
            "base": base, "out": base / "out"}


def _text(path: Path) -> str:
    """All text of a PDF with whitespace removed (lines break anywhere in Chinese)."""
    reader = pypdf.PdfReader(path)
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _positions(page) -> list[tuple[float, float, str]]:
    out = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            out.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return out


# ----------------------------------------------------------------------------- the set of files
def test_every_month_quarter_and_active_project_gets_a_pdf(built):
    rels = sorted(j.rel for j in built["jobs"])
    months = [f"bulletins/2024-{m:02d}-通报.pdf" for m in range(7, 13)]
    quarters = ["bulletins/2024-Q3-回头看.pdf", "bulletins/2024-Q4-回头看.pdf"]
    active = sorted(p["id"] for p in built["content"].active_projects())
    assert "xinchang-housing" not in active  # 完工: no poster
    assert rels == sorted(months + quarters + [f"posters/{p}.pdf" for p in active])


def test_rendered_files_are_where_the_internal_site_links_them(built):
    for rel in PICK:
        assert (built["out"] / rel).stat().st_size > 10_000, rel


# ----------------------------------------------------------------------------- what a reader looks for
def test_august_bulletin_names_the_late_unit_and_its_days(built):
    text = _text(built["out"] / "bulletins/2024-08-通报.pdf")
    assert "兴义镇根治欠薪工作专班" in text
    assert "（草稿，印发时编号）" in text and "〔2024〕" not in text  # not issued: no number
    assert "关于2024年8月根治欠薪工作情况的通报" in text
    assert "各村（社区），镇级各部门：" in text
    assert "逾期报送：经发办（逾期9天）。" in text
    assert "按时报送7个，逾期报送1个，未报送0个" in text
    assert "共报告欠薪隐患1起（其中本月新发现1起），涉及农民工12人、金额15.6万元" in text
    assert "2024年9月5日" in text  # date in Arabic digits without padding


def test_september_bulletin_names_the_missing_village_and_what_is_asked(built):
    text = _text(built["out"] / "bulletins/2024-09-通报.pdf")
    assert "（草稿，印发时编号）" in text
    assert "未报送：杨柳（已逾期13天）。" in text  # issued 2024-10-08: 10-01…07 are 国庆 holidays
    assert "杨柳：补报2024年9月欠薪隐患排查根治表，并说明未按时报送的原因，于2024年10月25日前完成。" in text
    # platform: not connected, with the responsible authority and the rectification notice of 10-08
    assert "长江物流仓储中心（示例）经发办符合条件但未接入监控预警平台2024-11-30" in text
    assert "平台运行率85%，低于100%的目标" in text
    # overdue rectification as of the issue date (2024-10-08), with days
    assert "施工现场未设置维权信息告示牌2024-09-308" in text


def test_lookback_report_states_formula_scores_and_misses(built):
    text = _text(built["out"] / "bulletins/2024-Q4-回头看.pdf")
    assert "（草稿，印发时编号）" in text
    assert "关于2024年第四季度根治欠薪“回头看”情况的通报" in text
    assert "本季度共收到欠薪线索5条（" in text
    assert "12345热线1条" in text
    assert "从未排查1条，排查未发现1条，发现未按期处置1条，处置中（未到期）1条，已按期处置1条" in text
    assert "得分＝100－10×漏排数（从未排查、排查未发现）－10×未按期处置数＋5×自查发现率" in text
    # 长江: 2 clues, 1 miss, 0 late, 1 pending; its December hazard (found_on 12-10) landed on 12-23, after
    # the clue of 12-18: no self-discovery credit → 0 %, 90
    assert "长江2101" in text and "长江21010%90" in text
    assert "（一）丰都县长江服装加工厂2024年10月" in text
    assert "没有任何单位排查该对象" in text
    assert "长江码头个体装卸队长江" in text  # the matched name, without the office's "请核对" note
    for note in ("请核对", "（编号）", "（名称）", "c-2024-"):  # internal notes and ids stay internal
        assert note not in text, note


def test_poster_carries_article_34_facts(built):
    text = _text(built["out"] / "posters/changjiang-revetment.pdf")
    for expected in ["维权信息告示牌", "长江码头护岸整治工程（示例）", "建设单位丰都县水利局",
                     "施工总承包单位重庆长航水利建设有限公司",
                     "总承包单位项目部重庆长航水利建设有限公司项目部",
                     "分包单位重庆江岸劳务有限公司、丰都县石材供应部", "行业主管部门农业服务中心",
                     "劳资专管员何劳资示例13700000102", "工资支付日每月10日",
                     "当地最低工资标准待核实（重庆市人民政府公布的最低工资标准（丰都县适用档次待办公室核实））",
                     "劳动保障监察投诉电话号码待核实，现在请先拨打12333",
                     "劳动争议调解仲裁", "法律援助", "公共法律服务热线12348",
                     "12333人社服务热线", "https://xingyi-zhiqian.github.io/projects/changjiang-revetment/"]:
        assert expected in text, expected
    # a number the office has not got says what to call meanwhile, as the public site does
    assert "待确认" not in text and "号码待核实，现在请先拨打12333" in text


def test_poster_qr_points_to_the_configured_yuxinma_link(built):
    text = _text(built["out"] / "posters/school-track.pdf")
    assert "https://example.org/yuxinma/school-track" in text
    assert "扫码进入本项目“渝薪码”" in text
    html = next(j.html for j in built["picked"] if j.rel == "posters/school-track.pdf")
    assert html.count("<svg") == 1
    assert str(pdf.qr_svg("https://example.org/yuxinma/school-track")) in html  # the code encodes the link


# ----------------------------------------------------------------------------- geometry
@pytest.mark.parametrize("rel", PICK[:3])
def test_bulletins_are_a4_with_gbt9704_margins(built, rel):
    reader = pypdf.PdfReader(built["out"] / rel)
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert (w, h) == (pytest.approx(A4[0], abs=0.1), pytest.approx(A4[1], abs=0.1))
        pos = _positions(page)
        body = [p for p in pos if not p[2].startswith("—")]
        assert min(x for x, _y, _t in body) >= 28 * MM - 0.5  # left margin 28 mm
        if number == 1:  # the addressee line is flush left on the type area
            assert min(x for x, _y, _t in body) == pytest.approx(28 * MM, abs=0.5)
        top = h - 37 * MM
        assert all(y <= top for _x, y, _t in body)  # nothing above the type area
        assert all(x < w - 26 * MM for x, _y, _t in body)  # nothing starts right of the type area
        colophon_only = all("办公室" in t or "印发" in t or "抄送" in t for _x, _y, t in body)  # 版记 page
        if number > 1 and not colophon_only:  # a continuation page starts on the first line
            assert max(y for _x, y, _t in body) > top - 28.95
        if number == len(reader.pages):  # 版记 at the foot of the last page
            assert min(y for _x, y, t in body if "印发" in t) < 35 * MM + 28.95
        folio = [p for p in pos if p[2] == f"— {number} —"]
        if colophon_only:  # GB/T 9704 7.5: the 版记 page (and a blank page before it) has no number
            assert folio == []
            continue
        assert len(folio) == 1, f"page number on page {number}"
        x, y, _t = folio[0]
        assert 35 * MM - 7 * MM - 14 <= y <= 35 * MM - 7 * MM  # 7 mm below the type area
        if number % 2:  # odd pages: right, one character in; even pages: left
            assert x > w / 2
        else:
            assert x == pytest.approx(28 * MM + 14, abs=0.5)


def test_body_lines_are_on_the_28_95_pt_grid(built):
    steps = []
    for page in pypdf.PdfReader(built["out"] / "bulletins/2024-08-通报.pdf").pages:
        starts = (28 * MM, 28 * MM + pdf_justify.INDENT_PT)  # flush left, or indented two characters
        ys = sorted({round(y, 2) for x, y, t in _positions(page) if min(abs(x - s) for s in starts) < 0.5},
                    reverse=True)
        steps += [round(a - b, 2) for a, b in zip(ys, ys[1:], strict=False)]
    assert steps.count(28.95) >= 5, steps


def test_red_rule_spans_the_type_area_under_the_document_number(built):
    page = pypdf.PdfReader(built["out"] / "bulletins/2024-08-通报.pdf").pages[0]
    stream = page.get_contents().get_data().decode("latin-1")
    scale = float(re.search(r"([\d.]+) 0 0 \1 0 0 cm", stream).group(1))
    rects = re.findall(r"0\.901961 0 0\.070588 rg\n([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re", stream)
    assert rects, "no red rectangle"
    x, _y, width, _h = (float(v) * scale for v in rects[0])
    assert x == pytest.approx(28 * MM, abs=0.5)
    assert width == pytest.approx(156 * MM, abs=0.5)


def test_css_states_the_gbt9704_page(built):
    css = (pdf.TEMPLATES / "gongwen.css").read_text(encoding="utf-8")
    assert "margin: 37mm 26mm 35mm 28mm;" in css
    assert "font-size: 16pt;" in css and "line-height: 28.95pt;" in css
    assert css.count('content: "— " counter(page) " —";') == 2


@pytest.mark.parametrize("rel", PICK[3:])
def test_posters_are_one_a3_page(built, rel):
    reader = pypdf.PdfReader(built["out"] / rel)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A3[0], abs=0.1)
    assert float(box.height) == pytest.approx(A3[1], abs=0.1)


# ----------------------------------------------------------------------------- fonts and glyphs
@pytest.mark.parametrize("rel", PICK)
def test_every_font_is_embedded_and_subset(built, rel):
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils not installed")
    out = subprocess.run(["pdffonts", str(built["out"] / rel)], capture_output=True, text=True,
                         check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        name, emb, sub = row[0], row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), name
        assert pdf._allowed_font(name), name  # no font outside the stacks (a sign of a fallback glyph)
    names = {row[0].split("+", 1)[1] for row in rows}
    assert names <= {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC", "AR-PL-UKai-CN"}


def test_metadata_says_which_fonts_fell_back(built):
    meta = pypdf.PdfReader(built["out"] / "bulletins/2024-08-通报.pdf").metadata
    assert meta.title == "关于2024年8月根治欠薪工作情况的通报"
    if pdf.resolved_fonts()["fangsong"] == "Noto Serif CJK SC":
        assert "仿宋（仿宋_GB2312）未安装，回退为 Noto Serif CJK SC" in meta.subject


def test_rendering_reported_no_missing_glyph(built):
    assert built["report"].rendered  # the fixture rendered; BuildFailed would have stopped it otherwise


def test_a_character_no_font_has_fails_the_build(tmp_path):
    job = pdf.Job("bulletins/x.pdf", "<p style='font-family: \"Noto Serif CJK SC\"'>兴义镇𠀀</p>")
    with pytest.raises(BuildFailed, match="𠀀"):
        pdf.render_jobs([job], tmp_path / "out", tmp_path / "cache", workers=1)
    assert not list((tmp_path / "cache").glob("*.pdf"))  # nothing cached
    assert not (tmp_path / "out" / "bulletins/x.pdf").exists()


def test_a_glyph_from_outside_the_stacks_fails_the_build(tmp_path):
    # Noto CJK has no snowman: Pango takes it from another installed font (or draws .notdef).
    job = pdf.Job("posters/x.pdf", "<p style='font-family: \"Noto Sans CJK SC\"'>兴义 ☃ ꙮ</p>")
    with pytest.raises(BuildFailed, match="posters/x.pdf：(有字符不在字体栈中|字体中没有这些字符的字形)"):
        pdf.render_jobs([job], tmp_path / "out", tmp_path / "cache", workers=1)


# ----------------------------------------------------------------------------- incremental
def test_unchanged_html_is_reused_from_the_cache(built, tmp_path):
    again = pdf.render_jobs(list(built["picked"]), tmp_path / "out", built["base"] / "cache")
    assert again.rendered == [] and sorted(again.reused) == sorted(PICK)
    for rel in PICK:
        assert (tmp_path / "out" / rel).read_bytes() == (built["out"] / rel).read_bytes()


def test_changed_html_renders_again(built, tmp_path):
    job = next(j for j in built["picked"] if j.rel == "posters/school-track.pdf")
    changed = pdf.Job(job.rel, job.html.replace("维权信息告示牌</h1>", "维权信息告示牌（新）</h1>"))
    report = pdf.render_jobs([changed], tmp_path / "out", built["base"] / "cache")
    assert report.rendered == ["posters/school-track.pdf"]
    assert "维权信息告示牌（新）" in _text(tmp_path / "out" / "posters/school-track.pdf")


def test_same_input_gives_the_same_bytes(built, tmp_path):
    job = next(j for j in built["picked"] if j.rel == "posters/school-track.pdf")
    pdf.render_jobs([pdf.Job(job.rel, job.html)], tmp_path / "out", tmp_path / "cache", use_cache=False)
    assert (tmp_path / "out" / job.rel).read_bytes() == (built["out"] / job.rel).read_bytes()


def test_keys_cover_fonts_and_weasyprint_version():
    env = pdf.environment_id()
    assert pdf.RENDER_VERSION in env and pdf._weasyprint_version() in env
    assert pdf.cache_key("<p>a</p>", env) != pdf.cache_key("<p>a</p>", env + "x")


# ----------------------------------------------------------------------------- font compaction
_RENDER = """
import sys
import weasyprint
if sys.argv[2] == "compact":
    from generator.render import pdf_fonts
    pdf_fonts.install()
html = ("<p style='font-family: \\"Noto Serif CJK SC\\"; font-size: 16pt'>"
        "兴义镇根治欠薪工作专班 2024年9月 ABC</p>"
        "<p style='font-family: \\"Noto Sans CJK SC\\"'>一、排查根治表报送情况</p>"
        "<p style='font-family: \\"Noto Serif CJK SC\\"; font-weight: 900'>关于通报</p>")
weasyprint.HTML(string=html).write_pdf(sys.argv[1])
"""


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_compacted_fonts_look_the_same_and_weigh_less(tmp_path):
    import sys

    pages = {}
    for mode in ("plain", "compact"):
        out = tmp_path / f"{mode}.pdf"
        subprocess.run([sys.executable, "-c", _RENDER, str(out), mode], check=True, cwd=ROOT)
        subprocess.run(["pdftoppm", "-r", "60", "-gray", str(out), str(tmp_path / mode)], check=True)
        pages[mode] = [p.read_bytes() for p in sorted(tmp_path.glob(f"{mode}-*.pgm"))]
        assert "兴义镇根治欠薪工作专班" in _text(out)
    assert pages["plain"] and pages["plain"] == pages["compact"]  # identical pixels
    assert (tmp_path / "compact.pdf").stat().st_size < (tmp_path / "plain.pdf").stat().st_size / 2


def test_compaction_leaves_other_fonts_alone():
    from generator.render import pdf_fonts

    assert pdf_fonts.compact_font(b"\x00\x01\x00\x00rest-of-a-truetype-font", {1, 2}) == (
        b"\x00\x01\x00\x00rest-of-a-truetype-font")
    index = pdf_fonts._write_index([b"\x0e", b"", b"abc"])
    end, items, size = pdf_fonts._read_index(index, 0)
    assert (end, size, [index[a:b] for a, b in items]) == (len(index), 1, [b"\x0e", b"", b"abc"])


def test_cache_drops_pdfs_unused_for_a_month(tmp_path):
    import os
    import time

    old, fresh, kept = (tmp_path / f"{name}.pdf" for name in ("old", "fresh", "kept"))
    for path in (old, fresh, kept):
        path.write_bytes(b"%PDF")
    long_ago = time.time() - 40 * 86400
    os.utime(old, (long_ago, long_ago))
    os.utime(kept, (long_ago, long_ago))
    pdf.prune(tmp_path, {"kept"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.pdf", "kept.pdf"]


def test_type_area_holds_22_lines_of_28_characters(tmp_path):
    han = "根治欠薪工作专班办公室通报各村社区镇级部门排查情况" * 40  # 1,000 characters: over a page
    body = f"<p style='text-indent: 0'>{han}</p>"
    html = f"<html><head><style>{pdf._css('gongwen.css')}</style></head><body>{body}</body></html>"
    job = pdf.Job("bulletins/grid.pdf", html)
    pdf.render_jobs([job], tmp_path / "out", tmp_path / "cache", workers=1)
    page = pypdf.PdfReader(tmp_path / "out" / "bulletins/grid.pdf").pages[0]
    lines = [line for line in page.extract_text().split("\n") if line and not line.startswith("—")]
    assert len(lines) == 22
    assert [len(line) for line in lines] == [28] * 22, lines


# ----------------------------------------------------------------------------- bulletin facts
def test_submission_status_is_judged_on_the_issue_date():
    import pandas as pd

    from generator.analyse import Tables, bulletin
    from generator.model import Content

    settings = {"as_of": "2025-01-20",
                "returns": {"due_day": 25, "due_month_offset": 0, "close_after_days": 10},
                "bulletin": {"issuer_short": "兴义治欠专班", "first_number": {}}}
    town = {"villages": [{"id": u, "name": n, "reports_monthly": True}
                         for u, n in [("a", "甲村"), ("b", "乙村"), ("c", "丙村"), ("d", "丁村")]]}
    content = Content(settings=settings, town=town, taskforce={}, responsibilities={},
                      returns={("2024-09", u): {"hazards": []} for u in "abc"})
    subs = pd.DataFrame([{"month": "2024-09", "unit": u, "unit_name": n, "landed_on": landed}
                         for u, n, landed in [("a", "甲村", "2024-09-20"), ("b", "乙村", "2024-10-03"),
                                              ("c", "丙村", "2024-10-07"), ("d", "丁村", None)]])
    doc = bulletin.monthly(content, Tables(submissions=subs), "2024-09")
    # closes 9-25 + 10 days = 10-05 (国庆 holiday); the first working day after it is Tuesday 10-08
    assert doc.issued_on == "2024-10-08"
    s = doc.facts["submissions"]
    assert [u["name"] for u in s["on_time"]] == ["甲村"]
    assert [(u["name"], u["days"]) for u in s["late"]] == [("丙村", 12), ("乙村", 8)]
    assert [(u["name"], u["days"]) for u in s["missing"]] == [("丁村", 13)]
    asks = doc.facts["asks"]
    assert asks[0] == {"who": "丁村", "what": "补报2024年9月欠薪隐患排查根治表，并说明未按时报送的原因",
                       "by": "2024-10-25", "by_text": "2024年10月25日"}


def test_text_from_content_is_escaped(built):
    content = built["content"]
    project = {**content.projects["school-track"], "name": "<b>工程</b>&", "construction_unit": "<img src=x>"}
    from generator.analyse import posters

    html = pdf.poster_html(posters.poster(content, project))
    assert "&lt;b&gt;工程&lt;/b&gt;&amp;" in html and "&lt;img src=x&gt;" in html
    assert "<img" not in html


@pytest.mark.parametrize(("n", "text"), [(3, "三"), (12, "十二"), (20, "二十"), (100, "一百"),
                                         (105, "一百零五"), (110, "一百一十"), (1010, "一千零一十"),
                                         (12000, "12000")])
def test_item_numbers_in_chinese_past_ninety_nine(n, text):
    """A 回头看 with 100 reviewed clues numbers its items on (it once stopped with IndexError)."""
    from generator.render.formats import cn_number

    assert cn_number(n) == text
