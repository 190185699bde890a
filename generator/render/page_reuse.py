"""Reuse of the internal site's pages: a page whose template, code and data hash the same as at the last
build is linked from build/.cache/internal/, not rendered again (at county scale the 750 unit pages took
most of the stage, and one changed return touches one of them). The charts are kept the same way.

The key is the SHA-256 of the page's data pickled without a memo (so the bytes follow the values and their
order, which is what a loop in a template shows, not which objects happen to be shared; ~4x faster than
sorted JSON, which took ~2 s for a county) plus the digest of the generator's code, templates and Python;
a page whose data cannot be pickled that way is always rendered. keys.json is removed when a build starts;
the new pages are linked into the cache and keys.json written only when every page rendered, so a failed or
killed build leaves nothing that could be reused. A cached file is never written to in place (a new one
replaces it), so the hard links it shares with build/internal/ never change an earlier build's pages.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

CACHE = Path("build") / ".cache" / "internal"  # under the repository root; build.py passes it


class PageReuse:
    def __init__(self, folder: Path | None, out_dir: Path, *, reuse: bool, code: str):
        self.folder = Path(folder) if folder else None
        self.out_dir = Path(out_dir)
        self.fresh: dict[str, str] = {}  # rendered by this build: copied into the cache by save()
        self.code = code
        self.old: dict[str, str] = self._keys() if (self.folder and reuse) else {}
        self.new: dict[str, str] = {}
        self.rendered: list[str] = []
        self.copied = 0
        if self.folder:
            (self.folder / "keys.json").unlink(missing_ok=True)

    def _keys(self) -> dict[str, str]:
        try:
            data = json.loads((self.folder / "keys.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def key(self, shared: str | None, template: str, data: dict[str, Any]) -> str | None:
        if shared is None:  # what the pages share has no key: every page is rendered
            return None
        return digest([self.code, shared, template, data])

    def get(self, name: str, key: str | None) -> str | None:
        """The text of an unchanged file (a chart, which its page embeds), else None."""
        if self.folder is None or key is None or self.old.get(name) != key:
            return None
        try:
            text = (self.folder / "pages" / name).read_text(encoding="utf-8")
        except OSError:
            return None
        self._reused(name, key)
        return text

    def place(self, name: str, key: str | None) -> bool:
        """Put an unchanged page into out_dir/name (a hard link to the cached copy); False: render it."""
        if self.folder is None or key is None or self.old.get(name) != key:
            return False
        target = self.out_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            _link(self.folder / "pages" / name, target)
        except OSError:
            return False
        self._reused(name, key)
        return True

    def _reused(self, name: str, key: str) -> None:
        self.new[name] = key
        self.copied += name.endswith(".html")

    def put(self, name: str, key: str | None) -> None:
        """A page (or chart) this build rendered (written to out_dir/name by the caller)."""
        if name.endswith(".html"):
            self.rendered.append(name)
        if key is not None:
            self.fresh[name] = key

    def save(self) -> None:
        if self.folder is None:
            return
        for name, key in self.fresh.items():
            target = self.folder / "pages" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            _link(self.out_dir / name, target)
            self.new[name] = key
        tmp = self.folder / "keys.json.tmp"
        tmp.write_text(json.dumps(self.new, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.folder / "keys.json")

    @property
    def summary(self) -> str:
        if not self.copied:
            return f"内部网站：{len(self.rendered)} 个页面全部重新生成"
        more = f" 等 {len(self.rendered)} 个" if len(self.rendered) > 3 else ""
        named = "、".join(self.rendered[:3]) + more or "无"
        return f"内部网站：只重新生成数据有变化的页面（{named}），其余 {self.copied} 个页面沿用上次结果"


def shared_key(value: Any) -> str | None:
    """Digest of what every page shares (settings, menus, the names behind the `who` filter)."""
    return digest(value)


def digest(value: Any) -> str | None:
    """SHA-256 of `value` pickled without a memo (equal values, equal bytes in any process); None when it
    cannot be pickled."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: equal values give equal bytes in any process
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, ValueError, AttributeError, RecursionError):
        return None  # a cycle, a function or a handle: no key, the page is rendered
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def _link(src: Path, target: Path) -> None:
    """target becomes a new name of src's file (a copy where hard links fail); an old target is replaced,
    never written into: it may be a page of the current build/internal/."""
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copyfile(src, tmp)
    os.replace(tmp, target)
