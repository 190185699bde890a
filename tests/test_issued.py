"""Issued documents are records (issue 11): `zhiqian issue` writes the register entry; a later amendment
leaves the issued PDF byte for byte as it was and is listed as 更正 in the next 通报; unissued months are
drafts without a number; no document for a month whose due day has not passed."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from _history_repo import shipped_copy
from click.testing import CliRunner

from generator import provenance
from generator.analyse import analyse
from generator.build import load_checked
from generator.cli import cli
from generator.render import pdf


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", "", out.stdout)


def _render(root: Path, keys: list[str], out: Path) -> dict[str, Path]:
    """The bulletins `keys` as a build makes them (fresh render cache: nothing reused)."""
    content = load_checked(root)
    tables = analyse(content, provenance.collect(root))
    wanted = {f"bulletins/{k}-通报.pdf" for k in keys}
    jobs = [j for j in pdf.jobs(tables) if j.rel in wanted]
    assert len(jobs) == len(keys)
    pdf.render_jobs(jobs, out / "out", out / "cache")
    return {k: out / "out" / "bulletins" / f"{k}-通报.pdf" for k in keys}


def _set(repo, rel: str, pattern: str, new: str) -> None:
    path = repo.path / rel
    text = path.read_text(encoding="utf-8")
    assert re.search(pattern, text, flags=re.M), (rel, pattern)
    changed = re.sub(pattern, new, text, count=1, flags=re.M)
    path.write_text(changed, encoding="utf-8")


@pytest.fixture()
def repo(tmp_path):
    repo = shipped_copy(tmp_path / "repo")
    _set(repo, "content/settings.yaml", r"^as_of:.*$", "as_of: '2025-01-20'")  # owns its "today"
    repo.commit("数据", "2025-01-20T10:00:00+08:00")
    return repo


@pytest.mark.slow
def test_an_amendment_after_issue_leaves_the_pdf_and_adds_a_correction_to_the_next_bulletin(repo, tmp_path):
    result = CliRunner().invoke(cli, ["issue", "2024-08", "--root", str(repo.path)])
    assert result.exit_code == 0, result.output
    register = repo.path / "content" / "issued" / "2024-08.yaml"
    record = load_checked(repo.path).issued["2024-08"]
    assert record["number"] == "兴义治欠专班〔2024〕1号" and record["issued_on"] == "2024-09-05"
    assert record["commit"] == repo.git("rev-parse", "HEAD")
    kept = repo.path / "build" / "issued" / "2024-08-通报.pdf"  # the copy as issued, for the archive
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == record["sha256"]
    repo.commit("印发 2024-08 通报", "2025-01-20T11:00:00+08:00")
    before = _render(repo.path, ["2024-08", "2024-09"], tmp_path / "b1")
    issued_bytes = before["2024-08"].read_bytes()
    assert hashlib.sha256(issued_bytes).hexdigest() == record["sha256"]
    text = _text(before["2024-08"])
    assert "兴义治欠专班〔2024〕1号" in text and "草稿" not in text
    assert "涉及农民工12人、金额15.6万元" in text
    assert "草稿" in _text(before["2024-09"]) and "更正" not in _text(before["2024-09"])

    # changjiang corrects its closed August return after the 通报 was issued: 12 → 14 workers, fractions
    rel = "content/returns/2024-08/changjiang.yaml"
    _set(repo, rel, r"^  workers: 12$", "  workers: 14")
    _set(repo, rel, r"^  amount_owed_yuan: 156000$", "  amount_owed_yuan: 182000.5")
    with open(repo.path / rel, "a", encoding="utf-8") as f:
        f.write("- date: '2025-01-15'\n  by: changjiang-clerk\n  reason: 核实后涉及人数更正为 14 人\n")
    repo.commit("2024-08 changjiang 更正", "2025-01-20T12:00:00+08:00")

    after = _render(repo.path, ["2024-08", "2024-09"], tmp_path / "b2")
    assert after["2024-08"].read_bytes() == issued_bytes  # byte for byte: text and SHA-256 unchanged
    assert hashlib.sha256(after["2024-08"].read_bytes()).hexdigest() == record["sha256"]
    assert register.read_text(encoding="utf-8") == (repo.path / "content/issued/2024-08.yaml").read_text(
        encoding="utf-8")
    nxt = _text(after["2024-09"])
    assert "五、更正" in nxt and "六、工作要求" in nxt
    doc = "《关于2024年8月根治欠薪工作情况的通报》（兴义治欠专班〔2024〕1号）"
    assert f"1．{doc}：涉及农民工人数由12人更正为14人；涉及金额由15.6万元更正为18.2万元；" in nxt
    assert "“长江码头护岸整治工程（示例）”欠薪隐患人数由12人更正为14人" in nxt
    # the basis: the amendment registered after issue (not the one of 2024-09-10, before it)
    assert "依据：长江2025年1月15日更正：核实后涉及人数更正为14人。" in nxt
    assert nxt.count(doc) == 1


def test_issuing_twice_or_a_month_not_yet_due_is_refused(repo):
    runner = CliRunner()
    ok = runner.invoke(cli, ["issue", "2024-12", "--root", str(repo.path)])
    assert ok.exit_code == 0, ok.output
    repo.commit("印发", "2025-01-20T11:00:00+08:00")
    again = runner.invoke(cli, ["issue", "2024-12", "--root", str(repo.path)])
    assert again.exit_code == 2
    assert "2024-12 已于2025-01-06印发（兴义治欠专班〔2025〕1号），不能重新印发" in again.output
    later = runner.invoke(cli, ["issue", "2025-01", "--root", str(repo.path)])
    assert later.exit_code == 2 and "还没有可以印发的文件" in later.output
    (repo.path / "content" / "settings.yaml").write_text(
        (repo.path / "content" / "settings.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    dirty = runner.invoke(cli, ["issue", "2024-11", "--root", str(repo.path)])
    assert dirty.exit_code == 2 and "content/ 有未提交的修改" in dirty.output


def test_unissued_documents_are_drafts_without_a_number(repo):
    tables = analyse(load_checked(repo.path), {})
    assert tables.documents and all(not d.issued and d.number == "" for d in tables.documents)
    html = pdf.document_html(tables.documents[0])
    assert "草稿（征求意见稿，未印发）" in html and "（草稿，印发时编号）" in html


def test_no_document_for_a_month_whose_due_day_has_not_passed(repo):
    """as_of on the due day of December: the December return is not yet late, so no December 通报."""
    content = load_checked(repo.path)
    content.settings["as_of"] = "2024-12-25"
    keys = {d.key for d in analyse(content, {}).documents}
    assert "2024-11" in keys and "2024-12" not in keys
    content.settings["as_of"] = "2024-12-26"
    assert "2024-12" in {d.key for d in analyse(content, {}).documents}


# ----------------------------------------------------------------------------- dates of issue
def test_issue_dates_fall_on_working_days_with_holidays_and_adjusted_weekends(repo):
    from datetime import date

    from generator.analyse import dates
    from generator.analyse.gongwen import issue_date

    content = load_checked(repo.path)
    settings = content.settings
    for doc in analyse(content, {}).documents:
        assert dates.is_working_day(date.fromisoformat(doc.issued_on)), doc.key
    assert issue_date("2024-07", settings) == date(2024, 8, 5)  # closes Sunday 8-04 → Monday
    assert issue_date("2024-09", settings) == date(2024, 10, 8)  # closes 10-05, inside 国庆 (10-01…07)
    assert issue_date("2024-12", settings) == date(2025, 1, 6)  # closes Saturday 1-04 → Monday
    assert dates.working_day_after(date(2024, 9, 28)) == date(2024, 9, 29)  # a 调休 Sunday is worked
    settings["bulletin"]["issue_working_day"] = 3  # the rule is a setting
    assert issue_date("2024-09", settings) == date(2024, 10, 10)


def test_a_year_without_holiday_data_falls_back_to_weekends_with_a_warning(monkeypatch):
    from datetime import date

    import chinese_calendar

    from generator.analyse import dates

    def unknown(_day):
        raise NotImplementedError("no available data for year 2031")

    monkeypatch.setattr(chinese_calendar, "is_workday", unknown)
    monkeypatch.setattr(dates, "_UNKNOWN_YEARS", set())
    assert dates.working_day_after(date(2031, 1, 31)) == date(2031, 2, 3)  # Friday → Monday
    assert dates.calendar_warnings() == [
        "提示：chinese-calendar 软件包还没有2031年的节假日和调休安排，2031年的印发日只避开了周末；"
        "请升级该软件包（pip install -U chinese-calendar）后重新生成。"]
