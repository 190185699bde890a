"""Incremental builds (build_cache.py): an output is reused only when its inputs hash the same as at
its last good build, and the build says what it rebuilt and why.

The renderers are stubs that count their calls (the pages themselves are tested elsewhere); the
hashing, the record and the swaps are the real ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _paths import copy_fixture_tree
from click.testing import CliRunner

from generator import build_cache
from generator.build import build
from generator.cli import cli
from generator.errors import BuildFailed
from generator.render import internal, pdf, public

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"
RETURN = "content/returns/2024-08/caizheng.yaml"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return copy_fixture_tree(tmp_path)


@pytest.fixture()
def calls(monkeypatch) -> list[str]:
    made: list[str] = []

    def fake_public(content, tables, out_dir, *, root, strict=False, **_cache):
        made.append("public")
        (Path(out_dir) / "index.html").write_text(f"public {len(made)}", encoding="utf-8")

    def fake_internal(content, tables, prov, out_dir, *, root, **_cache):
        made.append("internal")
        (Path(out_dir) / "index.html").write_text(f"internal {len(made)}", encoding="utf-8")

    def fake_pdf(content, tables, out_dir, *, root):
        made.append("pdf")
        (Path(out_dir) / "bulletins").mkdir(exist_ok=True)
        (Path(out_dir) / "bulletins" / "2024-07-通报.pdf").write_text(f"pdf {len(made)}", encoding="utf-8")

    monkeypatch.setattr(public, "render", fake_public)
    monkeypatch.setattr(internal, "render", fake_internal)
    monkeypatch.setattr(pdf, "render", fake_pdf)
    return made


def _build(root: Path, **kw) -> list[str]:
    lines: list[str] = []
    build(root, reuse=True, log=lines.append, **kw)
    return lines


def _plan(lines: list[str]) -> list[str]:
    """The lines saying, per output, whether it was reused or rebuilt and why."""
    return [line for line in lines if line.split("：")[0] in build_cache.NAMES.values()
            and line.endswith(("生成", "沿用上次结果"))]


def _stamps(root: Path) -> dict[str, tuple[int, int]]:
    files = [*(root / "site").rglob("*"), *(root / "build" / "internal").rglob("*")]
    return {str(f): (f.stat().st_ino, f.stat().st_mtime_ns) for f in files if f.is_file()}


def test_a_rebuild_with_nothing_changed_reuses_every_output_untouched(repo: Path, calls: list[str]) -> None:
    first = _build(repo)
    assert "公开网站：没有上次成功生成的记录，完整生成" in first
    assert calls == ["public", "internal", "pdf"]
    before = _stamps(repo)
    second = _build(repo)
    assert _plan(second) == ["公开网站：未变化，沿用上次结果", "内部网站：未变化，沿用上次结果",
                          "PDF：未变化，沿用上次结果"]
    assert calls == ["public", "internal", "pdf"]  # nothing rendered again
    assert _stamps(repo) == before  # same files, same inodes, same mtimes
    # the last build's warnings are repeated, not lost
    pending = [line for line in first if line.startswith("待核实的事实")]
    assert pending and pending[0] in second


def test_a_changed_return_rebuilds_the_public_and_internal_sites(repo: Path, calls: list[str]) -> None:
    _build(repo)
    ret = repo / RETURN
    ret.write_text(ret.read_text(encoding="utf-8") + "# 补充说明\n", encoding="utf-8")
    lines = _build(repo)
    assert f"公开网站：{RETURN} 等 1 个文件有变化，重新生成" in lines
    assert f"内部网站：{RETURN} 等 1 个文件有变化，重新生成" in lines
    assert calls == ["public", "internal", "pdf"] * 2
    assert (repo / "site" / "index.html").read_text(encoding="utf-8") == "public 4"
    assert _plan(_build(repo))[0] == "公开网站：未变化，沿用上次结果"  # and the new record holds


def test_a_changed_template_or_config_rebuilds(repo: Path, calls: list[str], tmp_path_factory,
                                               monkeypatch) -> None:
    code = tmp_path_factory.mktemp("code") / "generator"
    shutil.copytree(build_cache.GENERATOR, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build_cache, "GENERATOR", code)  # the hashed copy of the code, edited below
    _build(repo)
    template = sorted((code / "render" / "templates" / "public" / "pages").glob("*"))[0]
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rel = template.relative_to(code.parent).as_posix()
    assert f"公开网站：{rel} 等 1 个文件有变化，重新生成" in _build(repo, internal=False, pdf=False)
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "公开网站：mkdocs.yml 等 1 个文件有变化，重新生成" in _build(repo, internal=False, pdf=False)
    assert calls == ["public", "internal", "pdf", "public", "public"]


def test_strict_is_an_input_of_the_public_site(repo: Path, calls: list[str]) -> None:
    _build(repo, internal=False, pdf=False)
    lines = _build(repo, internal=False, pdf=False, strict=True)
    assert _plan(lines) == ["公开网站：--strict 选项有变化，重新生成"]
    assert calls == ["public", "public"]


def test_only_rebuilds_what_it_names_and_the_rest_is_reused_later(repo: Path, calls: list[str]) -> None:
    assert _plan(_build(repo, internal=False, pdf=False)) == ["公开网站：没有上次成功生成的记录，完整生成"]
    assert calls == ["public"]
    lines = _build(repo)
    assert _plan(lines) == ["公开网站：未变化，沿用上次结果", "内部网站：没有上次成功生成的记录，完整生成",
                         "PDF：没有上次成功生成的记录，完整生成"]
    assert calls == ["public", "internal", "pdf"]
    assert _plan(_build(repo, public=False, internal=False)) == ["PDF：未变化，沿用上次结果"]
    # a full rebuild of one part (--full --only internal) keeps the PDFs, and its record
    build(repo, public=False, pdf=False, reuse=False)
    assert (repo / "build/internal/bulletins/2024-07-通报.pdf").read_text(encoding="utf-8") == "pdf 3"
    assert _plan(_build(repo)) == ["公开网站：未变化，沿用上次结果", "内部网站：未变化，沿用上次结果",
                                "PDF：未变化，沿用上次结果"]
    assert calls == ["public", "internal", "pdf", "internal"]


def test_a_failed_build_is_never_reused(repo: Path, calls: list[str], monkeypatch) -> None:
    _build(repo)
    ret = repo / RETURN
    original = ret.read_text(encoding="utf-8")
    ret.write_text(original + "# 补充说明\n", encoding="utf-8")

    def broken(*_a, **_k):
        raise BuildFailed("公开网站生成失败")

    monkeypatch.setattr(public, "render", broken)
    with pytest.raises(BuildFailed):
        _build(repo)
    monkeypatch.undo()
    ret.write_text(original, encoding="utf-8")  # the inputs of the last good build again
    monkeypatch.setattr(public, "render", lambda *_a, **_k: calls.append("public"))
    monkeypatch.setattr(internal, "render", lambda *_a, **_k: calls.append("internal"))
    monkeypatch.setattr(pdf, "render", lambda *_a, **_k: calls.append("pdf"))
    lines = _build(repo)
    assert "公开网站：没有上次成功生成的记录，完整生成" in lines
    assert calls[-3:] == ["public", "internal", "pdf"]


def test_a_deleted_output_is_rebuilt(repo: Path, calls: list[str]) -> None:
    _build(repo, internal=False, pdf=False)
    shutil.rmtree(repo / "site")
    assert _plan(_build(repo, internal=False, pdf=False)) == ["公开网站：site/ 不存在，重新生成"]


def test_the_command_reuses_and_full_rebuilds(repo: Path, calls: list[str]) -> None:
    runner = CliRunner()
    args = ["build", "--only", "public", "--root", str(repo)]
    assert runner.invoke(cli, args).exit_code == 0
    second = runner.invoke(cli, args)
    assert second.exit_code == 0 and "公开网站：未变化，沿用上次结果" in second.output
    full = runner.invoke(cli, [*args, "--full"])
    assert "公开网站：指定了 --full，完整生成" in full.output
    assert calls == ["public", "public"]


def test_file_hashes_are_reused_only_while_a_files_stats_are_the_same(tmp_path: Path, monkeypatch) -> None:
    import os
    import time

    monkeypatch.setattr(build_cache, "RACY_NS", 0)  # the files here are seconds old, not minutes
    store = tmp_path / "stats.json"
    path = tmp_path / "a.yaml"
    path.write_text("workers: 6\n", encoding="utf-8")
    first = build_cache._Known(store)
    sha = first.sha256(str(path))
    first.save()
    # a stored hash that no longer matches the bytes proves the second run did not read the file
    data = build_cache.json.loads(store.read_text(encoding="utf-8"))
    data[str(path)][4] = "remembered"
    store.write_text(build_cache.json.dumps(data), encoding="utf-8")
    assert build_cache._Known(store).sha256(str(path)) == "remembered"

    # same size, mtime put back: the ctime still changed, so the file is read again
    stat = path.stat()
    time.sleep(0.05)
    path.write_text("workers: 7\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = build_cache._Known(store).sha256(str(path))
    assert again not in ("remembered", sha)
    assert again == build_cache.hashlib.sha256(b"workers: 7\n").hexdigest()


def test_a_damaged_stats_file_only_means_every_file_is_read(tmp_path: Path) -> None:
    store = tmp_path / "stats.json"
    store.write_text("{not json", encoding="utf-8")
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x: 1\n")
    assert build_cache._Known(store).sha256(str(path)) == build_cache.hashlib.sha256(b"x: 1\n").hexdigest()


def test_a_file_changed_just_before_the_snapshot_is_not_remembered(tmp_path: Path) -> None:
    store = tmp_path / "stats.json"
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x: 1\n")
    known = build_cache._Known(store)
    known.sha256(str(path))
    known.save()  # written a moment ago: a second change in the same clock tick would look the same
    assert build_cache.json.loads(store.read_text(encoding="utf-8")) == {}
