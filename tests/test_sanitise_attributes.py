"""Hand-written pages keep id and class only from a short allowlist (issue 16, 5): the theme finds its
own elements by id (__config holds its settings, read by its JavaScript) and class (md-…)."""

from __future__ import annotations

import markdown
from pymdownx.slugs import slugify

from generator.render.public_md import sanitise

EXTENSIONS = ["toc", "tables", "attr_list", "admonition", "def_list", "md_in_html", "footnotes"]
CONFIGS = {"toc": {"slugify": slugify(case="lower", normalize="NFC")}}


def _page(text: str) -> str:
    return sanitise(markdown.markdown(text, extensions=EXTENSIONS, extension_configs=CONFIGS))


def test_theme_ids_and_classes_written_in_content_are_dropped():
    html = _page('<div id="__config" class="md-header">{"search": 1}</div>\n\n'
                 '<span id="__search" class="md-search__input">x</span>\n\n'
                 "段落\n{: #__drawer .md-sidebar }\n\n"
                 "## 标题 {#__toc}\n")
    for value in ("__config", "__search", "__drawer", "__toc", "md-header", "md-search", "md-sidebar"):
        assert value not in html, value
    assert "段落" in html and "标题" in html  # the text stays, only the attributes go


def test_toc_anchors_footnotes_and_admonitions_keep_theirs():
    html = _page("## 第五步：劳动争议仲裁\n\n要保存证据[^1]。\n\n[^1]: 劳动合同、工资条。\n\n"
                 '!!! warning "注意"\n    不要堵路。\n')
    assert 'id="第五步劳动争议仲裁"' in html
    assert 'id="fnref:1"' in html and 'id="fn:1"' in html and 'class="footnote-ref"' in html
    assert 'class="admonition warning"' in html and 'class="admonition-title"' in html


def test_a_class_list_with_one_unknown_name_is_dropped_whole():
    assert "class" not in _page('<p class="note md-typeset">x</p>')
