"""The internal site: pages, charts, history from git, and the internal fields that only it shows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from _history_repo import shipped_copy

from generator import provenance
from generator.analyse import analyse
from generator.build import build, load_checked
from generator.render import internal

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs

HOWTO = """# 使用说明

办公室每月 25 日后查看[报送情况](../submissions.html)。

| 步骤 | 做什么 |
|---|---|
| 1 | 打开看板 |

<script>alert("x")</script>

1. 修改内容：
   - `month:` 改成本月
   - `filled_on:` 改成今天
2. 提交

```
zhiqian status 2024-08
```

![表单截图](../admin-howto/shot.png)

![这张截图没有生成](../admin-howto/missing.png)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The shipped content in a repository whose history has a late, an amended and a missing return."""
    root = tmp_path_factory.mktemp("repo")
    repo = shipped_copy(root)
    returns = root / "content" / "returns"
    held = root.parent / f"{root.name}-returns"
    shutil.move(returns, held)
    repo.commit("基准", "2024-07-01T09:00:00+08:00")
    for month_dir in sorted(held.iterdir()):
        for f in sorted(month_dir.iterdir()):
            if (month_dir.name, f.stem) == ("2024-08", "jingfa"):
                continue
            (returns / month_dir.name).mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, returns / month_dir.name / f.name)
        repo.commit(f"{month_dir.name} 月报", f"{month_dir.name}-20T17:00:00+08:00", "nibaxi-clerk-sample")
    shutil.copy2(held / "2024-08" / "jingfa.yaml", returns / "2024-08" / "jingfa.yaml")
    repo.commit("2024-08 jingfa 欠薪隐患排查根治表", "2024-09-03T10:12:00+08:00", "jingfa-sample")
    amended = returns / "2024-08" / "changjiang.yaml"
    amended.write_text(amended.read_text(encoding="utf-8") + "# 已核实\n", encoding="utf-8")
    repo.commit("2024-08 changjiang 更正：涉及人数和金额", "2024-09-10T09:30:00+08:00",
                "changjiang-clerk-sample")

    pages = root / "internal_pages"
    pages.mkdir()
    (pages / "howto.md").write_text(HOWTO, encoding="utf-8")
    content = load_checked(root)
    prov = provenance.collect(root)
    tables = analyse(content, prov)
    out = root / "out"
    (out / "admin-howto").mkdir(parents=True)
    (out / "admin-howto" / "shot.png").write_bytes(b"\x89PNG")  # as the form's browser test leaves them
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(internal, "MARKDOWN_PAGES", pages)
        internal.render(content, tables, prov, out, root)
    return root, out


def read(site, rel: str) -> str:
    return (site[1] / rel).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_page_is_written(site):
    out = site[1]
    for rel in ("index.html", "org.html", "matrix.html", "grid.html", "submissions.html", "hazards.html",
                "projects.html", "coverage.html", "register.html", "units/index.html", "units/jingfa.html",
                "units/yangliu.html", "pages/howto.html", "charts/org.svg", "charts/matrix.svg",
                "charts/grid.svg", "static/internal.css"):
        assert (out / rel).is_file(), rel


def test_no_javascript_and_no_network(site):
    # Nothing loads from another host; the only outside links lead to the office's own forge (settings.forge).
    forge = load_checked(site[0]).settings["forge"]["base_url"].rstrip("/") + "/"
    for page in site[1].rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html.lower(), page
        assert not re.search(r"""src=["']https?://""", html), page
        links = re.findall(r"""href=["'](https?://[^"']*)""", html)
        assert all(link.startswith(forge) for link in links), (page, links)
        assert 'lang="zh-CN"' in html


def test_dashboard_links_the_pdfs_by_name(site):
    html = read(site, "index.html")
    assert 'href="bulletins/2024-08-通报.pdf"' in html
    assert 'href="bulletins/2024-12-通报.pdf"' in html
    assert 'href="bulletins/2024-Q3-回头看.pdf"' in html
    assert 'href="posters/changjiang-revetment.pdf"' in html
    assert "posters/xinchang-housing.pdf" not in html  # completed: no poster
    text = text_of(html)
    assert "未报送 杨柳 2024年9月（截止 2024-09-25，已过 117 天）" in text
    assert "逾期 9 天 经发办 2024年8月（截止 2024-08-25，合入 2024-09-03）" in text


def test_submission_board_colours(site):
    html = read(site, "submissions.html")
    assert html.count('class="cell missing"') == 1
    assert html.count('class="cell late"') == 1  # in this history xinchang's November return was on time
    assert html.count('class="cell ok"') == 46
    text = text_of(html)
    assert "逾期 9 天" in text and "逾期 3 天" not in text and "未报送 已过 117 天" in text


def test_unit_page_shows_history(site):
    text = text_of(read(site, "units/changjiang.html"))
    assert "2024-08-20 首次合入 · 罗文书示例（nibaxi-clerk-sample）" in text
    assert "2024-09-10 修改 · 陈文书示例（changjiang-clerk-sample） ·" in text
    assert "2024-08 changjiang 更正：涉及人数和金额" in text
    assert "更正记录（月报中登记）" in text
    assert "核实后涉及人数由 10 人更正为 12 人，金额由 130000 元更正为 156000 元" in text
    jingfa = text_of(read(site, "units/jingfa.html"))
    assert "2024年8月 逾期 9 天" in jingfa
    assert "2024-09-03，邓挥（jingfa-sample）" in jingfa
    yangliu = text_of(read(site, "units/yangliu.html"))
    assert "截至 2025-01-20 仍未报送（已过 117 天）" in yangliu


def test_internal_fields_appear_here(site):
    register = text_of(read(site, "register.html"))
    assert "何劳资示例 13700000102" in register  # labour manager's phone
    assert "总包单位按要求补足" in register  # deposit movement
    assert "丰都县宏远劳务有限公司" in register and "第五十五条" in register  # violation ledger
    assert "20,000 元" in register
    assert "陈厂长示例 13600000202" in register  # enterprise contact
    assert "13800000001" in text_of(read(site, "org.html"))  # roster phone (张璐)
    unit = read(site, "units/changjiang.html")
    assert "13500000301" in unit  # worker representative's phone
    assert "5002**********1232" in unit and "500230198003121232" not in unit  # ID number masked


def test_charts_are_inline_and_saved(site):
    html = read(site, "org.html")
    assert "<svg" in html and "李俊（镇长）" in html
    assert "唐代忠" in read(site, "charts/org.svg")
    assert "泥巴溪村" in read(site, "charts/grid.svg")
    assert "二（五） 常态化欠薪风险隐患排查根治" in read(site, "matrix.html")


def test_tables_pages(site):
    hz = text_of(read(site, "hazards.html"))
    assert "共 6 件，未化解 2 件（涉及 24 人、222,000 元）" in hz
    assert "超期 66 天" in hz
    pj = text_of(read(site, "projects.html"))
    assert "逾期未完成 112 天" in pj
    assert pj.index("逾期未完成 112 天") < pj.index("逾期 15 天完成")
    cov = text_of(read(site, "coverage.html"))
    assert "丰都县杨柳石材加工厂（示例）" in cov and "无治欠协管员" in cov


def test_markdown_pages(site):
    html = read(site, "pages/howto.html")
    assert "<table>" in html and "<th>步骤</th>" in html
    assert "alert" not in html or "&lt;script" in html
    assert "<pre><code>zhiqian status 2024-08" in html
    # GitHub-style 3-space nesting stays nested (Python-Markdown alone wants 4 spaces)
    nested = r"<li>\s*(<p>)?修改内容：(</p>)?\s*<ul>\s*<li><code>month:</code> 改成本月</li>"
    assert re.search(nested, html), html
    assert '<a href="../pages/howto.html"' in html and ">使用说明</a>" in html
    assert 'href="pages/howto.html"' in read(site, "index.html")
    # a screenshot that is there is shown; one the browser test did not make is left out, not shown broken
    assert 'alt="表单截图" src="../admin-howto/shot.png"' in html
    assert "missing.png" not in html and "这张截图没有生成" not in html


def test_build_writes_build_internal_only(site):
    root = site[0]
    build(root, public=False, internal=True, pdf=False)
    assert (root / "build" / "internal" / "index.html").is_file()
    assert (root / "build" / "internal" / "units" / "jingfa.html").is_file()
    assert not (root / "site").exists()
    assert not (root / "build" / ".internal.staging").exists()


def test_missing_history_falls_back_to_filled_on(tmp_path: Path):
    root = tmp_path / "plain"
    shipped_copy(root)  # a repository without commits
    content = load_checked(root)
    tables = analyse(content, provenance.collect(root))
    out = tmp_path / "out"
    out.mkdir()
    internal.render(content, tables, {}, out, root)
    text = text_of((out / "units" / "jingfa.html").read_text(encoding="utf-8"))
    assert "无提交历史，按填报日期 2024-09-03 计" in text
    assert "提交历史中没有这份月报的记录。" in text


def test_a_town_without_any_record_still_renders(tmp_path: Path):
    from generator.model import Content

    content = Content(settings={"as_of": "2024-09-10", "returns": {"due_day": 25, "due_month_offset": 0}},
                      town={"name": "测试镇", "departments": [],
                            "villages": [{"id": "a", "name": "甲村", "reports_monthly": True}]},
                      taskforce={"name": "测试专班", "people": []}, responsibilities={"items": []})
    internal.render(content, analyse(content, {}), {}, tmp_path, None)
    text = text_of((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert "还没有到期的月报。" in text and "没有超期未化解的隐患。" in text
    assert "测试专班" in (tmp_path / "charts" / "org.svg").read_text(encoding="utf-8")


def test_status_command_in_the_terminal(site):
    from click.testing import CliRunner

    from generator.cli import cli

    result = CliRunner().invoke(cli, ["status", "2024-08", "--root", str(site[0])])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2024年8月 欠薪隐患排查根治表报送情况（截止 2024-08-25，统计截止 2025-01-20）"
    jingfa = next(line for line in lines if line.startswith("经发办"))
    assert "逾期 9 天" in jingfa and "2024-09-03" in jingfa and "邓挥（jingfa-sample）" in jingfa
    assert "共 8 个单位：按时 7，逾期 1，未报送 0。" in lines
    september = CliRunner().invoke(cli, ["status", "2024-09", "--root", str(site[0])]).output
    assert "未报送：杨柳" in september


def test_the_internal_site_lays_out_the_tables_and_computes_nothing(tmp_path, monkeypatch):
    """Once analyse has run, rendering calls no analyse function: every figure comes from Tables."""
    import generator.analyse as analyse_package
    from generator.analyse import attention, coverage, hazards, projects, responsibility, submissions

    content = load_checked(FIXTURE)
    tables = analyse(content, {})

    def computed_while_rendering(*_a, **_k):
        raise AssertionError("render computed a figure")

    for module in (attention, coverage, hazards, projects, responsibility, submissions):
        for name, value in vars(module).copy().items():
            if callable(value) and getattr(value, "__module__", "") == module.__name__:
                monkeypatch.setattr(module, name, computed_while_rendering)
    monkeypatch.setattr(analyse_package, "analyse", computed_while_rendering)
    written = internal.render(content, tables, {}, tmp_path)
    assert tmp_path / "hazards.html" in written
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f"{tables.hazard_totals['open']}" in page


def test_id_numbers_show_only_their_ends_on_office_pages():
    from generator.privacy import mask_id

    assert mask_id("500230199001011234") == "5002**********1234"
    assert mask_id("6222021234567890123") == "6222***********0123"
    assert mask_id(None) == "" and mask_id("1234") == "1234"


def test_unit_pages_list_the_other_units_only_up_to_a_towns_worth(tmp_path, monkeypatch):

    content = load_checked(FIXTURE)
    tables = analyse(content, {})
    internal.render(content, tables, {}, tmp_path / "few", root=FIXTURE)
    page = tmp_path / "few" / "units" / "changjiang.html"
    assert 'href="../units/yangliu.html"' in page.read_text(encoding="utf-8")
    monkeypatch.setattr(internal, "NAV_UNITS_MAX", 2)  # a county: more units than a side menu can hold
    internal.render(content, tables, {}, tmp_path / "many", root=FIXTURE)
    page = tmp_path / "many" / "units" / "changjiang.html"
    assert 'href="../units/yangliu.html"' not in page.read_text(encoding="utf-8")
    assert 'href="yangliu.html"' in (tmp_path / "many" / "units" / "index.html").read_text(encoding="utf-8")
