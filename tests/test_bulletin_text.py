"""What an issued 通报 and 回头看 report say, read back from the PDF text (issue 11): a missing return is
chased in every later 通报 until it lands, each demand appears once in 工作要求, and no internal note or
id reaches the printed text."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from generator import provenance
from generator.analyse import analyse
from generator.build import load_checked
from generator.render import pdf

PICK = ["2024-10-通报", "2024-11-通报", "2024-12-通报", "2024-Q3-回头看", "2024-Q4-回头看"]
INTERNAL_NOTES = ["名称近似", "请核对", "（编号）", "（名称）", "c-2024-", "c-2025-", "other:", "未匹配"]


@pytest.fixture(scope="module")
def texts(tmp_path_factory, fixture_history) -> dict[str, str]:
    content = load_checked(fixture_history)
    tables = analyse(content, provenance.collect(fixture_history))
    base = tmp_path_factory.mktemp("text")
    jobs = [j for j in pdf.jobs(tables) if Path(j.rel).stem in PICK]
    pdf.render_jobs(jobs, base / "out", base / "cache")
    out = {}
    for name in PICK:
        raw = subprocess.run(["pdftotext", str(base / "out" / "bulletins" / f"{name}.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
        out[name] = re.sub(r"\s+", "", raw)
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("name", "days"),
                         [("2024-10-通报", 41), ("2024-11-通报", 72), ("2024-12-通报", 103)])
def test_a_missing_return_is_chased_every_month_until_it_lands(texts, name, days):
    text = texts[name]
    assert f"此前月份至今仍未报送：杨柳（2024年9月，已逾期{days}天）。" in text
    assert "杨柳：补报2024年9月欠薪隐患排查根治表，并说明未按时报送的原因" in text


@pytest.mark.slow
@pytest.mark.parametrize("name", PICK)
def test_each_demand_appears_once_and_no_internal_note_is_printed(texts, name):
    text = texts[name]
    for note in INTERNAL_NOTES:
        assert note not in text, (name, note)
    asks = re.split(r"\d+．", text.split("工作要求", 1)[1])[1:]
    asks = [a.split("前完成。")[0] for a in asks]
    assert asks and len(asks) == len(set(asks))
    projects = re.findall(r"督促(.+?（示例）)", "".join(asks))
    assert len(projects) == len(set(projects)), projects  # one demand per project


@pytest.mark.slow
def test_platform_and_overdue_rectification_of_one_project_are_one_demand(texts):
    text = texts["2024-12-通报"]
    assert text.count("长江码头护岸整治工程（示例）将平台运行率提高到100%") == 1
    assert "符合条件但未接入监控预警平台”" not in text.split("工作要求", 1)[1]
