"""The staff web form in Debian's Chromium: a first-time clerk files the 2025-01 return of a village with one
hazard and of a department as a 零报告, against decap-server in git mode on a repository made from the
fixture tree. What lands on the branch must pass `zhiqian validate` and `zhiqian check-pr` for that unit's
account. Nothing may be fetched from outside 127.0.0.1. Screenshots for the how-to page go to
build/form-screenshots/ (git-ignored; the build puts them in the how-to)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import _cms
import pytest

pytestmark = pytest.mark.skipif(not (_cms.cms.bundle_dir(_cms.FIXTURE) / "decap-cms.js").is_file(),
                                reason="Decap CMS 未安装（.ci/setup 安装 cms/node_modules）")

SHOTS = Path(__file__).resolve().parents[2] / "build" / "form-screenshots"  # git-ignored
MONTH = "2025-01"


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    base = tmp_path_factory.mktemp("form")
    repo = _cms.make_repo(base / "repo")
    with _cms.running_form(repo, base / "web") as url:
        yield repo, url


class Clerk:
    """A scripted first-time clerk; counts what a person would do (clicks, fields typed)."""

    def __init__(self, page):
        self.page, self.clicks, self.typed = page, 0, 0
        self.started = time.monotonic()

    def record(self, name: str) -> None:
        """Steps and seconds of this scripted run, for the report (never asserted: the machine is shared)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / f"steps-{name}.json").write_text(json.dumps(
            {"clicks": self.clicks, "typed": self.typed,
             "seconds": round(time.monotonic() - self.started, 1)}))

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1

    def field(self, label: str):
        optional = re.compile("^" + re.escape(label) + r"( \(可选\))?$")
        return self.page.get_by_label(optional)

    def pick(self, label: str, text: str) -> None:
        """Open a list, type a few characters of the name, click the match."""
        box = self.field(label)
        self.click(box)
        box.fill(text)
        self.typed += 1
        self.click(self.page.locator("[id*=-option-]", has_text=text).first)

    def type(self, label: str, value: str) -> None:
        self.field(label).fill(value)
        self.typed += 1

    def start(self, url: str) -> None:
        self.page.goto(url)
        self.click(self.page.get_by_role("button", name="登录"))
        self.click(self.page.get_by_text(f"＋ {MONTH[:4]}年{int(MONTH[5:])}月排查根治表"))

    def save(self) -> None:
        self.click(self.page.get_by_role("button", name="保存", exact=True))


def _validate_and_check(repo: Path, tmp_path: Path, unit: str, account: str, month: str = MONTH) -> str:
    """The saved file from its branch; the branch validates and passes check-pr for `account`."""
    branch = f"cms/returns-{month}/{unit}"
    text = _cms.git(repo, "show", f"{branch}:content/returns/{month}/{unit}.yaml")
    clone = tmp_path / f"clone-{month}-{unit}"
    subprocess.run(["git", "clone", "-q", "-b", branch, str(repo), str(clone)], check=True)
    run = [sys.executable, "-m", "generator"]
    validate = subprocess.run([*run, "validate", "--root", str(clone)], capture_output=True, text=True)
    assert validate.returncode == 0, validate.stdout + validate.stderr + text
    check = subprocess.run([*run, "check-pr", "--base", "main", "--head", branch, "--author", account,
                            "--root", str(repo)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr + text
    return text


def _wait_saved(clerk: Clerk, repo: Path, unit: str) -> None:
    clerk.page.get_by_text("修改已保存").wait_for()
    assert f"cms/returns-{MONTH}/{unit}" in _cms.git(repo, "branch", "--format=%(refname:short)")


def test_village_files_one_hazard_picked_from_the_register(form, open_page, tmp_path):
    repo, url = form
    page, watch = open_page(1280, 900, locale="zh-CN")
    clerk = Clerk(page)
    clerk.start(url)
    clerk.pick("报送单位", "泥巴溪村")
    clerk.pick("填报人", "罗文书示例")
    clerk.type("填报日期", "2025-01-18")
    clerk.pick("已排查项目", "泥巴溪村道路硬化工程")
    clerk.click(page.get_by_role("button", name="新增欠薪隐患"))
    clerk.pick("项目", "泥巴溪村道路硬化工程")
    clerk.type("发现日期", "2025-01-10")
    clerk.pick("原因", "工程款拖欠")
    clerk.type("涉及人数", "12")
    clerk.type("涉及金额（元）", "86000")
    clerk.pick("状态", "化解中")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_text("新增欠薪隐患").evaluate("e => e.scrollIntoView({block: 'start'})")  # hazard's top
    page.screenshot(path=str(SHOTS / "form-hazard-1280.png"))
    clerk.save()
    _wait_saved(clerk, repo, "nibaxi")
    text = _validate_and_check(repo, tmp_path, "nibaxi", "nibaxi-clerk-sample")
    assert "project: nibaxi-road" in text and "unit: nibaxi" in text and "month: 2025-01" in text
    assert (clerk.clicks, clerk.typed) == (16, 10)  # the how-to quotes these counts
    clerk.record("hazard")
    assert watch.foreign == [] and watch.page_errors == []


def test_department_files_a_zero_report(form, open_page, tmp_path):
    repo, url = form
    page, watch = open_page(390, 844, locale="zh-CN")
    clerk = Clerk(page)
    clerk.start(url)
    clerk.pick("报送单位", "财政办")
    clerk.pick("填报人", "代蕾")
    clerk.type("填报日期", "2025-01-18")
    clerk.click(page.get_by_text("零报告（本月没有欠薪隐患）").locator("xpath=following::*[@role='switch'][1]"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the phone needs no sideways scroll
    page.screenshot(path=str(SHOTS / "form-zero-390.png"))
    clerk.save()
    _wait_saved(clerk, repo, "caizheng")
    text = _validate_and_check(repo, tmp_path, "caizheng", "caizheng-sample")
    assert "zero_report: true" in text and "hazards: []" in text
    assert (clerk.clicks, clerk.typed) == (8, 3)
    clerk.record("zero")
    assert watch.foreign == [] and watch.page_errors == []


def test_a_negative_count_and_an_empty_required_field_are_refused_in_chinese(form, open_page):
    repo, url = form
    page, watch = open_page(1280, 900)
    clerk = Clerk(page)
    clerk.start(url)
    clerk.pick("报送单位", "杨柳")
    clerk.type("填报日期", "2025-01-18")
    clerk.type("工资支付期巡查次数", "-1")
    clerk.save()  # 填报人 left empty
    body = page.locator("body")
    page.get_by_text("你漏掉了一个必填项").first.wait_for()
    text = body.inner_text()
    assert "“填报人”是必填项" in text
    assert "“工资支付期巡查次数”必须至少为 0" in text
    page.screenshot(path=str(SHOTS / "form-errors-1280.png"))
    assert "cms/returns-2025-01/yangliu" not in _cms.git(repo, "branch", "--format=%(refname:short)")
    assert watch.foreign == []


def test_a_closed_month_is_corrected_with_an_amendment(form, open_page, tmp_path):
    repo, url = form
    page, watch = open_page(1280, 900, locale="zh-CN")
    clerk = Clerk(page)
    page.goto(url)
    clerk.click(page.get_by_role("button", name="登录"))
    clerk.click(page.get_by_text("2024年12月排查根治表（已关账，修改须登记更正）"))
    clerk.click(page.get_by_text("caizheng", exact=True))
    clerk.type("工资支付期巡查次数", "3")
    clerk.click(page.get_by_role("button", name="新增更正"))
    clerk.type("更正日期", "2025-01-20")
    clerk.pick("修改人", "代蕾")
    clerk.type("更正原因", "补报工资支付期巡查 1 次，共 3 次。")
    clerk.save()
    page.get_by_text("修改已保存").wait_for()
    text = _validate_and_check(repo, tmp_path, "caizheng", "caizheng-sample", month="2024-12")
    assert "payday_patrols: 3" in text and "by: dai-lei" in text and "zero_report" not in text
    assert watch.foreign == []
