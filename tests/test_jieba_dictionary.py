"""jieba's dictionary loaded faster (render/jieba_dictionary.py) is jieba's own: the same words, frequencies
and order, so the search index segments every page the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render import jieba_dictionary
from generator.render.public import SEARCH_WORDS

jieba = pytest.importorskip("jieba")
FIXTURE_PAGES = Path(__file__).resolve().parent / "fixtures" / "tree" / "content" / "pages"


def _tokenizer(tmp_dir: Path):
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(tmp_dir)  # its own cache file, not the machine's shared one
    return tokenizer


def _same(ours, theirs) -> None:
    assert ours.initialized
    assert ours.total == theirs.total
    assert list(ours.FREQ.items()) == list(theirs.FREQ.items())  # the order too: a dict's is kept
    for tokenizer in (ours, theirs):
        for word in SEARCH_WORDS.read_text(encoding="utf-8").split():
            tokenizer.add_word(word, freq=100000)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(FIXTURE_PAGES.rglob("*.md")))
    assert "渝薪码" in text
    assert list(ours.cut(text)) == list(theirs.cut(text))


def test_the_dictionary_read_from_jiebas_cache_is_jiebas(tmp_path: Path):
    theirs = _tokenizer(tmp_path)
    theirs.initialize()  # builds the dictionary and writes tmp_path/jieba.cache
    assert (tmp_path / jieba_dictionary.CACHE_NAME).is_file()
    ours = _tokenizer(tmp_path)
    jieba_dictionary.load(ours, jieba.DEFAULT_DICT)
    _same(ours, theirs)


@pytest.mark.parametrize("cache", [None, b"\x00 not a dictionary"])
def test_without_a_usable_cache_jieba_builds_it(tmp_path: Path, cache: bytes | None):
    theirs = _tokenizer(tmp_path / "theirs")
    (tmp_path / "theirs").mkdir()
    theirs.initialize()
    (tmp_path / "ours").mkdir()
    if cache is not None:
        (tmp_path / "ours" / jieba_dictionary.CACHE_NAME).write_bytes(cache)
    ours = _tokenizer(tmp_path / "ours")
    jieba_dictionary.load(ours, jieba.DEFAULT_DICT)
    _same(ours, theirs)
    assert (tmp_path / "ours" / jieba_dictionary.CACHE_NAME).stat().st_size > 1_000_000  # written by jieba
