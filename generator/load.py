"""Strict loading: content/ → Documents, plus findings for everything that cannot be trusted.

Speed matters (a county has ~30,000 files): each file is read once, with bounded work, and parsed by
generator/yaml_parse.py (PyYAML's C parser, a lean constructor, strict about what makes a file
ambiguous); unchanged files come from the parse cache (parse_cache.py). Nodes are not kept: positions
of later findings come from composing again, only for files that have findings
(generator.check.positions).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator import gc_pause
from generator.findings import ERROR, WARNING, Finding, at_mark
from generator.model import Document
from generator.paths import CONTENT, kind_of
from generator.yaml_parse import MAX_MARKS, MAX_NUMBER_CHARS, TooLong, compose, parse_text, resolve_plain

# Bounded work per file, checked before anything is built (more bounds in yaml_parse.py):
MAX_BYTES = 1_000_000  # larger files are refused: a return is ~2 KB, a project ~4 KB
PAGE_SUFFIXES = {".md"}
PAGE_ASSETS = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".pdf"}


# --- reading bytes -------------------------------------------------------------------------
def _line_of(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def read_text(path: Path | str, file: str) -> tuple[str | None, list[Finding]]:
    """The file's text (BOM removed) or findings saying why it cannot be read."""
    data, problems = _read_bytes(path, file)
    return (None, problems) if data is None else _decode(data, file)


def _read_bytes(path: Path | str, file: str) -> tuple[bytes | None, list[Finding]]:
    """The file's bytes, or findings when it cannot be read or is too large to be a content file."""
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            data = os.read(fd, MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                size = os.fstat(fd).st_size
                return None, [at_mark(
                    "load.too-large", file, 1, 1,
                    f"文件太大（{size / 1_000_000:.1f} MB），超过 {MAX_BYTES // 1_000_000} MB 的上限："
                    f"内容文件应当是一条记录，请拆分或检查是否放错了文件。")]
        finally:
            os.close(fd)
    except OSError as e:
        return None, [at_mark("load.unreadable", file, 1, 1, f"无法读取文件：{e.strerror or e}")]
    return data, []


def _decode(data: bytes, file: str) -> tuple[str | None, list[Finding]]:
    """The text of the bytes (BOM removed), or findings saying why it is not UTF-8 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [at_mark("load.encoding", file, 1, 1,
                              "文件是 UTF-16 编码：请用 UTF-8 编码另存（记事本“另存为”→ 编码选 UTF-8）。")]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_of(data, nul)
        return None, [at_mark("load.binary", file, line, col,
                              "这是二进制文件（含 NUL 字节），不是文本：内容目录里只能放 YAML 和 Markdown "
                              "文本。")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line, col = _line_of(data, e.start)
        try:
            data.decode("gb18030")
            looks = "看起来是 GBK/GB2312 编码（Windows 中文系统的默认编码）"
        except UnicodeDecodeError:
            looks = "无法识别编码"
        return None, [at_mark("load.encoding", file, line, col,
                              f"文件不是 UTF-8 编码，{looks}：请用 UTF-8 编码另存（记事本“另存为”→ 编码选 "
                              "UTF-8）。")]
    return text, []


# --- the tree ------------------------------------------------------------------------------
@dataclass
class LoadResult:
    documents: list[Document] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # pages/-relative path → Markdown
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # content-relative paths of every file seen
    # Files whose text holds a date on the 29th–31st: the only ones whose dates may not exist.
    late_days: set[str] = field(default_factory=set)
    # Files whose text holds a run of 16+ digits or a big exponent: the only ones that may hold a number
    # too large to calculate with (check/rules_numbers.py).
    long_numbers: set[str] = field(default_factory=set)
    # With a parse cache: content-relative path → SHA-256 of the bytes each document was made from (the
    # check layers remember per-document findings by it, check/reuse.py).
    shas: dict[str, str] = field(default_factory=dict)
    # With a parse cache: writes this run's entries (check_tree calls it when the check found no errors).
    write_cache: Callable[[], None] | None = None


def _outside(target: str, content_root: str) -> bool:
    return os.path.commonpath([target, content_root]) != content_root


_OUTSIDE_LINK = "这是指向 content/ 以外（{}）的链接：内容必须放在 content/ 里，请删除链接、放入实际文件。"


def _walk(content_root: Path, result: LoadResult) -> list[tuple[str, str]]:
    """Every regular file under content/ as (content-relative posix path, path), sorted.

    Links are followed only while they stay inside content/; others become findings.
    """
    real_root = os.path.realpath(content_root)
    out: list[tuple[str, str]] = []
    stack = [(str(content_root), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue  # .gitkeep, editor and OS files
                rel = prefix + name
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if _outside(target, real_root):
                        result.findings.append(at_mark("load.symlink-outside", f"{CONTENT}/{rel}", 1, 1,
                                                       _OUTSIDE_LINK.format(target)))
                        continue
                    if os.path.isdir(target):
                        continue  # a link to a folder inside content/: its files are read where they are
                    if not os.path.exists(target):
                        result.findings.append(at_mark("load.unreadable", f"{CONTENT}/{rel}", 1, 1,
                                                       "这个链接指向的文件不存在。"))
                        continue
                    out.append((rel, entry.path))
                elif entry.is_dir():
                    stack.append((entry.path, rel + "/"))
                else:
                    out.append((rel, entry.path))
    out.sort()
    return out


def _unknown_file_message(rel: str) -> str:
    from generator.misplaced import return_home

    home = return_home(f"{CONTENT}/{rel}")
    if home:
        return f"这像是一份月报，但不在月报的文件夹里，不会被读取：请把它移到 {home}。"
    suffix = os.path.splitext(rel)[1].lower()
    if suffix == ".yml":
        return "扩展名应为 .yaml（不是 .yml）：这个文件没有被读取。"
    if suffix in (".xlsx", ".xls", ".doc", ".docx"):
        return "这是 Office 文件，不会被读取：Excel 月报请用 zhiqian import-xlsx 转成 YAML。"
    return ("这个文件不在约定的位置，没有被读取：月报应为 returns/YYYY-MM/单位编号.yaml，"
            "项目为 projects/编号.yaml，线索为 clues/YYYY-MM.yaml，宣传为 publicity/YYYY-MM-DD-名称.yaml。")


_WRONG_SUFFIX = re.compile(r"(?:\.ya?ml)?(?:\.txt|\.yml|\.yaml)$", re.I)


def intended_name(rel: str) -> str:
    """The data file a misnamed file was meant to be: returns/2024-12/a.yml → returns/2024-12/a.yaml."""
    return rel if rel.startswith("pages/") else _WRONG_SUFFIX.sub(".yaml", rel)


def _misnamed(rel: str, content_root: Path) -> Finding | None:
    """A data file saved as .yml, .yaml.txt or .YAML: an error, since its data would silently be lost
    (unless the .yaml file exists too: then this is a stray copy, left to the unknown-file warning)."""
    fixed = intended_name(rel)
    if fixed == rel or kind_of(fixed) is None or os.path.exists(os.path.join(content_root, fixed)):
        return None
    name, want = rel.rsplit("/", 1)[-1], fixed.rsplit("/", 1)[-1]
    hidden = "（Windows 默认隐藏扩展名：请在文件资源管理器的“查看”里勾选“文件扩展名”后再改名）" \
        if rel.lower().endswith(".txt") else ""
    return at_mark("load.wrong-extension", f"{CONTENT}/{rel}", 1, 1,
                   f"文件名“{name}”的扩展名不对，这个文件没有被读取：请改名为“{want}”{hidden}。")


_LATE_DAY = re.compile(r"20[0-9]{2}-(?:0[1-9]|1[0-2])-(?:29|3[01])")
_LONG_NUMBER = re.compile(r"[0-9]{16}|[0-9][eE][-+]?[0-9]{2}")


def load_tree(content_root: Path, cache: Path | None = None,
              hashes: dict[str, str] | None = None) -> LoadResult:
    """Load every file under content_root; never raises for a user's mistake.

    `cache` (a file, see parse_cache.py): reuse the result of files whose bytes are unchanged since the
    run that wrote it, and write this run's; `hashes` (content/… → SHA-256) spares hashing them again."""
    result = LoadResult()
    with gc_pause.paused():  # ~20% of loading was the collector rescanning the loaded dicts
        parsed = None
        if cache is not None:
            from generator.parse_cache import ParseCache

            parsed = ParseCache(cache, hashes)
        for rel, path in _walk(content_root, result):
            load_file(result, content_root, rel, path, parsed)
        if parsed is not None:
            result.write_cache = parsed.pack()
        result.findings.sort(key=lambda f: (f.file, f.line, f.column))
    return result


def load_file(result: LoadResult, content_root: Path, rel: str, path: str, cache=None) -> None:
    """Load one file (content-relative `rel`) into result, as the whole-tree load does; with `cache`
    (a parse_cache.ParseCache), a file whose bytes it knows is not parsed again."""
    documents, findings = result.documents, result.findings
    result.files.append(rel)
    file = f"{CONTENT}/{rel}"
    kind = kind_of(rel)
    if kind is None:
        misnamed = _misnamed(rel, content_root)
        if misnamed is not None:
            findings.append(misnamed)
            return
        suffix = os.path.splitext(rel)[1].lower()
        if rel.startswith("pages/") and suffix in PAGE_SUFFIXES:
            text, problems = read_text(path, file)
            findings.extend(problems)
            if text is not None:
                result.pages[rel[len("pages/"):]] = text
        elif not (rel.startswith("pages/") and suffix in PAGE_ASSETS):
            findings.append(at_mark("load.unknown-file", file, 1, 1, _unknown_file_message(rel),
                                    severity=WARNING))
        return
    entry = sha = raw = None
    if cache is not None:
        entry = cache.known(rel)
    if entry is None:
        raw, problems = _read_bytes(path, file)
        if cache is not None and raw is not None:
            sha = hashlib.sha256(raw).hexdigest()
            entry = cache.lookup(rel, sha)
    if entry is not None:
        _, stored, data, ok, late, long = entry
        findings.extend(Finding(*f) for f in stored)
        if late:
            result.late_days.add(rel)
        if long:
            result.long_numbers.add(rel)
        if ok:
            documents.append(Document(rel=rel, kind=kind, data=data))
            result.shas[rel] = entry[0]
        return
    text, problems = (None, problems) if raw is None else _decode(raw, file)
    if text is None:
        findings.extend(problems)
        if sha is not None:
            cache.store(rel, sha, problems, None, False, False, False)
        return
    late, long = bool(_LATE_DAY.search(text)), bool(_LONG_NUMBER.search(text))
    if late:
        result.late_days.add(rel)
    if long:
        result.long_numbers.add(rel)
    data, problems, ok = parse_text(text, file)
    if ok and " #" in text:
        from generator.comments import cut_text

        problems = problems + cut_text(text, file)
    findings.extend(problems)
    if ok:
        documents.append(Document(rel=rel, kind=kind, data=data))
        if sha is not None:
            result.shas[rel] = sha
    if sha is not None:
        cache.store(rel, sha, problems, data, ok, late, long)


def compose_file(path: Path) -> Any:
    """The root node of a readable YAML file, or None (used to place findings)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        nodes = compose(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return nodes[0] if nodes else None


__all__ = ["ERROR", "LoadResult", "MAX_BYTES", "MAX_MARKS", "MAX_NUMBER_CHARS", "TooLong", "compose_file",
           "intended_name", "load_file", "load_tree", "parse_text",
           "read_text", "resolve_plain"]
