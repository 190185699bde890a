"""The second line of defence: built outputs scanned for personal numbers with the one detector.

`scan_site` reads every text file of the built site (pages, search index, sitemap); `scan_posters` the text
of the poster PDFs, as a reader (or pdftotext) gets it. A finding names the content file and line the
number came from when the number is written there (`trace`), so the office knows what to fix.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator import detect

SCANNED_SUFFIXES = (".html", ".htm", ".json", ".xml", ".txt", ".js", ".csv")


@dataclass(frozen=True)
class Problem:
    file: str  # relative to the scanned folder, posix
    kind: str  # 身份证号 | 手机号 | 银行卡号
    masked: str
    source: str = ""  # content/…:line where the number is written, when found
    where: str = "公开网站"

    @property
    def message(self) -> str:
        if self.source:
            return (f"{self.source}：疑似{self.kind}（{self.masked}）出现在{self.where} {self.file} 上，"
                    f"{self.where}不得包含个人信息，请从这一行删去。")
        return f"{self.file}：发现疑似{self.kind}（{self.masked}），{self.where}不得包含个人信息。"


def scanned(path: Path) -> bool:
    """Whether the site scan reads a file of this name: text, except the theme's own minified code."""
    if path.suffix.lower() not in SCANNED_SUFFIXES:
        return False
    return not (path.suffix == ".js" and "assets/javascripts" in path.as_posix())


def scan_text(text: str, allowed: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(kind, masked number) for every personal number in `text` (see detect.find)."""
    return [(h.kind, h.masked) for h in detect.find(text, allowed)]


def trace(content_root: Path) -> dict[str, str]:
    """digits → "content/<file>:<line>" of the first line of the content that writes the number."""
    content_root = Path(content_root)
    out: dict[str, str] = {}
    files = sorted([*content_root.rglob("*.yaml"), *content_root.rglob("*.md")])
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
        except OSError:
            continue
        rel = f"{content_root.name}/{path.relative_to(content_root).as_posix()}"
        for n, line in enumerate(lines, 1):
            for hit in detect.find(line):
                out.setdefault(hit.digits, f"{rel}:{n}")
    return out


def problems_of(found: list[tuple[str, detect.Hit]], content_root: Path | None, where: str) -> list[Problem]:
    """(file, hit) pairs as Problems naming the content line each number came from."""
    sources = trace(content_root) if found and content_root is not None else {}
    return [Problem(rel, h.kind, h.masked, sources.get(h.digits, ""), where) for rel, h in found]


def scan_site(directory: Path, allowed: Iterable[str] = (),
              content_root: Path | None = None, only: Iterable[Path] | None = None) -> list[Problem]:
    """Every personal number in the built HTML/JSON (and other text files) under `directory`; with
    `only`, in those files of it (the pages a partial build wrote again)."""
    directory = Path(directory)
    allowed = set(allowed)
    found: list[tuple[str, detect.Hit]] = []
    for path in sorted(directory.rglob("*") if only is None else only):
        if not path.is_file() or not scanned(path):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(directory).as_posix()
        found.extend((rel, h) for h in detect.find(text, allowed))
    return problems_of(found, content_root, "公开网站")


def pdf_text(path: Path) -> str:
    """The text of a PDF as a reader copies it: pdftotext (poppler, installed by .ci/setup), else pypdf."""
    try:
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              timeout=60, check=True)
        return done.stdout.decode("utf-8", errors="replace")
    except (OSError, subprocess.SubprocessError):
        import pypdf  # the test extra; a machine without poppler has it when it runs tests

        return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages)


def scan_posters(content, posters: dict[str, Path], schemas_dir: Path, text_of=pdf_text) -> list[Problem]:
    """Every personal number on the posters ({project id: PDF}; `text_of` reads a PDF's text). A poster may
    carry the published numbers and its own project's 劳资专管员 phone (article 34 of the regulation)."""
    from generator.privacy import public_numbers

    published = public_numbers(content, schemas_dir)
    found: list[tuple[str, detect.Hit]] = []
    for project_id, path in sorted(posters.items()):
        manager = ((content.projects.get(project_id) or {}).get("labour_manager") or {}).get("phone")
        allowed = published | ({detect.phone_key(manager)} if manager else set())
        found.extend((f"posters/{path.name}", h) for h in detect.find(text_of(path), allowed))
    return problems_of(found, getattr(content, "root", None), "告示牌")
