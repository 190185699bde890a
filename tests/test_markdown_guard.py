"""Hand-written pages are safe as Markdown before the site engine reads them (render/markdown_guard.py).

The mkdocs plugin (public_md.SanitisePlugin) stays as a second net; the last test builds the hostile site
with that plugin switched off, as an engine that runs no plugin of ours would, and runs the hostile-content
checks of tests/test_public_hostile.py on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.utils.meta import get_data

from generator.render import markdown_guard, public_md
from tests import test_public_hostile as hostile

FIXTURE_PAGES = Path(__file__).resolve().parent / "fixtures" / "tree" / "content" / "pages"


def test_clean_pages_pass_through_unchanged_but_for_emptied_comments():
    for page in sorted(FIXTURE_PAGES.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        expected = markdown_guard._COMMENT.sub(markdown_guard.EMPTY_COMMENT, text)
        assert markdown_guard.guard_page(text) == expected, page.name


def test_staff_notes_in_comments_do_not_reach_the_engine():
    out = markdown_guard.guard_page("<!--\n内部说明：不要公开\n-->\n# 标题\n")
    assert "内部说明" not in out and out.startswith("<!---->")


def test_scripts_frames_and_handlers_are_removed_text_stays():
    out = markdown_guard.guard_markdown(
        '<script>alert(1)</script>\n<iframe src="https://evil.example/"></iframe>\n'
        '<div onclick="alert(2)" style="background:url(https://evil.example/x.png)">普通文字</div>\n'
        '<IMG SRC="x" ONERROR="alert(3)">\n<a href="java\tscript:alert(4)">点这里</a>\n')
    assert out == 'alert(1)\n\n<div>普通文字</div>\n<img src="x">\n<a>点这里</a>\n'


def test_allowed_tags_and_tap_to_call_links_are_kept_byte_for_byte():
    text = ('拨打 <a href="tel:12333">12333</a>，<b>不收费</b>。'
            '<details open><summary>更多</summary>…</details>')
    assert markdown_guard.guard_markdown(text) == text


def test_unfinished_tags_and_comments_are_shown_as_text():
    assert markdown_guard.guard_markdown('<img src=x onerror="alert(1)" <!-- x') == \
        '&lt;img src=x onerror="alert(1)" &lt;!-- x'
    assert markdown_guard.guard_markdown("见 <https://www.12333.gov.cn/>") == "见 <https://www.12333.gov.cn/>"
    # removing the inner tag must not leave a working one behind
    assert markdown_guard.guard_markdown("<scr<script>ipt>alert(1)</scr</script>ipt>") == \
        "&lt;script>alert(1)&lt;/script>"


@pytest.mark.parametrize(("text", "expected"), [
    ("[又一个](javascript:alert(13)) 后文", "[又一个](#) 后文"),
    ("[编码](&#106;avascript:alert(1))", "[编码](#)"),
    ("[尖括号](<javascript:alert(1)>)", "[尖括号](#)"),
    ("[电话](tel:12333) [指南](guide.md)", "[电话](tel:12333) [指南](guide.md)"),
    ("![图](https://evil.example/track.gif)", "[图](https://evil.example/track.gif)"),  # a link, never loaded
    ("![图](data:image/png;base64,AAAA)", "![图](#)"),
    ("![图](assets/poster.png)", "![图](assets/poster.png)"),
    ("[x]: javascript:alert(1)\n", "[x]: #\n"),
    ("![跟踪][t]\n\n[t]: https://evil.example/t.gif\n", "[跟踪][t]\n\n[t]: https://evil.example/t.gif\n"),
])
def test_links_and_images(text, expected):
    assert markdown_guard.guard_markdown(text) == expected


def test_attribute_lists_keep_only_safe_attributes():
    guard = markdown_guard.guard_markdown
    assert guard('段落\n{: onclick="alert(1)" .note #md-top }\n') == "段落\n{: .note }\n"
    assert markdown_guard.guard_markdown('段落\n{: onclick="alert(1)" #__search }\n') == "段落\n\n"
    assert markdown_guard.guard_markdown("## 标题 {: #biaoti .note }\n") == "## 标题 {: #biaoti .note }\n"
    assert markdown_guard.guard_markdown('段落\n{: .note style="x" }\n') == "段落\n{: .note }\n"


def test_front_matter_keeps_escaped_title_and_drops_other_keys():
    out = markdown_guard.guard_page(hostile.HOSTILE_FRONT_MATTER + "# 指南\n")
    assert out == ('---\ntitle: "&lt;/title&gt;&lt;script&gt;alert(15)&lt;/script&gt;指南"\n'
                   'description: "&#34;&gt;&lt;script&gt;alert(16)&lt;/script&gt;"\n---\n\n# 指南\n')
    assert get_data(out)[1] == {"title": "&lt;/title&gt;&lt;script&gt;alert(15)&lt;/script&gt;指南",
                                "description": "&#34;&gt;&lt;script&gt;alert(16)&lt;/script&gt;"}
    # MultiMarkdown-style keys are front matter to mkdocs too
    assert markdown_guard.guard_page("Template: evil.html\nTitle: <b>x</b>\n\n正文\n") == \
        '---\ntitle: "&lt;b&gt;x&lt;/b&gt;"\n---\n\n正文\n'
    odd = markdown_guard.guard_page('---\ntitle: "a\\\\b: #c"\nhide: [toc]\n'
                                    'search: {boost: 2}\nx: 1\n---\n正文\n')
    assert get_data(odd)[1] == {"title": "a\\b: #c", "hide": ["toc"], "search": {"boost": 2}}


@pytest.mark.slow
def test_hostile_site_is_safe_without_the_mkdocs_plugin(tmp_path, monkeypatch):
    """What an engine that runs none of our plugins gets: the guarded Markdown alone."""
    monkeypatch.setattr(public_md.SanitisePlugin, "on_page_content", lambda self, html, **kw: html)
    monkeypatch.setattr(public_md.SanitisePlugin, "on_page_markdown", lambda self, md, **kw: md)
    site = hostile.build_hostile(tmp_path)
    hostile.test_nothing_active_in_any_page(site)
    hostile.test_hand_written_page_is_sanitised(site)
    hostile.test_front_matter_of_hand_written_pages_is_escaped(site)
    hostile.test_nav_and_titles_escape_project_names(site)
