"""`zhiqian doctor`: are the repository's settings what the README asks the office to switch on?

Checks what it can see in the checkout (workflows for the configured forge, CODEOWNERS current, the git
remote matching settings.forge, sample data gone, unconfirmed settings) and, with a token, what only the
forge knows (branch protection, required check, code-owner review, the release environment:
doctor_forge.py). Each check is 通过, 未通过 or 无法检查, with what to do; exit 1 when one fails.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from generator.errors import UsageProblem
from generator.paths import CONTENT
from generator.workflow.yamlio import parse

PASS, FAIL, UNKNOWN = "通过", "未通过", "无法检查"
WORKFLOW_DIRS = {"github": ".github/workflows", "gitea": ".forgejo/workflows",
                 "forgejo": ".forgejo/workflows"}
WORKFLOWS = ("pr.yml", "publish.yml")


@dataclass
class Check:
    name: str
    state: str
    detail: str
    todo: str = ""


def _settings(root: Path) -> dict:
    path = root / CONTENT / "settings.yaml"
    try:
        data = parse(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as e:
        raise UsageProblem(f"找不到 {CONTENT}/settings.yaml：请在仓库根目录运行，或用 --root 指定。") from e
    except Exception as e:  # noqa: BLE001 - any YAML error: the validator explains it
        raise UsageProblem(f"{CONTENT}/settings.yaml 无法读取，请先运行 zhiqian validate 改正：{e}") from e
    return data if isinstance(data, dict) else {}


def pr_job_name(root: Path, kind: str) -> str | None:
    """The name of the PR workflow's checking job: the check the branch protection must require."""
    path = root / WORKFLOW_DIRS.get(kind, ".github/workflows") / "pr.yml"
    try:
        jobs = (parse(path.read_text(encoding="utf-8")) or {}).get("jobs") or {}
    except (OSError, Exception):  # noqa: BLE001 - reported by the workflow check
        return None
    for key, job in jobs.items():
        if isinstance(job, dict):
            return str(job.get("name") or key)
    return None


def check_workflows(root: Path, kind: str) -> Check:
    folder = WORKFLOW_DIRS.get(kind, ".github/workflows")
    missing = [f"{folder}/{name}" for name in WORKFLOWS if not (root / folder / name).is_file()]
    if missing:
        return Check("工作流文件", FAIL, f"平台为 {kind}，但缺少 {'、'.join(missing)}",
                     f"从本项目的仓库复制 {folder}/ 并提交")
    if pr_job_name(root, kind) is None:
        return Check("工作流文件", FAIL, f"{folder}/pr.yml 读不出检查任务（jobs）",
                     "恢复为本项目提供的 pr.yml")
    return Check("工作流文件", PASS, f"{folder}/ 中有 {'、'.join(WORKFLOWS)}（平台：{kind}）")


def check_codeowners(root: Path) -> Check:
    from generator.workflow.codeowners import TARGET, generate

    path = root / TARGET
    if not path.is_file():
        return Check("CODEOWNERS", FAIL, f"没有 {TARGET}", "运行 zhiqian codeowners 生成后提交")
    if path.read_text(encoding="utf-8") != generate(root):
        return Check("CODEOWNERS", FAIL, f"{TARGET} 与名册（taskforce.yaml）不一致",
                     "运行 zhiqian codeowners 重新生成后提交")
    return Check("CODEOWNERS", PASS, f"{TARGET} 与名册一致")


def remote_of(url: str) -> tuple[str, str] | None:
    """(host, owner/repo) of a git remote URL: https://host/o/r.git, ssh://git@host:22/o/r, git@host:o/r."""
    if "://" in url:
        parsed = urlparse(url)
        host, path = parsed.hostname or "", parsed.path
    elif ":" in url:
        host, path = url.split(":", 1)
        host = host.rsplit("@", 1)[-1]
    else:
        return None
    path = path.strip("/")
    path = path[:-4] if path.endswith(".git") else path
    return (host.lower(), path.lower()) if host and path else None


def check_remote(root: Path, forge: dict) -> Check:
    run = subprocess.run(["git", "-C", str(root), "remote", "get-url", "origin"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        return Check("git 远程仓库", UNKNOWN, "这里没有名为 origin 的远程仓库",
                     "在仓库的克隆中运行，或运行 git remote add origin 仓库地址")
    found = remote_of(run.stdout.strip())
    want_host = (urlparse(str(forge.get("base_url") or "")).hostname or "").lower()
    want = (want_host, str(forge.get("repo") or "").lower())
    if found == want:
        return Check("git 远程仓库", PASS, f"origin（{run.stdout.strip()}）与 settings.yaml 的 forge 一致")
    return Check("git 远程仓库", FAIL,
                 f"origin 是 {run.stdout.strip()}，settings.yaml 的 forge 却是 {forge.get('base_url')} 上的 "
                 f"{forge.get('repo')}",
                 "把 settings.yaml 的 forge.base_url 和 forge.repo 改成仓库的实际地址")


def check_sample(settings: dict) -> Check:
    if settings.get("sample_data") is True:
        return Check("示例数据", FAIL, "settings.yaml 的 sample_data 仍为 true",
                     "先运行 zhiqian sample remove --dry-run 查看，再运行 zhiqian sample remove")
    return Check("示例数据", PASS, "sample_data 为 false")


def check_unconfirmed(settings: dict) -> Check:
    from generator.unconfirmed import pending_settings

    found = pending_settings(settings)
    if found:
        items = "、".join(f"{p.key}“{p.name}”" if p.name else p.key for p in found)
        return Check("未核实的设置", FAIL, f"settings.yaml 中 {len(found)} 项尚未核实：{items}",
                     "核实后填入数值，并把 confirmed 改为 true")
    return Check("未核实的设置", PASS, "settings.yaml 中没有 confirmed: false 的项")


def run_doctor(root: Path, token: str | None, echo: Callable[[str], None]) -> int:
    from generator.workflow import doctor_forge

    root = Path(root)
    settings = _settings(root)
    forge = settings.get("forge") if isinstance(settings.get("forge"), dict) else {}
    kind = str(forge.get("kind") or "github")
    checks = [check_workflows(root, kind), check_codeowners(root), check_remote(root, forge),
              check_sample(settings), check_unconfirmed(settings)]
    checks += doctor_forge.checks(forge, token, pr_job_name(root, kind))
    echo(f"检查仓库设置（平台 {kind}：{forge.get('base_url', '未设置')}/{forge.get('repo', '')}，"
         f"分支 {forge.get('branch', 'main')}）")
    for c in checks:
        echo(f"[{c.state}] {c.name}：{c.detail}")
        if c.todo and c.state != PASS:
            echo(f"    → {c.todo}")
    counts = {s: sum(c.state == s for c in checks) for s in (PASS, FAIL, UNKNOWN)}
    echo(f"共 {len(checks)} 项：通过 {counts[PASS]}，未通过 {counts[FAIL]}，无法检查 {counts[UNKNOWN]}。")
    return 1 if counts[FAIL] else 0
