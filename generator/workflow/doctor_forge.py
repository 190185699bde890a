"""The part of `zhiqian doctor` only the forge can answer, read through its API with the office's token.

GitHub: GET /repos/{repo}/branches/{branch}/protection (required_status_checks.contexts/checks,
required_pull_request_reviews.require_code_owner_reviews) and GET /repos/{repo}/environments/release.
Forgejo and Gitea: GET /api/v1/repos/{repo}/branch_protections (rule_name or branch_name, enable_status_check,
status_check_contexts as glob patterns, required_approvals). Forgejo has no deployment environments.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from fnmatch import fnmatchcase
from urllib.parse import quote, urlparse

from generator.site_urls import api_base
from generator.workflow.doctor import FAIL, PASS, UNKNOWN, Check

NAMES = ("分支保护", "必需的检查", "代码所有者审核", "发布环境 release")
TIMEOUT = 15


class _Unavailable(Exception):
    """The API could not answer: the message says why, in Chinese."""


def _get(url: str, token: str, kind: str) -> tuple[int, object]:
    auth = f"Bearer {token}" if kind == "github" else f"token {token}"
    request = urllib.request.Request(url, headers={"Authorization": auth, "Accept": "application/json",
                                                   "User-Agent": "zhiqian-doctor"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - https/http forge URL
            return response.status, json.loads(response.read().decode("utf-8") or "null")
    except urllib.error.HTTPError as e:
        if e.code in (401, 403):
            raise _Unavailable(f"平台拒绝了令牌（HTTP {e.code}）：令牌无效，或账号没有仓库的管理权限") from e
        if e.code == 404:
            return 404, None
        raise _Unavailable(f"平台返回 HTTP {e.code}") from e
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise _Unavailable(f"连不上 {urlparse(url).netloc}（{getattr(e, 'reason', e)}）") from e


def _requires(contexts: list[str], job: str | None) -> bool:
    """Whether the required contexts include the PR job ("job", "workflow / job (pull_request)", globs)."""
    if not job:
        return False
    full = f"检查合并请求 / {job} (pull_request)"
    return any(c == job or job in c or fnmatchcase(full, c) for c in contexts)


def _github(api: str, repo: str, branch: str, token: str, job: str | None) -> list[Check]:
    status, data = _get(f"{api}/repos/{repo}/branches/{quote(branch)}/protection", token, "github")
    out: list[Check] = []
    if status == 404 or not isinstance(data, dict):
        out += [Check(NAMES[0], FAIL, f"{branch} 分支没有保护规则",
                      f"Settings → Branches → Add rule：{branch}，要求合并请求和检查通过"),
                Check(NAMES[1], FAIL, "没有分支保护，就没有必需的检查", f"在规则中把“{job}”设为必需的检查"),
                Check(NAMES[2], FAIL, "没有分支保护，就没有代码所有者审核",
                      "在规则中勾选 Require review from Code Owners")]
    else:
        out.append(Check(NAMES[0], PASS, f"{branch} 分支已设保护规则"))
        checks = data.get("required_status_checks") or {}
        contexts = list(checks.get("contexts") or [])
        contexts += [c.get("context", "") for c in checks.get("checks") or [] if isinstance(c, dict)]
        out.append(Check(NAMES[1], PASS, f"合并前必须通过“{job}”") if _requires(contexts, job) else
                   Check(NAMES[1], FAIL, f"必需的检查是 {'、'.join(contexts) or '（无）'}，不含“{job}”",
                         f"在 {branch} 的保护规则中把“{job}”设为必需的检查"))
        reviews = data.get("required_pull_request_reviews") or {}
        if reviews.get("require_code_owner_reviews"):
            out.append(Check(NAMES[2], PASS, "合并前须经代码所有者审核"))
        else:
            out.append(Check(NAMES[2], FAIL, "保护规则没有要求代码所有者审核",
                             "在规则中勾选 Require a pull request before merging 和 "
                             "Require review from Code Owners"))
    env_status, _ = _get(f"{api}/repos/{repo}/environments/release", token, "github")
    out.append(Check(NAMES[3], PASS, "已有环境 release") if env_status == 200 else
               Check(NAMES[3], FAIL, "没有名为 release 的环境",
                     "Settings → Environments → New environment：release，只允许 main 分支"))
    return out


def _forgejo(api: str, repo: str, branch: str, token: str, job: str | None) -> list[Check]:
    status, data = _get(f"{api}/repos/{repo}/branch_protections", token, "forgejo")
    rules = [r for r in (data if isinstance(data, list) else []) if isinstance(r, dict)
             and fnmatchcase(branch, str(r.get("rule_name") or r.get("branch_name") or ""))]
    env = Check(NAMES[3], UNKNOWN, "Forgejo/Gitea 没有部署环境的接口",
                "在仓库设置 → Actions → 密钥中只放发布所需的密钥，并确认发布工作流只在 main 上运行")
    if not rules:
        return [Check(NAMES[0], FAIL, f"{branch} 分支没有保护规则",
                      f"仓库设置 → 分支 → 添加保护规则：{branch}，禁止直接推送"),
                Check(NAMES[1], FAIL, "没有分支保护，就没有必需的检查", f"在规则中启用状态检查，填入“{job}”"),
                Check(NAMES[2], FAIL, "没有分支保护，就没有合并前审核",
                      "在规则中把“所需的批准数”设为 1 或以上"),
                env]
    rule = rules[0]
    contexts = [str(c) for c in rule.get("status_check_contexts") or []]
    required = rule.get("enable_status_check") is True and _requires(contexts, job)
    approvals = int(rule.get("required_approvals") or 0)
    name = rule.get("rule_name") or rule.get("branch_name")
    return [Check(NAMES[0], PASS, f"{branch} 分支已设保护规则（{name}）"),
            Check(NAMES[1], PASS, f"合并前必须通过“{job}”") if required else
            Check(NAMES[1], FAIL, f"状态检查{'已启用' if rule.get('enable_status_check') else '未启用'}，"
                                  f"检查项为 {'、'.join(contexts) or '（无）'}，不含“{job}”",
                  f"在 {branch} 的保护规则中启用状态检查，填入“检查合并请求 / {job} (pull_request)”"),
            Check(NAMES[2], PASS, f"合并前须经 {approvals} 人批准（代码所有者由 CODEOWNERS 自动请求审核）")
            if approvals >= 1 else
            Check(NAMES[2], FAIL, "保护规则不要求任何批准（required_approvals 为 0）",
                  "在规则中把“所需的批准数”设为 1 或以上，并只允许办公室账号批准"),
            env]


def checks(forge: dict, token: str | None, job: str | None) -> list[Check]:
    if not token:
        return [Check(name, UNKNOWN, "没有提供令牌，看不到平台上的设置",
                      "用 --token 或环境变量 ZHIQIAN_FORGE_TOKEN 提供有仓库管理权限的令牌后再运行")
                for name in NAMES]
    kind, repo = forge.get("kind", "github"), str(forge.get("repo") or "")
    branch = str(forge.get("branch") or "main")
    try:
        if kind == "github":
            return _github(api_base(forge), repo, branch, token, job)
        return _forgejo(api_base(forge), repo, branch, token, job)
    except _Unavailable as e:
        return [Check(name, UNKNOWN, str(e), "检查令牌和平台地址（settings.yaml 的 forge.base_url）")
                for name in NAMES]
