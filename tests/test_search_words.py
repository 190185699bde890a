"""jieba's dictionary from our pickle (render/search_words.py) segments exactly as jieba's own loading:
the search index a worker's browser searches must not change by a single word."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = r"""
import hashlib, json, pickle, sys
from pathlib import Path
import jieba
from generator.render import search_words
search_words.prepare(Path(sys.argv[1]) if sys.argv[1] else None)
search_words.prepare(Path(sys.argv[1]) if sys.argv[1] else None)  # once per process: no second add_word
search_words.save_dictionary()  # what a build does while the page finisher works
text = "在长江边的工地干活，老板拖欠工资不给，渝薪码扫不出来，欠条和工资条都要留好，请拨打12333。"
freq = hashlib.sha256(pickle.dumps(sorted(jieba.dt.FREQ.items()))).hexdigest()
print(json.dumps([freq, jieba.dt.total, jieba.lcut(text), jieba.lcut_for_search(text)], ensure_ascii=False))
"""


def _segment(cache: Path | None, tmp: Path) -> list:
    """A fresh process (jieba's state is per process) with its own empty temporary folder, where jieba
    keeps its own cache: what it finds there after the run tells whether jieba loaded its own way."""
    tmp.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(cache or "")], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def test_the_pickled_dictionary_segments_exactly_as_jiebas_own_and_is_used_when_present(tmp_path: Path):
    own = _segment(None, tmp_path / "t0")
    assert (tmp_path / "t0" / "jieba.cache").is_file()  # jieba's own way, for reference
    assert "渝薪码" in own[2] and "欠条" in own[2]  # the workers' words stay whole

    cache = tmp_path / "cache"
    assert _segment(cache, tmp_path / "t1") == own  # cold: built by jieba, then pickled
    assert (cache / "jieba-dictionary.pickle").is_file()
    assert _segment(cache, tmp_path / "t2") == own  # warm: from the pickle
    assert not (tmp_path / "t2" / "jieba.cache").exists()  # jieba did not load its own way


def test_a_damaged_or_foreign_pickle_is_built_again(tmp_path: Path):
    cache = tmp_path / "cache"
    own = _segment(cache, tmp_path / "t0")
    pickled = cache / "jieba-dictionary.pickle"
    pickled.write_bytes(pickled.read_bytes()[:1000])  # cut short, as by a full disk
    assert _segment(cache, tmp_path / "t1") == own
    import pickle

    key, freq, total = pickle.loads(pickled.read_bytes())
    pickled.write_bytes(pickle.dumps((("0.0", key[1]), {"工资": 1}, 1)))  # another jieba's
    assert _segment(cache, tmp_path / "t2") == own
    assert pickle.loads(pickled.read_bytes())[0] == key
