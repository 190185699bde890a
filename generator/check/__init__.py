"""The check stage: load → schema → references → rules. Every finding of a run is reported together.

Layers live in their own modules (schema.py, refs.py, rules.py); each takes the loaded documents
and yields Findings (generator/findings.py); generator/reporters.py prints them. report.py is `validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator import gc_pause
from generator.findings import Finding, SplitFindings
from generator.load import LoadResult, load_tree
from generator.model import Document
from generator.paths import CONTENT, SCHEMAS


@dataclass
class CheckResult(SplitFindings):
    documents: list[Document]
    pages: dict[str, str]
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # repo-relative paths the findings cover


def check_tree(root: Path, paths: list[Path] | None = None, *, place_warnings: bool = True,
               cache: Path | None = None, hashes: dict[str, str] | None = None) -> CheckResult:
    """Load and check root/content. With `paths` (files or folders under content/), report findings
    for those files only, still using the whole tree as context for references.

    `place_warnings=False` leaves warnings without line and column (`place` adds them later): placing
    composes each file again, and a build, which shows findings only when errors stop it, would pay that
    for thousands of warnings in a county.

    `cache` and `hashes`: the parse cache of unchanged files (load.load_tree, parse_cache.py); a whole-tree
    run with a cache also reuses the findings of unchanged documents (reuse.py, kept beside it)."""
    root = Path(root)
    loaded = load_tree(root / CONTENT, cache, hashes)
    reuse = None
    if cache is not None and paths is None:
        from generator.check.reuse import CheckReuse
        from generator.parse_cache import FINDINGS_FILE

        reuse = CheckReuse(Path(cache).with_name(FINDINGS_FILE.name))
    extra: list[Finding] = []
    if paths is None:  # a whole-tree run also looks for returns saved outside content/
        from generator.misplaced import outside_content

        extra = outside_content(root)
    keep = None
    if paths is not None:
        wanted = _selection(root, paths)
        keep = lambda f: any(f == w or f.startswith(w + "/") for w in wanted)  # noqa: E731
    result = check_loaded(root, loaded, keep, extra, place_warnings=place_warnings, reuse=reuse)
    if not result.errors:  # only after a check without errors: bad content leaves every file as it was
        if loaded.write_cache is not None:
            loaded.write_cache()
        if reuse is not None:
            reuse.write()
    return result


def check_loaded(root: Path, loaded: LoadResult, keep=None, extra: list[Finding] = (), *,
                 place_warnings: bool = True, reuse=None) -> CheckResult:
    """The check layers on what was loaded (the whole tree, or the files a pull request needs); with
    `keep` (repository-relative path → bool), only the findings and files it keeps are reported.
    `reuse` (a reuse.CheckReuse, whole tree only): findings of unchanged documents are taken from it."""
    with gc_pause.paused():  # ~15% of the layers' time was the collector rescanning the loaded content
        return _check_loaded(root, loaded, keep, extra, place_warnings, reuse)


def _check_loaded(root: Path, loaded: LoadResult, keep, extra, place_warnings: bool, reuse) -> CheckResult:
    # the layers: loaded on first use
    from generator.check import (
        public_side,
        refs,
        rules,
        rules_ledger,
        rules_numbers,
        rules_roster,
        rules_status,
        rules_time,
        schema,
    )
    from generator.check.positions import Positions
    from generator.public_fields import load_schemas

    if keep is not None:  # remembered findings cover whole trees only
        reuse = None
    findings: list[Finding] = [*loaded.findings, *extra]
    ctx = refs.Context.build(loaded.documents, loaded.files)
    findings.extend(refs.missing_singletons(ctx, loaded.files))
    positions = Positions(root)
    schemas = load_schemas(root / SCHEMAS)
    published = public_side.published_of(loaded.documents, schemas)
    # The layers that judge each document on its own need only the reported ones (clue ids are compared
    # across every clue file) and, with `reuse`, only those whose findings are not remembered; the others
    # compare documents with one another and see all that was loaded.
    own = loaded.documents if keep is None else \
        [d for d in loaded.documents if d.kind == "clues" or keep(f"{CONTENT}/{d.rel}")]
    remembered: dict[str, list[Finding]] = {}
    if reuse is not None:
        remembered = reuse.start(root, own, loaded.files, loaded.shas, published)
    judged = [d for d in own if d.rel not in remembered] if remembered else own
    each: list[Finding] = []
    each.extend(schema.check(judged, root / SCHEMAS, positions))
    each.extend(refs.check(judged, ctx))
    each.extend(rules.check(judged, ctx, loaded.late_days))
    each.extend(rules_time.check(judged, ctx))
    each.extend(rules_numbers.check(judged, loaded.long_numbers))
    each.extend(rules_ledger.each(judged, ctx))
    each.extend(rules_status.each(judged, ctx))
    each.extend(public_side.scan_records(judged, schemas, published))
    if reuse is not None:
        reuse.remember(judged, loaded.shas, each)
    findings.extend(each)
    for remembered_findings in remembered.values():
        findings.extend(remembered_findings)
    # The rules comparing returns: with `reuse`, only the months whose returns (or the month before's)
    # changed.
    months: dict[str, list[Finding]] = {}
    judge_months = None
    if reuse is not None:
        months, judge_months = reuse.months(loaded.documents, loaded.shas)
    between = [*rules_ledger.across(loaded.documents, ctx, judge_months),
               *rules_status.across(loaded.documents, ctx, judge_months)]
    if reuse is not None:
        reuse.remember_months(judge_months, between)
    findings.extend(between)
    for remembered_findings in months.values():
        findings.extend(remembered_findings)
    findings.extend(rules_roster.check(loaded.documents, ctx))
    findings.extend(public_side.scan_pages(loaded.documents, loaded.pages, published, keep))

    files = [f"{CONTENT}/{rel}" for rel in loaded.files]
    if keep is not None:
        findings = [f for f in findings if keep(f.file)]
        files = [f for f in files if keep(f)]
    findings = rules_numbers.one_per_value(rules_time.one_per_mistake(_one_per_value(findings)))
    findings = _name_syntax_fields(findings, root)
    if place_warnings:
        findings = positions.resolve(findings)
    else:
        warnings = [f for f in findings if not f.is_error]
        findings = positions.resolve([f for f in findings if f.is_error]) + warnings
    findings = sorted(findings, key=Finding.sort_key)
    return CheckResult(documents=loaded.documents, pages=loaded.pages, findings=findings, files=files)


def place(root: Path, findings: list[Finding]) -> list[Finding]:
    """Findings with the line and column of each (those check_tree left unplaced), sorted."""
    from generator.check.positions import Positions

    return sorted(Positions(Path(root)).resolve(findings), key=Finding.sort_key)


_UNKNOWN_ID = ("ref.unknown-unit", "ref.unknown-person", "ref.unknown-project", "ref.unknown-enterprise")


def _one_per_value(findings: list[Finding]) -> list[Finding]:
    """An id that names nothing is reported once, by the reference layer (it can say which id was
    meant), not again as a badly formed id."""
    refs = {(f.file, f.path) for f in findings if f.code in _UNKNOWN_ID}
    if not refs:
        return findings
    return [f for f in findings if not (f.code == "schema.pattern" and (f.file, f.path) in refs)]


def _name_syntax_fields(findings: list[Finding], root: Path) -> list[Finding]:
    """A syntax error on a field's line names the field by its Chinese title (the loader knows no schema)."""
    import json
    from dataclasses import replace

    from generator import hints
    from generator.paths import CONTENT, SCHEMAS, kind_of

    out, names = [], {}
    for f in findings:
        kind = kind_of(f.file[len(CONTENT) + 1:]) if f.code == "load.syntax" and f.line else None
        if kind is not None:
            try:
                if kind not in names:
                    schema = json.loads((root / SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
                    names[kind] = hints.titles(schema)
                lines = (root / f.file).read_bytes().decode("utf-8-sig").split("\n")
            except (OSError, ValueError):
                lines = []
            field = hints.line_field(lines[f.line - 1], names.get(kind, {})) if f.line <= len(lines) else None
            if field and f.message.startswith("YAML 语法错误："):
                f = replace(f, message=f"YAML 语法错误，字段{field}：{f.message[len('YAML 语法错误：'):]}")
        out.append(f)
    return out


def _selection(root: Path, paths: list[Path]) -> list[str]:
    """Repo-relative posix forms of the selected paths (no trailing slash)."""
    import os

    base = os.path.abspath(root)
    out = []
    for p in paths:
        rel = os.path.relpath(os.path.abspath(p), base).replace(os.sep, "/")
        out.append(rel.rstrip("/") if rel != "." else "")
    return out
