"""`zhiqian doctor` on temporary repositories, the forge API answered by a fake server on 127.0.0.1.

The JSON shapes follow GitHub's "get branch protection" / "get an environment" and Forgejo's (Gitea's)
"list branch protections" responses.
"""

from __future__ import annotations

import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator.workflow.codeowners import generate
from tests._paths import FIXTURE, REPO

JOB = "校验、归属、生成"
GITHUB_PROTECTION = {
    "url": "https://api.example/repos/town/zhiqian/branches/main/protection",
    "required_status_checks": {
        "strict": True,
        "contexts": [JOB],
        "checks": [{"context": JOB, "app_id": 15368}],
    },
    "required_pull_request_reviews": {
        "dismiss_stale_reviews": False,
        "require_code_owner_reviews": True,
        "required_approving_review_count": 1,
    },
    "enforce_admins": {"enabled": True},
    "allow_force_pushes": {"enabled": False},
}
FORGEJO_RULE = {
    "branch_name": "main",
    "rule_name": "main",
    "enable_push": False,
    "enable_push_whitelist": False,
    "enable_status_check": True,
    "status_check_contexts": [f"检查合并请求 / {JOB} (pull_request)"],
    "required_approvals": 1,
    "enable_approvals_whitelist": True,
    "approvals_whitelist_username": ["zhanglu"],
    "block_on_rejected_reviews": True,
    "block_on_official_review_requests": True,
    "dismiss_stale_approvals": True,
    "require_signed_commits": False,
    "protected_file_patterns": "",
    "created_at": "2025-01-02T10:00:00+08:00",
}


class FakeForge:
    """Serves {path: (status, json)}; remembers the Authorization headers it saw."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, object]] = {}
        self.auth: list[str] = []
        forge = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                forge.auth.append(self.headers.get("Authorization", ""))
                status, body = forge.routes.get(self.path, (404, {"message": "Not Found"}))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def forge():
    fake = FakeForge()
    yield fake
    fake.close()


def make_repo(tmp_path: Path, kind: str, base_url: str, *, ready: bool = True) -> Path:
    """A checkout as the office would have it; ready=False leaves the day-one problems in."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copytree(FIXTURE / "schemas", root / "schemas")
    for folder in (".github/workflows", ".forgejo/workflows"):
        shutil.copytree(REPO / folder, root / folder)
    settings = root / "content" / "settings.yaml"
    text = re.sub(
        r"(?m)^forge:\n(  .*\n)+",
        f"forge:\n  kind: {kind}\n  base_url: {base_url}\n"
        "  repo: town/zhiqian\n  branch: main\n  app_id: null\n",
        settings.read_text(encoding="utf-8"),
    )
    if ready:
        text = re.sub(r"(?m)^sample_data: .*$", "sample_data: false", text).replace(
            "confirmed: false", "confirmed: true"
        )
    settings.write_text(text, encoding="utf-8")
    (root / ".github" / "CODEOWNERS").write_text(generate(root) if ready else "# old\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(
        ["git", "-C", str(root), "remote", "add", "origin", f"{base_url}/town/zhiqian.git"], check=True
    )
    return root


def doctor(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "doctor", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def lines(run: subprocess.CompletedProcess) -> list[str]:
    return [line for line in run.stdout.splitlines() if line.startswith("[")]


def test_github_repository_set_up_as_the_readme_says(tmp_path: Path, forge: FakeForge) -> None:
    forge.routes["/api/v3/repos/town/zhiqian/branches/main/protection"] = (200, GITHUB_PROTECTION)
    forge.routes["/api/v3/repos/town/zhiqian/environments/release"] = (200, {"id": 1, "name": "release"})
    run = doctor(make_repo(tmp_path, "github", forge.url), "--token", "secret")
    assert run.returncode == 0, run.stdout + run.stderr
    assert lines(run) == [
        "[通过] 工作流文件：.github/workflows/ 中有 pr.yml、publish.yml（平台：github）",
        "[通过] CODEOWNERS：.github/CODEOWNERS 与名册一致",
        f"[通过] git 远程仓库：origin（{forge.url}/town/zhiqian.git）与 settings.yaml 的 forge 一致",
        "[通过] 示例数据：sample_data 为 false",
        "[通过] 未核实的设置：settings.yaml 中没有 confirmed: false 的项",
        "[通过] 分支保护：main 分支已设保护规则",
        f"[通过] 必需的检查：合并前必须通过“{JOB}”",
        "[通过] 代码所有者审核：合并前须经代码所有者审核",
        "[通过] 发布环境 release：已有环境 release",
    ]
    assert run.stdout.endswith("共 9 项：通过 9，未通过 0，无法检查 0。\n")
    assert set(forge.auth) == {"Bearer secret"}


def test_github_without_protection_or_environment_fails(tmp_path: Path, forge: FakeForge) -> None:
    forge.routes["/api/v3/repos/town/zhiqian/branches/main/protection"] = (
        404,
        {"message": "Branch not protected"},
    )
    run = doctor(make_repo(tmp_path, "github", forge.url), "--token", "secret")
    assert run.returncode == 1
    assert "[未通过] 分支保护：main 分支没有保护规则" in lines(run)
    assert "[未通过] 发布环境 release：没有名为 release 的环境" in lines(run)
    assert "    → Settings → Environments → New environment：release，只允许 main 分支" in run.stdout


def test_github_protection_without_the_check_or_code_owners(tmp_path: Path, forge: FakeForge) -> None:
    weak = {
        **GITHUB_PROTECTION,
        "required_status_checks": {"strict": False, "contexts": ["build"], "checks": []},
        "required_pull_request_reviews": {"require_code_owner_reviews": False},
    }
    forge.routes["/api/v3/repos/town/zhiqian/branches/main/protection"] = (200, weak)
    forge.routes["/api/v3/repos/town/zhiqian/environments/release"] = (200, {"name": "release"})
    run = doctor(make_repo(tmp_path, "github", forge.url), "--token", "secret")
    assert run.returncode == 1
    assert f"[未通过] 必需的检查：必需的检查是 build，不含“{JOB}”" in lines(run)
    assert "[未通过] 代码所有者审核：保护规则没有要求代码所有者审核" in lines(run)


def test_forgejo_rule_as_the_readme_says(tmp_path: Path, forge: FakeForge) -> None:
    forge.routes["/api/v1/repos/town/zhiqian/branch_protections"] = (200, [FORGEJO_RULE])
    run = doctor(make_repo(tmp_path, "forgejo", forge.url), "--token", "secret")
    assert run.returncode == 0, run.stdout + run.stderr
    assert lines(run)[0] == "[通过] 工作流文件：.forgejo/workflows/ 中有 pr.yml、publish.yml（平台：forgejo）"
    assert lines(run)[5:] == [
        "[通过] 分支保护：main 分支已设保护规则（main）",
        f"[通过] 必需的检查：合并前必须通过“{JOB}”",
        "[通过] 代码所有者审核：合并前须经 1 人批准（代码所有者由 CODEOWNERS 自动请求审核）",
        "[无法检查] 发布环境 release：Forgejo/Gitea 没有部署环境的接口",
    ]
    assert set(forge.auth) == {"token secret"}


def test_forgejo_rule_without_status_check_or_approvals(tmp_path: Path, forge: FakeForge) -> None:
    loose = {
        **FORGEJO_RULE,
        "enable_status_check": False,
        "status_check_contexts": [],
        "required_approvals": 0,
    }
    forge.routes["/api/v1/repos/town/zhiqian/branch_protections"] = (200, [loose])
    run = doctor(make_repo(tmp_path, "forgejo", forge.url), "--token", "secret")
    assert run.returncode == 1
    assert f"[未通过] 必需的检查：状态检查未启用，检查项为 （无），不含“{JOB}”" in lines(run)
    assert "[未通过] 代码所有者审核：保护规则不要求任何批准（required_approvals 为 0）" in lines(run)


def test_forgejo_without_any_rule(tmp_path: Path, forge: FakeForge) -> None:
    forge.routes["/api/v1/repos/town/zhiqian/branch_protections"] = (
        200,
        [{**FORGEJO_RULE, "rule_name": "dev", "branch_name": "dev"}],
    )
    run = doctor(make_repo(tmp_path, "forgejo", forge.url), "--token", "secret")
    assert run.returncode == 1
    assert "[未通过] 分支保护：main 分支没有保护规则" in lines(run)


def test_rejected_token_cannot_check(tmp_path: Path, forge: FakeForge) -> None:
    forge.routes["/api/v1/repos/town/zhiqian/branch_protections"] = (401, {"message": "token is required"})
    run = doctor(make_repo(tmp_path, "forgejo", forge.url), "--token", "wrong")
    assert run.returncode == 0  # nothing failed; four things could not be checked
    assert lines(run)[5:] == [
        f"[无法检查] {name}：平台拒绝了令牌（HTTP 401）：令牌无效，或账号没有仓库的管理权限"
        for name in ("分支保护", "必需的检查", "代码所有者审核", "发布环境 release")
    ]


def test_day_one_repository_without_token(tmp_path: Path) -> None:
    """No network at all: the local checks fail with what to do, the forge ones say a token is needed."""
    root = make_repo(tmp_path, "forgejo", "https://git.example.gov.cn", ready=False)
    shutil.rmtree(root / ".forgejo")
    subprocess.run(
        ["git", "-C", str(root), "remote", "set-url", "origin", "git@github.com:someone/else.git"], check=True
    )
    run = doctor(root)
    assert run.returncode == 1
    assert lines(run)[:5] == [
        "[未通过] 工作流文件：平台为 forgejo，但缺少 "
        ".forgejo/workflows/pr.yml、.forgejo/workflows/publish.yml",
        "[未通过] CODEOWNERS：.github/CODEOWNERS 与名册（taskforce.yaml）不一致",
        "[未通过] git 远程仓库：origin 是 git@github.com:someone/else.git，settings.yaml 的 forge 却是 "
        "https://git.example.gov.cn 上的 town/zhiqian",
        "[未通过] 示例数据：settings.yaml 的 sample_data 仍为 true",
        "[未通过] 未核实的设置：settings.yaml 中 5 项尚未核实：hotlines“丰都县劳动保障监察投诉电话”、"
        "hotlines“兴义镇社保所（根治欠薪专班办公室）”、office“兴义镇社保所（根治欠薪专班办公室）”、"
        "minimum_wage、deposit",
    ]
    assert lines(run)[5] == "[无法检查] 分支保护：没有提供令牌，看不到平台上的设置"
    assert "    → 运行 zhiqian codeowners 重新生成后提交" in run.stdout
    assert run.stdout.endswith("共 9 项：通过 0，未通过 5，无法检查 4。\n")
