"""Provenance: one git log pass → when each return first landed, by whom, and later changes."""

from __future__ import annotations

from pathlib import Path

from _history_repo import HistoryRepo

from generator.provenance import collect, of_return

RET = "content/returns/{month}/{unit}.yaml"


def _ret(repo: HistoryRepo, month: str, unit: str, note: str = "") -> str:
    rel = RET.format(month=month, unit=unit)
    repo.write(rel, f"month: {month}\nunit: {unit}\nhazards: []\n{note}")
    return rel


def test_folder_without_git_gives_empty(tmp_path: Path):
    assert collect(tmp_path) == {}


def test_repository_without_commits_gives_empty(tmp_path: Path):
    HistoryRepo(tmp_path)
    assert collect(tmp_path) == {}


def test_first_landing_and_amendment(tmp_path: Path):
    repo = HistoryRepo(tmp_path)
    _ret(repo, "2024-07", "nibaxi")
    sha1 = repo.commit("2024-07 nibaxi 欠薪隐患排查根治表", "2024-07-20T17:00:00+08:00", "nibaxi-clerk")
    _ret(repo, "2024-07", "nibaxi", "notes: 更正\n")
    sha2 = repo.commit("2024-07 nibaxi 更正：金额", "2024-08-02T09:30:00+08:00", "office")

    prov = collect(tmp_path)
    entry = prov["returns/2024-07/nibaxi.yaml"]
    assert entry["landed"]["date"] == "2024-07-20"
    assert entry["landed"]["author"] == "nibaxi-clerk"
    assert entry["landed"]["sha"] == sha1
    assert entry["landed"]["subject"] == "2024-07 nibaxi 欠薪隐患排查根治表"
    assert [(a["date"], a["author"], a["sha"], a["subject"]) for a in entry["amendments"]] == [
        ("2024-08-02", "office", sha2, "2024-07 nibaxi 更正：金额")]
    assert of_return(prov, "2024-07", "nibaxi") is entry
    assert of_return(prov, "2024-07", "yangliu") is None


def test_date_is_the_day_as_committed_in_its_time_zone(tmp_path: Path):
    repo = HistoryRepo(tmp_path)
    _ret(repo, "2024-07", "a")
    repo.commit("a", "2024-07-26T00:30:00+08:00")  # still 25 July in UTC
    assert collect(tmp_path)["returns/2024-07/a.yaml"]["landed"]["date"] == "2024-07-26"


def test_merged_pull_request_lands_on_the_merge_day(tmp_path: Path):
    repo = HistoryRepo(tmp_path)
    repo.write("README.md", "x\n")
    repo.commit("init", "2024-08-01T10:00:00+08:00")
    repo.git("checkout", "-q", "-b", "pr")
    _ret(repo, "2024-08", "jingfa")
    repo.commit("2024-08 jingfa", "2024-08-20T10:00:00+08:00", "jingfa-clerk")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "pr", "-m", "合并 jingfa 月报", date="2024-08-27T15:00:00+08:00",
             author="office")
    merge_sha = repo.git("rev-parse", "HEAD")

    entry = collect(tmp_path)["returns/2024-08/jingfa.yaml"]
    assert entry["landed"]["date"] == "2024-08-27"
    assert entry["landed"]["sha"] == merge_sha
    assert entry["amendments"] == []


def test_rename_keeps_the_first_landing(tmp_path: Path):
    repo = HistoryRepo(tmp_path)
    _ret(repo, "2024-09", "wrong")
    repo.commit("add", "2024-09-20T10:00:00+08:00")
    repo.git("mv", "content/returns/2024-09/wrong.yaml", "content/returns/2024-09/right.yaml")
    repo.commit("rename", "2024-09-28T10:00:00+08:00")

    prov = collect(tmp_path)
    assert "returns/2024-09/wrong.yaml" not in prov
    entry = prov["returns/2024-09/right.yaml"]
    assert entry["landed"]["date"] == "2024-09-20"
    assert [a["date"] for a in entry["amendments"]] == ["2024-09-28"]


def test_deleted_return_is_marked(tmp_path: Path):
    repo = HistoryRepo(tmp_path)
    rel = _ret(repo, "2024-10", "a")
    repo.commit("add", "2024-10-20T10:00:00+08:00")
    (tmp_path / rel).unlink()
    repo.commit("delete", "2024-10-22T10:00:00+08:00")
    assert collect(tmp_path)["returns/2024-10/a.yaml"]["deleted"] is True


def test_only_return_files_count(tmp_path: Path):
    repo = HistoryRepo(tmp_path)
    _ret(repo, "2024-07", "a")
    repo.write("content/projects/p.yaml", "id: p\n")
    repo.write("content/returns/2024-07/README.md", "说明\n")
    repo.commit("mixed", "2024-07-10T10:00:00+08:00")
    assert list(collect(tmp_path)) == ["returns/2024-07/a.yaml"]


def test_root_below_the_repository_top(tmp_path: Path):
    repo = HistoryRepo(tmp_path)
    _ret(repo, "2024-07", "a")  # outside sub/: not ours
    repo.write("sub/content/returns/2024-07/b.yaml", "month: 2024-07\n")
    repo.commit("both", "2024-07-10T10:00:00+08:00")
    assert list(collect(tmp_path / "sub")) == ["returns/2024-07/b.yaml"]


def test_chinese_file_names_are_not_quoted(tmp_path: Path):
    repo = HistoryRepo(tmp_path)
    repo.write("content/returns/2024-07/示例.yaml", "month: 2024-07\n")
    repo.commit("中文文件名", "2024-07-10T10:00:00+08:00")
    assert list(collect(tmp_path)) == ["returns/2024-07/示例.yaml"]


def test_shallow_clone_leaves_out_what_it_cannot_know(tmp_path: Path):
    repo = HistoryRepo(tmp_path / "origin")
    _ret(repo, "2024-07", "a")
    repo.commit("a", "2024-07-20T10:00:00+08:00")
    _ret(repo, "2024-08", "b")
    repo.commit("b", "2024-08-20T10:00:00+08:00")
    _ret(repo, "2024-09", "c")
    repo.commit("c", "2024-09-20T10:00:00+08:00")
    _ret(repo, "2024-08", "b", "notes: 更正\n")
    repo.commit("b 更正", "2024-09-22T10:00:00+08:00")

    full = collect(tmp_path / "origin")
    assert sorted(full) == ["returns/2024-07/a.yaml", "returns/2024-08/b.yaml", "returns/2024-09/c.yaml"]
    clone = tmp_path / "clone"
    HistoryRepo(tmp_path, init=False).git("clone", "-q", "--depth", "3", (tmp_path / "origin").as_uri(),
                                          str(clone))
    shallow = collect(clone)
    # the boundary commit ("b") shows every file as new: a and b have no known landing;
    # c landed after it, and the later amendment of b does not make b look newly landed
    assert list(shallow) == ["returns/2024-09/c.yaml"]
    assert shallow["returns/2024-09/c.yaml"]["landed"]["date"] == "2024-09-20"
