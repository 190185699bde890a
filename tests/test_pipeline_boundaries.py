"""The pipeline's boundaries (load → check → provenance → analyse → render), read from the source with ast.

- load never imports check: findings and hints live outside both (generator/findings.py, hints.py);
- check never imports render (or analyse): findings do not depend on how pages look, and it uses
  load only through its public API (load_tree, compose_file, intended_name);
- analyse never imports render or check;
- render never reads YAML, never calls git and never imports load, check or provenance:
  it gets checked records and analysed tables;
- workflow (check-pr, Excel, scaffolding) never imports render.
A failure names the file and line of the import or call that crosses a boundary.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs
PACKAGE = ROOT / "generator"


def _modules(folder: str) -> list[Path]:
    """The modules of a stage: a package folder ("check") or a single module ("load.py")."""
    if folder.endswith(".py"):
        return [PACKAGE / folder]
    return sorted((PACKAGE / folder).rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) for every import in the file, including those inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import: resolve against this file's package
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            out.append((node.lineno, base))
            out += [(node.lineno, f"{base}.{a.name}") for a in node.names]
    return out


def _crossings(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in _modules(folder):
        for line, name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


def test_render_reads_no_yaml_and_calls_no_git_through_imports():
    assert _crossings("render", ("yaml", "ruamel", "git", "pygit2", "generator.load", "generator.check",
                                 "generator.provenance", "generator.workflow", "generator.build")) == []


def _runs_git(call: ast.Call) -> bool:
    """subprocess.run(["git", …]) / Popen("git log …") / os.system("git …"), spelled any of those ways."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name not in ("run", "Popen", "call", "check_call", "check_output", "system", "popen", "getoutput"):
        return False
    first = call.args[0] if call.args else None
    if isinstance(first, (ast.List, ast.Tuple)) and first.elts:
        first = first.elts[0]
    return isinstance(first, ast.Constant) and isinstance(first.value, str) and (
        first.value == "git" or first.value.startswith("git "))


def test_render_runs_no_git_command():
    """subprocess is allowed (fc-list finds fonts), but never with git."""
    found = []
    for path in _modules("render"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _runs_git(node):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_the_git_call_scan_sees_the_usual_spellings():
    for source in ('subprocess.run(["git", "log"])', 'Popen("git log --follow x")',
                   'os.system("git status")'):
        assert _runs_git(ast.parse(source).body[0].value), source
    assert not _runs_git(ast.parse('subprocess.run(["fc-list", "--format", "git"])').body[0].value)


def test_render_opens_no_content_file():
    """Render gets records, not files: no .yaml / .yml name or glob (mkdocs' own config aside)."""
    found = []
    for path in _modules("render"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                v = node.value
                if v.endswith((".yaml", ".yml")) and v != "mkdocs.yml":
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {v!r}")
    assert found == []


def test_load_never_imports_check_or_later_stages():
    assert _crossings("load.py", ("generator.check", "generator.analyse", "generator.render",
                                  "generator.workflow", "generator.provenance")) == []


def test_check_uses_load_only_through_its_public_api():
    # load_file, parse_text and LoadResult: the pull-request check loads single files (check/partial.py)
    public = {"generator.load", "generator.load.load_tree", "generator.load.compose_file",
              "generator.load.intended_name", "generator.load.load_file", "generator.load.parse_text",
              "generator.load.LoadResult"}
    used = [f"{path.relative_to(ROOT)}:{line} imports {name}" for path in _modules("check")
            for line, name in _imports(path) if name.startswith("generator.load") and name not in public]
    assert used == []


def test_workflow_never_imports_render():
    assert _crossings("workflow", ("generator.render", "generator.build")) == []


NOT_YET_CLEAN: set[str] = set()  # render modules allowed to call analyse for now: none
ALLOWED_FROM_ANALYSE = ("generator.analyse", "generator.analyse.Tables")


def test_render_takes_only_the_tables_type_from_analyse():
    """render lays out what analyse computed: it may name the Tables type, call no analyse function."""
    found = [f"{path.relative_to(ROOT)}:{line} imports {name}" for path in _modules("render")
             if str(path.relative_to(ROOT)) not in NOT_YET_CLEAN
             for line, name in _imports(path)
             if name.startswith("generator.analyse") and name not in ALLOWED_FROM_ANALYSE]
    assert found == []


def test_the_render_scan_sees_an_analyse_function(tmp_path, monkeypatch):
    fake = tmp_path / "generator" / "render"
    fake.mkdir(parents=True)
    source = ("from generator.analyse import Tables\n"
              "def f():\n    from generator.analyse.hazards import totals\n")
    (fake / "x.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "generator")
    with pytest.raises(AssertionError, match="generator/render/x.py:3 imports generator.analyse.hazards"):
        test_render_takes_only_the_tables_type_from_analyse()


def test_check_never_imports_render_or_analyse():
    # analyse/dates.py is the one home of months and closing days, "read by analyse/, workflow/ and check/"
    # (its docstring): the time rule (check/rules_time.py) asks it when a month closed. Nothing else.
    shared = "generator.analyse.dates"
    found = _crossings("check", ("generator.render", "generator.analyse", "generator.privacy"))
    assert [f for f in found if not f.endswith((f" imports {shared}", " imports generator.analyse"))
            or "rules_time.py" not in f] == []


def test_analyse_never_imports_render_check_or_load():
    assert _crossings("analyse", ("generator.render", "generator.check", "generator.load", "yaml", "git",
                                  "generator.provenance")) == []


X = "generator/render/x.py"


@pytest.mark.parametrize("source, expected", [
    ("import yaml\n", [f"{X}:1 imports yaml"]),
    ("def f():\n    from generator.check import rules\n",
     [f"{X}:2 imports generator.check", f"{X}:2 imports generator.check.rules"]),
    ("from ..load import load_tree\n",
     [f"{X}:1 imports generator.load", f"{X}:1 imports generator.load.load_tree"]),
    ("from git import Repo\n", [f"{X}:1 imports git", f"{X}:1 imports git.Repo"]),
    ("from generator.analyse import hazards\nimport yamlish\n", []),
])
def test_the_import_scan_sees_every_spelling(tmp_path, monkeypatch, source, expected):
    """Control: the scan above does catch imports inside functions, relative ones and from-imports."""
    fake = tmp_path / "generator" / "render"
    fake.mkdir(parents=True)
    (fake / "x.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "generator")
    assert _crossings("render", ("yaml", "git", "generator.load", "generator.check")) == expected


# ------------------------------------------------------------------ one rule, one place


def test_internal_site_links_exactly_the_pdfs_the_pdf_stage_writes(tmp_path):
    """The names come from analyse (document_names) whether or not this build makes PDFs."""
    from generator.analyse import analyse
    from generator.analyse.gongwen import LOOKBACK, MONTHLY
    from generator.build import load_checked

    content = load_checked(FIXTURE)
    tables = analyse(content, {})
    links_by_kind = {LOOKBACK: tables.pdf_links.quarters, MONTHLY: tables.pdf_links.monthly}
    for kind, links in links_by_kind.items():
        written = {d.filename for d in tables.documents if d.kind == kind}
        assert written  # the sample spans at least one month and one ended quarter
        assert {link.href.removeprefix("bulletins/") for link in links} == written
    posters = {f"posters/{p['id']}.pdf" for p in tables.posters}
    assert {link.href for link in tables.pdf_links.posters} == posters


def test_dashboard_list_and_count_of_projects_below_target_agree():
    """The 'not chased once completed' rule lives in analyse; the dashboard's list and its count use it."""
    import copy

    from generator.analyse import analyse
    from generator.analyse import projects as project_analysis
    from generator.build import load_checked
    from generator.render import internal_view

    content = copy.deepcopy(load_checked(FIXTURE))
    done = content.projects["school-track"]
    done.update(status="完工", completed_on="2024-12-01",
                platform={**(done.get("platform") or {}), "qualifies": True, "connected": False})
    tables = analyse(content, {})
    assert bool(tables.projects.set_index("project").loc["school-track", "below_target"])
    dash = internal_view.dashboard(content, tables)  # lays out tables.attention and tables.yijin_sanzhi
    listed = [r["project"] for r in dash["attention"]["below"]]
    assert "school-track" not in listed
    expected = len(project_analysis.below_target_active(tables.projects))
    assert len(listed) == dash["projects"]["below_target"] == expected > 0


# ------------------------------------------------------------------ modules stay small

# Longer modules, each with the reason it is still long (README's module map says the same).
LONG_MODULES = {
    "generator/workflow/xlsx.py": "export and import in one module; to split after the validation work lands",
}


def test_no_module_over_400_lines_without_a_reason():
    long = {str(path.relative_to(ROOT)): n for path in sorted(PACKAGE.rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert {path: n for path, n in long.items() if path not in LONG_MODULES} == {}
