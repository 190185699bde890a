"""The check stage on bad and good content, one folder per mistake (tests/cases/<case>/).

A case folder holds the bad files laid out like the repository (content/…), laid over a copy of
the shipped content, and case.yaml: the mistake in words, optional `delete`, `links` (path → link
target), `large` (path → size in bytes), `paths` (validate only these), `expect`, the
findings as "file:line code" in report order, and optionally `text`, the exact text report.
A new case is a new folder, not new code.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.check import check_tree
from generator.check.report import run_validate
from generator.findings import CODES

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs
CASES = sorted(p for p in (ROOT / "tests" / "cases").iterdir() if (p / "case.yaml").is_file())
HAN = re.compile(r"[\u4e00-\u9fff]")


def make_tree(case: Path | None, tmp: Path) -> Path:
    """A repository root in tmp: shipped content and schemas, with the case laid over them."""
    root = tmp / "repo"
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copytree(FIXTURE / "schemas", root / "schemas")
    if case is None:
        return root
    manifest = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    for rel in manifest.get("delete", []):
        (root / rel).unlink()
    for src in sorted(case.rglob("*")):
        rel = src.relative_to(case)
        if src.is_file() and rel.as_posix() != "case.yaml":
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, root / rel)
    for rel, target in manifest.get("links", {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)
    for rel, size in manifest.get("large", {}).items():
        head = (root / rel).read_bytes() if (root / rel).exists() else b""
        (root / rel).write_bytes(head + b"# " + b"x" * (size - len(head) - 3) + b"\n")
    return root


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + dirnames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            out[os.path.relpath(p, root)] = (st.st_size, st.st_mtime_ns)
    return out


def run_case(case: Path, tmp: Path):
    """(exit code, parsed JSON report, stderr, root) of `zhiqian validate --format json` on the case."""
    root = make_tree(case, tmp)
    manifest = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    paths = [root / p for p in manifest.get("paths", [])]
    out, err = io.StringIO(), io.StringIO()
    before = snapshot(root)
    with contextlib.redirect_stderr(err):
        rc = run_validate(root, paths, "json", out=out)
    assert snapshot(root) == before, "validate must not write anything"
    data = json.loads(out.getvalue()) if out.getvalue().strip() else None
    return rc, data, err.getvalue(), root


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, tmp_path: Path) -> None:
    manifest = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    rc, data, err, _ = run_case(case, tmp_path)
    assert err == ""
    findings = data["findings"]
    assert [f"{f['file']}:{f['line']} {f['code']}" for f in findings] == manifest["expect"]
    for f in findings:
        assert f["code"] in CODES, f"unregistered code {f['code']}"
        assert f["severity"] in ("error", "warning")
        assert HAN.search(f["message"]), f  # staff read Chinese
    errors = [f for f in findings if f["severity"] == "error"]
    assert rc == (1 if errors else 0)
    if "text" in manifest:  # exactly what the staff member reads
        root = make_tree(case, tmp_path / "again")
        out = io.StringIO()
        run_validate(root, [root / p for p in manifest.get("paths", [])], "text", out=out)
        assert out.getvalue() == manifest["text"]
    if case.name.startswith("good-"):
        assert not errors
    else:
        assert findings, "a bad case must produce findings"


def test_shipped_content_is_clean() -> None:
    result = check_tree(FIXTURE)
    assert [f"{f.file}:{f.line} {f.code} {f.message}" for f in result.findings] == []
    assert len(result.documents) >= 70


def test_every_layer_reports_in_one_run(tmp_path: Path) -> None:
    """A load error, a schema error, a reference error and a rule error come back together, sorted."""
    root = make_tree(None, tmp_path)
    ret = root / "content/returns/2024-10/nongfu.yaml"
    text = ret.read_text(encoding="utf-8")
    text = text.replace("filled_by: tan-yajun", "filled_by: nobody").replace("workers: 18", "workers: many")
    text = text.replace("amount_repaid_yuan: 0", "amount_repaid_yuan: 300000")
    ret.write_text(text, encoding="utf-8")
    (root / "content/clues/2024-09.yaml").write_text("month: 2024-09\nmonth: 2024-09\n", encoding="utf-8")
    result = check_tree(root)
    got = [(f.file, f.line, f.code) for f in result.findings]
    assert got == [
        ("content/clues/2024-09.yaml", 1, "schema.required"),  # clues (sorted by code, then path)
        ("content/clues/2024-09.yaml", 1, "schema.required"),  # sample
        ("content/clues/2024-09.yaml", 2, "load.duplicate-key"),
        ("content/returns/2024-10/nongfu.yaml", 6, "ref.unknown-person"),
        ("content/returns/2024-10/nongfu.yaml", 22, "schema.type"),
        ("content/returns/2024-10/nongfu.yaml", 32, "hazard.repaid-exceeds-owed"),
    ]
    # the clue file with a duplicate key is still checked against its schema
    assert [f.path for f in result.findings[:2]] == ["clues", "sample"]


def test_every_literal_code_in_the_source_is_registered() -> None:
    """Codes are stable names: each one the checks can emit is listed, with its meaning, in CODES."""
    sources = [ROOT / "generator/load.py", ROOT / "generator/yaml_parse.py",
               *sorted((ROOT / "generator/check").glob("*.py"))]
    prefixes = {code.split(".")[0] for code in CODES}
    literal = re.compile(r'"((?:' + "|".join(prefixes) + r')\.[a-z-]+)"')
    used = {m for path in sources for m in literal.findall(path.read_text(encoding="utf-8"))}
    used -= {"responsibilities.yaml", "taskforce.yaml"}  # file names, not codes
    assert used and used <= set(CODES), used - set(CODES)
    assert all(re.fullmatch(r"[a-z]+\.[a-z-]+", code) for code in CODES)


def test_one_broken_file_does_not_flood_the_others(tmp_path: Path) -> None:
    """A project that cannot be read, or a town.yaml of the wrong shape, gives one finding each:
    the returns that refer to them are not reported as pointing at nothing."""
    root = make_tree(None, tmp_path)
    broken = "id: nibaxi-road\nname: [broken\n"
    (root / "content/projects/nibaxi-road.yaml").write_text(broken, encoding="utf-8")
    (root / "content/town.yaml").write_text("- 长江\n- 泥巴溪村\n", encoding="utf-8")
    result = check_tree(root)
    assert [(f.file, f.line, f.code) for f in result.findings] == [
        ("content/projects/nibaxi-road.yaml", 2, "load.syntax"),
        ("content/town.yaml", 1, "schema.type"),
    ]


WEIRD = [None, [], {}, [1, {"a": None}], {"x": [None]}, -5, 10**30, 3.5, "", "zz", True, "2024-02-30", [[]]]


def _scramble(value, rng, p):
    if isinstance(value, dict):
        return {k: rng.choice(WEIRD) if rng.random() < p else _scramble(v, rng, p) for k, v in value.items()}
    if isinstance(value, list):
        return [rng.choice(WEIRD) if rng.random() < p else _scramble(v, rng, p) for v in value]
    return value


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_shape_gives_findings_not_a_crash(tmp_path: Path, seed: int) -> None:
    """Values of every wrong type in every file: the checks report them, they never raise."""
    import random

    rng = random.Random(seed)
    root = make_tree(None, tmp_path)
    for path in sorted((root / "content").rglob("*.yaml")):
        data = _scramble(yaml.safe_load(path.read_text(encoding="utf-8")), rng, 0.3)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = check_tree(root)
    assert result.errors
    assert all(f.code in CODES and f.line >= 1 for f in result.findings if f.code != "load.missing-file")
