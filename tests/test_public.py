"""The public website built from the repository's content: pages, numbers, search, no network, privacy."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.analyse import analyse
from generator.build import load_checked
from generator.errors import BuildFailed
from generator.render import public

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def content():
    return load_checked(FIXTURE)


@pytest.fixture(scope="module")
def site(content, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    public.render(content, analyse(content, {}), out, root=FIXTURE, strict=True)  # every link resolves
    return out


def text_of(path: Path) -> str:
    """Visible text of a page's article, whitespace collapsed."""

    class Grab(HTMLParser):
        def __init__(self):
            super().__init__()
            self.depth = 0
            self.parts: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "article" or self.depth:
                self.depth += 1

        def handle_endtag(self, tag):
            if self.depth:
                self.depth -= 1

        def handle_data(self, data):
            if self.depth:
                self.parts.append(data)

    g = Grab()
    g.feed(path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", "".join(g.parts))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ------------------------------------------------------------------ pages


def test_every_page_of_the_issue_exists(site):
    for rel in ("index.html", "guide/index.html", "policy/index.html", "faq/index.html",
                "taskforce/index.html", "projects/index.html", "publicity/index.html", "stats/index.html"):
        assert (site / rel).is_file(), rel


def test_home_has_three_steps_and_hotlines_from_settings(site):
    home = text_of(site / "index.html")
    assert "第一步：留好证据" in home
    assert "第二步：扫渝薪码，或者上全国平台" in home
    assert "全国欠薪线索反映平台" in home and "国务院客户端" in home
    assert "第三步：打电话或当面反映" in home
    assert "人社服务热线：12333" in home
    assert "公共法律服务热线：12348" in home
    # numbers settings.yaml does not know yet are shown as such, never guessed
    assert "丰都县劳动保障监察投诉电话：号码待核实，现在请先拨打 12333" in home
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="tel:12333">12333</a>' in html


def test_guide_covers_every_step_and_arbitration_limit(site):
    guide = text_of(site / "guide" / "index.html")
    for step in ("第一步：留好证据", "第三步：投诉", "投诉以后会怎样", "第四步：调解", "第五步：劳动争议仲裁",
                 "第六步：到法院起诉", "法律援助"):
        assert step in guide
    assert "时效是一年" in guide and "12348" in guide
    # the remedies and times of issue 12, each with its article
    for said in ("仲裁不要钱，不收任何费用。（《劳动争议调解仲裁法》第五十三条）",
                 "收到申请之日起5日内决定是否受理。（《劳动争议调解仲裁法》第二十九条）",
                 "受理之日起45日内裁决；情况复杂的，最多再延长15日。（《劳动争议调解仲裁法》第四十三条）",
                 "也可以向人民法院申请支付令。（《劳动合同法》第三十条）",
                 "应急周转金先垫付部分工资或者基本生活费。（《条例》第六十三条）",
                 "可能构成拒不支付劳动报酬罪。（《刑法》第二百七十六条之一）",
                 "60个工作日内完成；情况复杂的，经批准可以再延长30个工作日。（《劳动保障监察条例》第十七条）"):
        assert said in guide, said


def test_policy_page_names_the_articles(site):
    policy = text_of(site / "policy" / "index.html")
    assert "国务院令第724号" in policy
    for part in ("发钱不发物", "实名制", "农民工工资专用账户和总包代发", "工资保证金", "维权信息告示牌",
                 "第三十四条"):
        assert part in policy
    assert "1%–3%（待核实）" in policy  # the deposit rate comes from settings.yaml, not confirmed yet
    assert "第五十四条" not in policy  # those articles punish other things, not arrears
    assert "拖欠农民工工资的，依照有关法律规定处理。（《条例》第五十三条）" in policy
    assert "50%以上100%以下" in policy and "《劳动合同法》第八十五条" in policy


def test_every_project_keeps_its_page_whatever_its_status(site, content):
    pages = {p.parent.name for p in (site / "projects").glob("*/index.html")}
    assert pages == set(content.projects)  # a poster's QR code points at the page for good
    assert content.projects["xinchang-housing"]["status"] == "完工"
    page = text_of(site / "projects" / "xinchang-housing" / "index.html")
    assert "这个工程已经完工（2024年10月28日） 完工结算时，工资还没结清的，照样可以讨" in page
    assert "不干之日起一年内可以申请劳动争议仲裁" in page
    assert "还在这里干活、工资被拖欠的，不受一年限制" in page  # 劳动争议调解仲裁法第二十七条第四款
    assert "（《劳动争议调解仲裁法》第二十七条）" in page
    index = text_of(site / "projects" / "index.html")
    assert index.index("在建项目") < index.index("已完工项目") < index.index("新场安置房建设项目（示例）")
    assert "完工日期：2024年10月28日" in index


def test_project_page_guidance_follows_the_data(site):
    """先看告示牌 / 扫渝薪码 only where the data says they are on site; otherwise what to do instead."""
    no_code = text_of(site / "projects" / "yangliu-bridge" / "index.html")  # board yes, 渝薪码 no
    assert "看工地上的维权信息告示牌" in no_code
    assert "这个工地还没有张贴渝薪码：请在微信里搜索“国务院客户端”小程序" in no_code
    assert "扫工地上的渝薪码" not in no_code
    no_board = text_of(site / "projects" / "yangliu-farmland" / "index.html")  # board no, 渝薪码 yes
    assert "这个工地还没有设置维权信息告示牌（按规定应当设置，《条例》第三十四条）" in no_board
    assert "看工地上的维权信息告示牌" not in no_board
    assert "扫工地上的渝薪码" in no_board
    html = (site / "projects" / "yangliu-bridge" / "index.html").read_text(encoding="utf-8")
    # the wage officer's name and phone, which article 34 puts on the board, as a tap-to-call link
    assert "找劳资专管员：冉劳资示例，电话 13700000107" in no_code
    assert '<a href="tel:13700000107">13700000107</a>' in html


def test_nothing_reads_only_pending(site):
    """Every 待核实 says what to do instead (12333, the office, the official source)."""
    for page in html_pages(site):
        if page.name != "index.html":
            continue
        text = text_of(page)
        # a value that is only 待核实 ("电话：待核实"), with no "，现在请先拨打…" / "，以…为准" after it
        bare = re.findall(r".{0,20}[：:]\s*(?:号码)?待核实(?![，,]).{0,6}", text)
        assert bare == [], f"{page.relative_to(site)}: {bare}"


def test_not_found_page_is_chinese_with_hotlines_search_and_home(site):
    html = (site / "404.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "没有找到这个页面" in text and "Not found" not in text
    assert '<a href="tel:12333">12333</a>' in html and '<a href="tel:12348">12348</a>' in html
    assert "丰都县劳动保障监察投诉电话 ：号码待核实，现在请先拨打 12333" in text
    assert 'class="md-search__input"' in html  # the theme's search box
    assert 'href="/">回到首页</a>' in html


def test_project_page_shows_article_34_contents_and_nothing_internal(site):
    page = text_of(site / "projects" / "yangliu-bridge" / "index.html")
    for shown in ("建设单位：兴义镇人民政府", "施工总承包单位：重庆路桥建设工程有限公司",
                  "项目部：重庆路桥建设工程有限公司项目部", "分包单位：无", "行业主管部门：农业服务中心",
                  "劳资专管员：冉劳资示例，电话 13700000107",
                  "当地最低工资标准：待核实，以重庆市人民政府公布",
                  "工资支付日：每月 15 日", "劳动保障监察投诉电话：号码待核实，现在请先拨打 12333",
                  "公共法律服务热线：12348", "劳动争议仲裁", "法律援助", "渝薪码：未张贴"):
        assert shown in page, shown
    html = (site / "projects" / "yangliu-bridge" / "index.html").read_text(encoding="utf-8")
    for internal in ("2100000", "42000", "重庆农村商业银行", "yangliu-coordinator", "运行率"):
        assert internal not in html, internal


def test_no_internal_value_anywhere_in_the_site(site, content):
    everything = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                           for p in site.rglob("*") if p.suffix in (".html", ".json", ".xml"))
    for person in content.taskforce["people"]:
        if person.get("phone"):
            assert person["phone"] not in everything
    for (_m, _u), ret in content.returns.items():
        for h in ret.get("hazards") or []:
            assert h["description"] not in everything
            if h.get("representative"):
                assert h["representative"]["name"] not in everything
    for clue in content.clues:
        assert clue["summary"] not in everything


def test_taskforce_page_lists_leaders_office_and_responsibilities(site):
    page = text_of(site / "taskforce" / "index.html")
    assert "组长：李俊（镇长）" in page
    assert "副组长：刘华（副镇长）" in page
    assert "专班办公室设在社保所" in page
    assert "具体业务：张璐" in page
    assert "二（一） 加强法治宣传，增强劳动者维权意识" in page
    assert "牵头单位：社保所" in page


def test_publicity_newest_first(site):
    page = text_of(site / "publicity" / "index.html")
    dates = re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日 ", page)
    assert dates and dates == sorted(dates, key=lambda d: tuple(map(int, d)), reverse=True)
    assert page.index("全国法治宣传日根治欠薪专场宣传") < page.index("2024年7月18日")


def test_stats_page_shows_aggregates_without_names(site, content):
    page = text_of(site / "stats" / "index.html")
    assert "在建工程项目 8 个，重点企业 4 家" in page
    assert "在建项目设置维权告示牌7/8（87.5%）" in page
    assert "平台接入5/7（71.4%）" in page
    assert "累计发现欠薪隐患 6 件，已化解 4 件，正在化解 2 件" in page
    assert "<svg" in (site / "stats" / "index.html").read_text(encoding="utf-8")
    for person in content.taskforce["people"]:
        assert person["name"] not in page


def test_sample_banner_on_every_page(site):
    for page in html_pages(site):
        visible = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
        assert "提示：本网站目前含有示例数据" in visible, page


def test_unconfirmed_minimum_wage_is_marked(site):
    assert "当地最低工资是多少？ 待核实" in text_of(site / "faq" / "index.html")


# ------------------------------------------------------------------ search and anchors


def test_search_index_finds_a_word_from_the_middle_of_a_chinese_heading(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en"]  # lang: zh breaks the browser-side index
    separator = re.compile(index["config"]["separator"])
    heading = next(d for d in index["docs"] if d["location"] == "policy/#农民工工资专用账户和总包代发")
    tokens = [t for t in separator.split(heading["title"]) if t]
    assert "专用" in tokens and tokens.index("专用") not in (0, len(tokens) - 1)
    words = {t for d in index["docs"] for t in separator.split(d["title"] + " " + d["text"]) if t}
    assert "保证金" in words


def test_heading_anchors_are_chinese(site):
    html = (site / "guide" / "index.html").read_text(encoding="utf-8")
    assert 'id="第五步劳动争议仲裁"' in html
    assert 'id="_1"' not in html


# ------------------------------------------------------------------ no network


class Resources(HTMLParser):
    """Every URL a page would load (not plain links a user may follow)."""

    LOADING_RELS = {"stylesheet", "icon", "shortcut", "preload", "modulepreload", "prefetch", "manifest",
                    "apple-touch-icon", "dns-prefetch", "preconnect"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.links_out: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            if a.get("href"):
                self.links_out.append(a["href"])
        elif tag == "link":
            rels = set((a.get("rel") or "").lower().split())
            if rels & self.LOADING_RELS or not rels:
                self.urls.append(a.get("href") or "")
        else:
            for key in ("src", "srcset", "data", "poster", "background", "action", "formaction"):
                if a.get(key):
                    self.urls.append(a[key])
            if tag in ("image", "use") and (a.get("href") or a.get("xlink:href")):
                self.urls.append(a.get("href") or a.get("xlink:href"))
        if a.get("style"):
            self.urls += css_urls(a["style"])
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.urls += css_urls(data)

    def handle_endtag(self, tag):
        self._in_style = False


def css_urls(css: str) -> list[str]:
    return re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(r"@import\s+['\"]([^'\"]+)", css)


def foreign(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or url.strip().startswith("//") or parts.scheme not in ("", "data")


def test_no_page_loads_anything_from_another_host(site):
    for page in html_pages(site):
        parser = Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        bad = [u for u in parser.urls if foreign(u)]
        assert not bad, f"{page.relative_to(site)} loads {bad}"
        # links a user may follow: only site-relative ones, tel: numbers and the https yuxinma link
        assert all(not urlsplit(h).scheme or urlsplit(h).scheme in ("tel", "https") for h in parser.links_out)
    for css in site.rglob("*.css"):
        assert not [u for u in css_urls(css.read_text(encoding="utf-8")) if foreign(u)], css


def test_no_google_fonts_or_cdn_in_any_file(site):
    for f in site.rglob("*"):
        if f.suffix in (".html", ".css"):
            text = f.read_text(encoding="utf-8")
            for host in ("fonts.googleapis", "fonts.gstatic", "cdn"):
                assert host not in text.lower(), f


def test_the_resource_detector_catches_foreign_loads():
    parser = Resources()
    parser.feed('<link rel="stylesheet" href="https://cdn.example/x.css"><img src="//t.example/p.gif">'
                '<div style="background: url(https://x.example/i.png)"></div><a href="https://ok.example">ok</a>')
    assert [u for u in parser.urls if foreign(u)] == ["https://cdn.example/x.css", "//t.example/p.gif",
                                                       "https://x.example/i.png"]


# ------------------------------------------------------------------ privacy scan fails the build


def test_personal_number_in_a_public_field_fails_the_build(content, tmp_path):
    import copy

    leaky = copy.deepcopy(content)
    leaky.projects["yangliu-bridge"]["location"] = "杨柳三组河段，联系人电话 13812345678"
    with pytest.raises(BuildFailed) as err:
        public.render(leaky, analyse(leaky, {}), tmp_path, root=FIXTURE)
    message = err.value.format_message()
    assert "公开网站含有个人信息，已停止发布" in message
    assert "projects/yangliu-bridge/index.html：发现疑似手机号（138****5678）" in message
    assert "13812345678" not in message


def test_unknown_placeholder_in_a_hand_written_page_fails(content, tmp_path):
    import copy

    bad = copy.deepcopy(content)
    bad.pages["faq.md"] += "\n电话：[[号码:不存在的热线]]\n"
    with pytest.raises(BuildFailed, match=r"content/pages/faq.md：未知的占位符 \[\[号码:不存在的热线\]\]"):
        public.render(bad, analyse(bad, {}), tmp_path, root=FIXTURE)


def test_missing_hand_written_page_fails(content, tmp_path):
    import copy

    bad = copy.deepcopy(content)
    del bad.pages["policy.md"]
    with pytest.raises(BuildFailed, match="缺少手写页面 content/pages/policy.md"):
        public.render(bad, analyse(bad, {}), tmp_path, root=FIXTURE)


def test_broken_link_in_a_hand_written_page_fails_a_strict_build(content, tmp_path):
    import copy

    bad = copy.deepcopy(content)
    bad.pages["faq.md"] += "\n见[不存在的页面](nowhere.md)。\n"
    with pytest.raises(BuildFailed) as err:
        public.render(bad, analyse(bad, {}), tmp_path, root=FIXTURE, strict=True)
    message = err.value.format_message()
    assert message.startswith("mkdocs 生成公开网站失败（共 1 条警告，严格模式下视为错误）：")
    assert "faq.md" in message and "nowhere.md" in message


def test_404_page_is_chinese(site: Path):
    text = text_of(site / "404.html")
    assert text.strip().startswith("没有找到这个页面 地址可能输错了")
    assert "Not found" not in (site / "404.html").read_text(encoding="utf-8")


def test_every_page_cites_only_listed_articles(site, content):
    """Hand-written and generated pages alike: a worker may act on an article number."""
    from generator import citations

    cited = 0
    for page in html_pages(site):
        text = text_of(page)
        assert citations.problems(text, content.settings["regulations"]) == [], page.relative_to(site)
        cited += len(citations.find(text)[0])
    assert cited > 100


def test_every_text_asset_has_a_precompressed_copy(site):
    import gzip

    from generator.render.compress import TEXT_SUFFIXES

    texts = [f for f in site.rglob("*")
             if f.is_file() and f.suffix in TEXT_SUFFIXES and f.stat().st_size >= 256]
    assert len(texts) > 30
    for f in texts:
        packed = (f.parent / (f.name + ".gz")).read_bytes()
        assert gzip.decompress(packed) == f.read_bytes(), f
        assert packed[4:8] == b"\0\0\0\0", f  # no time in the header: the same commit builds the same bytes
    home = site / "index.html"
    assert (home.parent / "index.html.gz").stat().st_size < home.stat().st_size / 3


def test_footer_says_who_and_what_to_call_and_no_page_names_a_config_file(site):
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        assert "兴义镇根治欠薪工作专班 · 被拖欠工资请拨打 12333 · 投诉、调解、仲裁都不收费" in html, page
    everything = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*")
                         if p.suffix in (".html", ".json"))
    assert "settings.yaml" not in everything and "settings" not in everything.replace("__settings", "")
