"""Reuse of the generated public pages' Markdown: a rebuild renders again only the pages that could differ
(at county scale rendering the 3,000 project pages and the project list from their Jinja templates took ~1 s
of every build, and one changed return changes none of them).

A page is reused when its key equals the last successful build's. The key has two parts:
- shared, one digest per template and build: the code the page is rendered with (build_cache.code_digest:
  the generator's files, Python and the installed packages) and the site-wide values the template reads.
  Which values those are is read from the template itself (and what it includes or imports):
  `site.units` or `site.unit_name` → the units, `site.call` → settings (the hotlines), `stats` → the public
  figures, and so on (SITE_READS). A template that uses `site` in a way this cannot bound (passes it whole,
  `site.view`, an unknown attribute, an include whose name is computed) gets no key: its pages are always
  rendered.
- per page: its record (a project's public fields; None for a page of the whole site), with the shared part
  pickled without a memo and hashed with SHA-256 (equal values, equal bytes).

The pages are kept in one file in the public cache folder (build/.cache/public/). It is removed when a build
starts and written back by save(), which public.render calls once the site passed every check: a failed or
killed build leaves nothing a later build could trust. Without `reuse` (build --full) nothing is read.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, nodes

from generator.build_cache import code_digest, write_whole
from generator.render.page_reuse import digest

FILE = "project-markdown.bin"
FORMAT = 2  # bump when the file's layout changes

# What each attribute of public._Site reads, as a group of shared values (GROUPS). None: the attribute
# hands out more than a group (the whole view, the whole context), so a template using it gets no key.
# tests/test_markdown_reuse.py checks that every attribute of _Site is listed here.
SITE_READS: dict[str, str | None] = {
    "settings": "settings", "office": "settings", "minimum_wage": "settings",
    "hotlines": "settings", "hotline": "settings", "call": "settings", "fallback": "settings",
    "stats": "stats",
    "units": "units", "unit_name": "units",
    "people": "people", "person": "people", "person_name": "people",
    "enterprise_name": "enterprises",
    "projects": "projects", "project_ids": "projects", "project_name": "projects",
    "projects_in_nav": "projects",
    "view": None, "context": None,
}
# Parts of the public view a template may read as `site.view.<part>` (other parts: no key).
VIEW_READS = ("taskforce", "responsibilities", "publicity", "town")
# Names of the template context besides `site` and the page's own record.
CONTEXT_READS = {"settings": "settings", "stats": "stats", "PENDING": "PENDING"}
GROUPS: dict[str, Callable[[Any], Any]] = {
    "settings": lambda site: site.settings,
    "stats": lambda site: site.stats,
    "units": lambda site: site.units,
    "people": lambda site: site.people,
    "enterprises": lambda site: dict(site.view.enterprises.items()),
    "projects": lambda site: site.projects,
    "PENDING": lambda site: site.context()["PENDING"],
    **{f"view.{part}": (lambda site, part=part: getattr(site.view, part)) for part in VIEW_READS},
}


class MarkdownReuse:
    def __init__(self, folder: Path | None, *, reuse: bool):
        self.file = Path(folder) / FILE if folder is not None else None
        self.old: dict[str, tuple[str, bytes]] = _load(self.file) if self.file is not None and reuse else {}
        if self.file is not None:
            self.file.unlink(missing_ok=True)  # not trusted again until this build succeeds
        self.env: Environment | None = None
        self.site: Any = None
        self.shared: dict[str, str | None] = {}  # template → the shared part of its pages' keys
        self.groups: dict[str, str | None] = {}  # group → its values' digest (templates share groups)
        self.code = ""
        self.new: dict[str, tuple[str, bytes]] = {}
        self.reused = 0
        self.rendered: list[str] = []  # pages this build rendered (not taken from the last)

    def start(self, env: Environment, site: Any) -> None:
        """The environment and public._Site this build renders with."""
        self.env, self.site = env, site

    def page(self, rel: str, template: str, record: Any, render: Callable[[], bytes]) -> bytes:
        """The page's Markdown: the last build's when its key is the same, else render()."""
        shared = self._shared(template)
        key = digest([shared, record]) if shared is not None else None
        hit = self.old.get(rel) if key is not None else None
        if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == key and isinstance(hit[1], bytes):
            self.reused += 1
            data = hit[1]
        else:
            self.rendered.append(rel)
            data = render()
        if key is not None:
            self.new[rel] = (key, data)
        return data

    def _shared(self, template: str) -> str | None:
        """One digest per template and build: the code and the site-wide values the template reads."""
        if template not in self.shared:
            groups = template_reads(self.env, template) if self.file is not None and self.env else None
            if groups is None:
                self.shared[template] = None
            else:
                self.code = self.code or code_digest()
                for group in groups - self.groups.keys():
                    self.groups[group] = digest(GROUPS[group](self.site))
                values = {group: self.groups[group] for group in sorted(groups)}
                unknown = None in values.values()  # a value that cannot be pickled: no key
                self.shared[template] = None if unknown else digest([FORMAT, template, self.code, values])
        return self.shared[template]

    def save(self) -> None:
        """After the site passed its checks: the next build may reuse this build's pages."""
        if self.file is None or not self.new:
            return
        write_whole(self.file, marshal.dumps({"format": FORMAT, "pages": self.new}))


def _load(file: Path) -> dict[str, tuple[str, bytes]]:
    try:
        data = marshal.loads(file.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("pages"), dict):
        return {}
    return data["pages"]


# ------------------------------------------------------------------ what a template reads


def template_reads(env: Environment, name: str) -> set[str] | None:
    """The groups of shared values `name` (and every template it includes, imports or extends) reads;
    None when that cannot be bounded."""
    groups: set[str] = set()
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        source, _filename, _uptodate = env.loader.get_source(env, current)
        if not _reads(env.parse(source), groups, todo):
            return None
    return groups


def _reads(node: nodes.Node, groups: set[str], todo: list[str]) -> bool:
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends):
            if not (isinstance(child.template, nodes.Const) and isinstance(child.template.value, str)):
                return False  # a computed template name: what it reads is unknown here
            todo.append(child.template.value)
        if _is_view_part(child):
            groups.add(f"view.{child.attr}")
            continue
        if _is_site(getattr(child, "node", None)) and isinstance(child, nodes.Getattr | nodes.Getitem):
            attr = child.attr if isinstance(child, nodes.Getattr) else _const(child.arg)
            group = SITE_READS.get(attr or "")
            if group is None:
                return False
            groups.add(group)
            rest = [] if isinstance(child, nodes.Getattr) else [child.arg]
            if not all(_reads(part, groups, todo) for part in rest):
                return False
            continue
        if _is_site(child):
            return False  # `site` handed on whole (to a filter, a macro, a variable)
        if isinstance(child, nodes.Name) and child.name in CONTEXT_READS:
            groups.add(CONTEXT_READS[child.name])
        if not _reads(child, groups, todo):
            return False
    return True


def _is_view_part(node: nodes.Node) -> bool:
    """site.view.<part> with a part listed in VIEW_READS."""
    view = getattr(node, "node", None)
    return (isinstance(node, nodes.Getattr) and node.attr in VIEW_READS
            and isinstance(view, nodes.Getattr) and view.attr == "view" and _is_site(view.node))


def _is_site(node: Any) -> bool:
    return isinstance(node, nodes.Name) and node.name == "site"


def _const(node: nodes.Node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None
