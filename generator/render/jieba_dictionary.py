"""jieba's dictionary, loaded the way jieba loads it, only faster.

The search index segments Chinese text with jieba (mkdocs-material's search plugin), which first loads its
prefix dictionary: jieba reads its cache file (tempdir/jieba.cache, ~9 MB) with `marshal.load(file)`,
which reads the file in small pieces: ~1.5 s, against ~0.45 s for `marshal.loads` of the whole file (the
same objects, in the same order). That was ~1.1 s of every rebuild, even one that re-renders one page.

load() does what jieba's Tokenizer.initialize does for its default dictionary when the cache file is there
(jieba 0.42), with that one difference; in every other case (another dictionary, no or a damaged cache
file) it leaves the work to jieba. The dictionary is the same, so every page segments the same
(tests/test_jieba_dictionary.py compares it with jieba's own).
"""

from __future__ import annotations

import marshal
import os
import tempfile
from typing import Any

CACHE_NAME = "jieba.cache"  # jieba's name for its default dictionary's cache


def load(tokenizer: Any, default_dict: Any) -> None:
    """Initialise `tokenizer` (jieba.dt) unless it is; `default_dict`: jieba.DEFAULT_DICT."""
    if tokenizer.initialized:
        return
    if tokenizer.dictionary != default_dict or tokenizer.cache_file:
        tokenizer.initialize()
        return
    path = os.path.join(tokenizer.tmp_dir or tempfile.gettempdir(), CACHE_NAME)
    try:
        with open(path, "rb") as f:
            freq, total = marshal.loads(f.read())
    except Exception:  # as jieba: any problem with the cache and it builds the dictionary again
        tokenizer.initialize()
        return
    with tokenizer.lock:
        if not tokenizer.initialized:
            tokenizer.FREQ, tokenizer.total = freq, total
            tokenizer.initialized = True
