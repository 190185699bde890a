"""jieba for the theme's Chinese search index: its dictionary, loaded fast, and the workers' whole words.

jieba loads its dictionary from its own marshal cache in /tmp: ~1.15 s on every public build, a sixth
of a one-page rebuild at county scale. The same dictionary as a pickle in build/.cache/ loads in
~0.25 s. The pickle holds exactly what jieba builds from its dictionary file and is keyed on that
file's SHA-256 and jieba's version, so the search index comes out byte for byte the same
(tests/test_search_words.py). A damaged or foreign pickle is ignored and written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
from pathlib import Path

WORDS = Path(__file__).parent / "search_words.txt"  # worker vocabulary kept whole in the search index
DICTIONARY_CACHE = "jieba-dictionary.pickle"
_state: dict = {"ready": False}


def prepare(cache_dir: Path | None) -> None:
    """Once per process, before the search index is built: the dictionary (from `cache_dir` when given),
    then the whole words for what a worker types (渝薪码, 欠条 …): a word jieba would split (渝|薪码) is
    never found whole by the browser's search. Not twice: each add_word also raises jieba's total
    frequency, so adding them again would segment the next build's pages differently."""
    if _state["ready"]:
        return
    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        import jieba
    except ImportError:  # search still works, only worse for Chinese; pyproject requires jieba
        return
    jieba.setLogLevel(logging.WARNING)
    if cache_dir is not None:
        _load_dictionary(jieba, Path(cache_dir) / DICTIONARY_CACHE)
    for word in WORDS.read_text(encoding="utf-8").split():
        jieba.add_word(word, freq=100000)
    _state["ready"] = True


def _load_dictionary(jieba, cache: Path) -> None:
    tokenizer = jieba.dt
    if tokenizer.initialized or tokenizer.dictionary is not None:  # a custom dictionary: jieba's own way
        return
    source = Path(jieba.__file__).with_name("dict.txt")
    try:
        key = (jieba.__version__, hashlib.sha256(source.read_bytes()).hexdigest())
    except OSError:
        return
    try:
        with open(cache, "rb") as f:
            saved_key, freq, total = pickle.load(f)
        if saved_key == key and isinstance(freq, dict) and isinstance(total, int):
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
            return
    except Exception:  # noqa: BLE001 - missing, damaged or foreign: built again below
        pass
    tokenizer.initialize()
    # written by save_dictionary() while the page finisher works (0.2 s); copied before add_word changes it
    _state["pending"] = (cache, key, dict(tokenizer.FREQ), tokenizer.total)


def save_dictionary() -> None:
    """Write the dictionary pickle prepare() could not load, if any (once)."""
    pending = _state.pop("pending", None)
    if pending is None:
        return
    cache, key, freq, total = pending
    temp = cache.with_name(f".{cache.name}.{os.getpid()}")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "wb") as f:
            pickle.dump((key, freq, total), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, cache)  # whole or not at all: a build reading it meanwhile sees the old one
    except OSError:  # a read-only cache folder: the next build loads jieba's own way again
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
