"""`zhiqian format`: a return as the web form saves it (no comments, its own key order) goes back to the
template's layout with exactly the same data; a file with errors is never touched."""

from __future__ import annotations

import subprocess
import sys

from generator.load import parse_text
from tests.test_check import make_tree

# What Decap CMS writes: no schema line, no comments, unquoted dates, keys in the form's order.
FORM_SAVED = """unit: nibaxi
month: 2024-12
zero_report: false
filled_on: 2024-12-20
filled_by: nibaxi-clerk
approved_by: nibaxi-secretary
sample: true
checked_projects:
  - market-upgrade
checked_enterprises: []
payday_patrols: 1
hazards:
  - id: h1
    project: market-upgrade
    found_on: 2024-12-10
    cause: 工程款拖欠
    description: 进度款未到位
    workers: 6
    amount_owed_yuan: 1500.5
    measures: 村专班督促总包垫付
    deadline: 2025-01-31
    status: 化解中
    workers_paid: 0
    amount_repaid_yuan: 0
"""


def _zhiqian(root, *args):
    return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(root)],
                          capture_output=True, text=True)


def test_a_form_saved_return_goes_back_to_the_template_layout_with_the_same_data(tmp_path):
    root = make_tree(None, tmp_path)
    path = root / "content/returns/2024-12/nibaxi.yaml"
    path.write_text(FORM_SAVED, encoding="utf-8")
    before, findings, ok = parse_text(FORM_SAVED, "nibaxi.yaml")
    assert ok and not findings
    assert _zhiqian(root, "validate").returncode == 0  # the PR check accepts the form's layout as it is

    check = _zhiqian(root, "format", "--check")
    assert check.returncode == 1
    assert "版式与模板不同：content/returns/2024-12/nibaxi.yaml" in check.stdout
    assert path.read_text(encoding="utf-8") == FORM_SAVED  # --check changes nothing

    run = _zhiqian(root, "format")
    assert run.returncode == 0, run.stderr
    assert "已整理：content/returns/2024-12/nibaxi.yaml" in run.stdout
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/return.schema.json\n")
    assert "month: '2024-12'  # 月份" in text
    after, findings, ok = parse_text(text, "nibaxi.yaml")
    assert ok and not findings and after == before
    assert _zhiqian(root, "validate").returncode == 0
    assert _zhiqian(root, "format", "--check").returncode == 0


def test_a_return_with_errors_is_left_alone(tmp_path):
    root = make_tree(None, tmp_path)
    path = root / "content/returns/2024-12/nibaxi.yaml"
    broken = FORM_SAVED.replace("workers: 6", "workers: -1")
    path.write_text(broken, encoding="utf-8")
    run = _zhiqian(root, "format")
    assert run.returncode == 0
    assert ("跳过 content/returns/2024-12/nibaxi.yaml：有错误，未整理（先运行 zhiqian validate 改正）"
            in run.stderr)
    assert path.read_text(encoding="utf-8") == broken
