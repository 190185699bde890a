"""Strict YAML loading: content/ → Documents (+ findings for files that cannot be read).

INTERIM: minimal version; the foundation issue hardens it (duplicate keys, aliases, tags, …).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.model import Document
from generator.paths import kind_of

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_Base):
    """Safe loader that keeps dates as strings (schemas check their pattern)."""


StrictLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in rs if tag != "tag:yaml.org,2002:timestamp"]
    for ch, rs in _Base.yaml_implicit_resolvers.items()
}


def load_tree(content_root: Path) -> tuple[list[Document], dict[str, str]]:
    docs: list[Document] = []
    for path in sorted(content_root.rglob("*.yaml")):
        rel = path.relative_to(content_root).as_posix()
        kind = kind_of(rel)
        if kind is None:
            continue
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=StrictLoader)
        docs.append(Document(rel=rel, kind=kind, data=data))
    pages = {p.relative_to(content_root / "pages").as_posix(): p.read_text(encoding="utf-8")
             for p in sorted((content_root / "pages").rglob("*.md"))} if (content_root / "pages").is_dir() else {}
    return docs, pages
