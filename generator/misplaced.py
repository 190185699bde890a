"""Monthly returns saved where nothing reads them: at the repository root (2025-01/nibaxi.yaml), under
returns/ outside content/, or in the wrong folder of content/ (content/2025-01/nibaxi.yaml). Such a file
passes every check and is silently never read, so the clerk believes the return was filed.

Outside content/ it is an error (validate and check-pr): the return was meant to be filed and is not.
Inside content/ the loader already warns about an unknown file; the message then names the right path.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.findings import Finding, at_mark

_RETURN_SHAPE = re.compile(r"(?:^|/)(?P<month>20[0-9]{2}-(?:0[1-9]|1[0-2]))/(?P<unit>[a-z0-9][a-z0-9-]*)"
                           r"\.(?:yaml|yml|YAML|yaml\.txt)$")
# Folders of the repository that hold YAML which is not content (tests own their fixtures).
_NOT_CONTENT = {"content", "schemas", "tests", "build", "site", "node_modules", "generator", "bench"}


def return_home(path: str) -> str | None:
    """content/returns/<month>/<unit>.yaml for a repo-relative path shaped like a misplaced return."""
    m = _RETURN_SHAPE.search(path)
    if m is None:
        return None
    home = f"content/returns/{m['month']}/{m['unit']}.yaml"
    same_folder = path.rsplit("/", 1)[0] == home.rsplit("/", 1)[0]
    return None if same_folder else home  # in its folder with another extension: load.wrong-extension


def outside_content(root: Path) -> list[Finding]:
    """Return-shaped files at most two folders below the root, outside content/ (cheap: a few listdirs)."""
    out: list[Finding] = []
    for top in sorted(_entries(root)):
        if top.startswith(".") or top in _NOT_CONTENT:
            continue
        for rel in _candidates(root, top):
            home = return_home(rel)
            if home:
                out.append(at_mark("return.misplaced", rel, 1, 1,
                                   f"这是一份月报，但放在了 {rel}：只有 content/returns/ 里的月报会被读取，"
                                   f"这个文件不会被报送。请把它移到 {home}。"))
    return out


def _entries(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _candidates(root: Path, top: str) -> list[str]:
    """top/<file>, top/<folder>/<file> (root/2025-01/x.yaml, root/returns/2025-01/x.yaml)."""
    first = root / top
    if not first.is_dir() or first.is_symlink():
        return []
    out = []
    for name in _entries(first):
        second = first / name
        if second.is_file():
            out.append(f"{top}/{name}")
        elif second.is_dir() and not second.is_symlink() and not name.startswith("."):
            out += [f"{top}/{name}/{leaf}" for leaf in _entries(second) if (second / leaf).is_file()]
    return out
