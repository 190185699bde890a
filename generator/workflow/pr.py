"""`zhiqian check-pr`: may this account make these changes to content/?

Ownership (whose files), deletions, and amendments of closed months. The roster and settings
come from the base revision, so a pull request cannot grant itself rights; "today" is the head
commit's committer date, so the result does not depend on when the check runs.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import yaml

from generator.analyse import dates
from generator.errors import UsageProblem
from generator.findings import ERROR, Finding
from generator.misplaced import return_home
from generator.paths import CONTENT, kind_of
from generator.reporters import PR_FORMATS, pr_author, pr_verdict
from generator.workflow import gitio
from generator.workflow.pr_findings import (  # noqa: F401 (RULES for the how-to)
    RULES,
    PrResult,
    content_rel,
    pr_finding,
    tree_entry_findings,
)
from generator.workflow.roster import Ownership, ownership
from generator.workflow.yamlio import parse as parse_yaml

ROSTER_KINDS = {"settings", "town", "taskforce", "responsibilities"}
REGISTER_KINDS = {"project", "enterprise"}


# --- reading revisions --------------------------------------------------------------------------

def _load(text: str | None):
    if text is None:
        return None
    try:
        return parse_yaml(text)
    except yaml.YAMLError:
        return _UNREADABLE


_UNREADABLE = object()


def _return_parts(rel: str | None) -> tuple[str, str] | None:
    """(month, unit) of a return path, from the path alone."""
    if rel is None or kind_of(rel) != "return":
        return None
    _, month, name = rel.split("/")
    return month, name.removesuffix(".yaml")


class _Context:
    """The base roster, town and settings, read once."""

    def __init__(self, root: Path, base: str, head: str):
        def data(rev: str, name: str) -> dict:
            d = _load(gitio.show(root, rev, f"{CONTENT}/{name}"))
            return d if isinstance(d, dict) else {}

        self.taskforce = data(base, "taskforce.yaml") or data(head, "taskforce.yaml")
        self.town = data(base, "town.yaml") or data(head, "town.yaml")
        self.settings = data(base, "settings.yaml") or data(head, "settings.yaml")
        self.own: Ownership = ownership(self.taskforce)
        self.unit_names = {u["id"]: u.get("name", u["id"])
                           for key in ("villages", "departments")
                           for u in self.town.get(key) or [] if isinstance(u, dict) and "id" in u}

    def unit_name(self, unit: str) -> str:
        return self.unit_names.get(unit, unit)

    @property
    def office_name(self) -> str:
        unit = self.own.office_unit
        return f"专班办公室（{self.unit_name(unit)}）" if unit else "专班办公室"


# --- the rules ------------------------------------------------------------------------------------

def _ownership_findings(ctx: _Context, author: str, change: gitio.Change) -> list[Finding]:
    """Rules on who may touch a content file; the office may touch any."""
    if ctx.own.is_office(author):
        return []
    units = ctx.own.units_of(author)
    own = "、".join(ctx.unit_name(u) for u in sorted(units))
    out: list[Finding] = []
    for path in dict.fromkeys(p for p in (change.old_path, change.path) if p):
        rel = content_rel(path)
        if rel is None:
            continue
        kind = kind_of(rel)
        parts = _return_parts(rel)
        if kind is None and return_home(path):
            continue  # a return in the wrong folder: pr.return-misplaced says where it belongs
        if parts:
            if parts[1] not in units:
                out.append(pr_finding("pr.not-own-unit", "error", path,
                                     f"这是“{ctx.unit_name(parts[1])}”的月报；账号“{author}”属于“{own}”，"
                                     f"只能新增或修改本单位的月报。"))
        elif kind in ROSTER_KINDS:
            out.append(pr_finding("pr.roster-office-only", "error", path,
                                 f"名册、镇村单位、责任分工和设置只能由{ctx.office_name}修改；账号“{author}”"
                                 f"不是办公室账号。需要修改时，请把修改内容告诉办公室。"))
        elif kind in REGISTER_KINDS:
            out.append(pr_finding("pr.register-office-only", "error", path,
                                 f"项目和企业台账只能由{ctx.office_name}修改；账号“{author}”不是办公室账号。"
                                 f"项目开工、完工或情况有变，请报办公室登记。"))
        else:
            out.append(pr_finding("pr.office-only", "error", path,
                                 f"这个文件只能由{ctx.office_name}修改；账号“{author}”只能新增或修改本单位"
                                 f"（{own}）的月报 content/returns/月份/单位编号.yaml。"))
    return out


def _deletion_findings(change: gitio.Change) -> list[Finding]:
    old = change.old_path if change.status == "R" else change.path if change.status == "D" else None
    if old is None or not _return_parts(content_rel(old)):
        return []
    how = "删除" if change.status == "D" else f"改名或移动为 {change.path}"
    return [pr_finding("pr.return-deleted", "error", old,
                      f"月报不得删除、改名或移动（本次{how}）。已报送的月报只能修改；"
                      f"报错了单位或月份时，请联系专班办公室处理。")]


def _closing_phrase(month: str, settings: dict) -> str:
    due = dates.due_date(month, settings)
    last = dates.last_open_day(month, settings)
    days = (last - due).days
    return (f"{month} 月份已关账（报送截止日 {due.isoformat()}，"
            f"截止后 {days} 天即 {last.isoformat()} 以后关账）")


def _amendment_findings(ctx: _Context, root: Path, base: str, head: str, today: date,
                        change: gitio.Change, author: str) -> list[Finding]:
    parts = _return_parts(content_rel(change.path))
    if not parts or change.status == "D":
        return []
    month, unit = parts
    moved = _edited_in_place(root, head, change, month, unit)
    if moved:
        return moved
    try:
        closed = dates.is_closed(month, ctx.settings, today)
    except (ValueError, TypeError):
        return []  # a malformed month folder: the validator says so
    if not closed:
        return []
    added = change.status in "AC" or change.status == "R"
    if added:
        return [pr_finding("pr.late-return", "warning", change.path,
                          f"{_closing_phrase(month, ctx.settings)}，"
                          "本表为逾期报送，将在报送情况中记为逾期。")]
    before, after = _load(gitio.show(root, base, change.path)), _load(gitio.show(root, head, change.path))
    if after is _UNREADABLE or not isinstance(after, dict):
        return [pr_finding("pr.unreadable", "error", change.path,
                          "无法读取本文件（YAML 格式有误），请先按校验结果改正，才能检查更正记录。")]
    old = (before.get("amendments") if isinstance(before, dict) else None) or []
    new = after.get("amendments") or []
    if not isinstance(new, list):
        new = []
    if new[:len(old)] != old:
        return [pr_finding("pr.amendment-history", "error", change.path,
                          "已有的更正记录不得修改或删除，只能在 amendments（更正记录）末尾新增。")]
    fresh = new[len(old):]
    if not fresh:
        return [pr_finding("pr.amendment-missing", "error", change.path,
                          f"{_closing_phrase(month, ctx.settings)}，"
                          "修改本表须在 amendments（更正记录）末尾新增一条，"
                          f"写明 date（更正日期）、by（修改人编号）和 reason（更正原因）。")]
    landed = gitio.landed_day(root, base, change.path)
    return _signature_findings(ctx, author, month, today, change.path, fresh, len(old), landed)


def _edited_in_place(root: Path, head: str, change: gitio.Change, month: str, unit: str) -> list[Finding]:
    """Last month's file edited in place (the web editor's natural action) into a later month's return:
    the way out is a copy in the new month's folder, not a rename or an amendment."""
    if change.status != "M":
        return []
    after = _load(gitio.show(root, head, change.path))
    new = after.get("month") if isinstance(after, dict) else None
    if not isinstance(new, str) or not new > month or dates.parse(f"{new}-01") is None:
        return []
    home = f"{CONTENT}/returns/{new}/{unit}.yaml"
    return [pr_finding("pr.edited-in-place", "error", change.path,
                      f"本次把已报送的 {month} 月报直接改成了 {new} 月的内容。请复制到新月份的文件夹：新建"
                      f" {home}，把改好的内容放进去；{change.path} 恢复原样（已报送的月报不能改成别的月份，"
                      "也不能改名或移动）。")]


def _signature_findings(ctx: _Context, author: str, month: str, today: date, path: str,
                        fresh: list, first: int, landed: date | None = None) -> list[Finding]:
    """New amendments are signed by the person whose account commits them, dated after closing."""
    people = ctx.own.people_of(author)
    allowed = people or (ctx.own.office_people if ctx.own.is_office(author) else set())
    whose = "、".join(sorted(people)) if people else (
        "专班办公室人员的编号" if ctx.own.is_office(author) else "（该账号不属于名册中任何人）")
    closed_after = dates.last_open_day(month, ctx.settings)
    out = []
    for n, entry in enumerate(fresh, start=first + 1):
        entry = entry if isinstance(entry, dict) else {}
        by = entry.get("by")
        if not isinstance(by, str) or by not in allowed:
            out.append(pr_finding("pr.amendment-by", "error", path,
                                 f"第 {n} 条更正记录的修改人“{by or ''}”不是提交账号“{author}”的本人；"
                                 f"by 应填写你本人在 content/taskforce.yaml 中的人员编号：{whose}。"))
        try:
            day = date.fromisoformat(str(entry.get("date")))
        except ValueError:
            continue  # the validator reports a malformed date
        if landed is not None and closed_after < day <= today and day < landed:
            # A correction of a return that was not yet filed is no correction: the date is wrong.
            out.append(pr_finding("pr.amendment-date", "error", path,
                                 f"第 {n} 条更正记录的日期 {day.isoformat()} 早于本表首次报送的日期"
                                 f" {landed.isoformat()}：更正只能在报送之后，请核对更正日期。"))
        if not closed_after < day <= today:
            out.append(pr_finding("pr.amendment-date", "error", path,
                                 f"第 {n} 条更正记录的日期 {day.isoformat()} 不对：应在 {month} 月份关账"
                                 f"（{closed_after.isoformat()}）之后，且不晚于本次提交的日期"
                                 f" {today.isoformat()}。"))
    return out


def _misplaced_findings(changed: list[gitio.Change]) -> list[Finding]:
    """A return saved outside content/returns/ is never read: for every account, office included."""
    out = []
    for change in changed:
        home = return_home(change.path) if change.status != "D" else None
        if home:
            out.append(pr_finding("pr.return-misplaced", "error", change.path,
                                 f"这是一份月报，但放在了 {change.path}，不会被读取和报送："
                                 f"请把它移到 {home}。"))
    return out


def _outside_findings(ctx: _Context, account: str, outside: list[str]) -> list[Finding]:
    outside = [p for p in outside if not return_home(p)]  # reported by _misplaced_findings
    if not outside or ctx.own.is_office(account):
        return []
    shown = "、".join(outside[:5]) + (f" 等 {len(outside)} 个文件" if len(outside) > 5 else "")
    owners = "、".join(ctx.own.office_accounts) or "办公室账号"
    return [pr_finding(
        "pr.outside-content", "error", None,
        f"账号“{account}”改动了 content/returns/ 以外的文件（{shown}）：程序、模式、工作流和设置"
        f"只能由{ctx.office_name}修改，须由办公室账号（{owners}）提交或审核。请把这些改动从本合并请求中去掉。")]


def _account_findings(ctx: _Context, root: Path, base_sha: str, head_sha: str, today: date,
                      account: str, changed: list[gitio.Change]) -> list[Finding]:
    """The rules on who may change what, for one account."""
    out: list[Finding] = []
    in_content = [c for c in changed if content_rel(c.path) is not None or content_rel(c.old_path)]
    if in_content and not ctx.own.is_known(account):
        out.append(pr_finding(
            "pr.unknown-account", "error", None,
            f"账号“{account}”不在专班名册中，不能修改 content/ 下的文件。请联系{ctx.office_name}，"
            f"把你的 GitHub 账号加到 content/taskforce.yaml 中你本人的 git_accounts 下。"))
    out += _outside_findings(ctx, account, [c.path for c in changed if c not in in_content])
    for change in in_content:
        if ctx.own.is_known(account):
            out += _ownership_findings(ctx, account, change)
        out += _amendment_findings(ctx, root, base_sha, head_sha, today, change, account)
    return out


def check_pr(root: Path, base: str, head: str, author: str, actor: str | None = None) -> PrResult:
    """Evaluate every rule over the changes head made since it left base. `author` opened the pull
    request; `actor` pushed last and is checked too unless it is an office account (e.g. "Update branch")."""
    base_sha, head_sha = gitio.resolve(root, base), gitio.resolve(root, head)
    ctx = _Context(root, base_sha, head_sha)
    today = gitio.commit_day(root, head_sha)
    result = PrResult(base=base, head=head, author=author, today=today,
                      author_units=sorted(ctx.own.units_of(author)),
                      author_is_office=ctx.own.is_office(author), unit_names=ctx.unit_names)
    result.changed = gitio.changes(root, base_sha, head_sha)
    for change in result.changed:
        result.findings += tree_entry_findings(change)
        result.findings += _deletion_findings(change)
    result.findings += _misplaced_findings(result.changed)
    result.findings += _account_findings(ctx, root, base_sha, head_sha, today, author, result.changed)
    if actor and actor.lower() != author.lower() and not ctx.own.is_office(actor):
        seen = {(f.code, f.file, f.message) for f in result.findings}
        for f in _account_findings(ctx, root, base_sha, head_sha, today, actor, result.changed):
            if (f.code, f.file, f.message) not in seen and f.code != "pr.amendment-by":
                result.findings.append(replace(f, message=f"最后推送本合并请求的账号“{actor}”：{f.message}"))
    return result


# --- reporting (reporters.py prints the findings; the job summary is Markdown) --------------------

def render_summary(result: PrResult) -> str:
    """Markdown for the job summary ($GITHUB_STEP_SUMMARY)."""
    from generator.workflow.templating import environment

    rows = [{"level": "❌ 错误" if f.severity == ERROR else "⚠️ 提醒", "file": f.file or "（整个合并请求）",
             "rule": f.title, "message": f.message} for f in result.findings]
    return environment().get_template("pr_summary.md.j2").render(
        who=pr_author(result), today=result.today.isoformat(), verdict=pr_verdict(result), rows=rows,
        changed=[c.path for c in result.content_changes])


def run_check_pr(root: Path, base: str, head: str = "HEAD", author: str | None = None,
                 fmt: str = "text", actor: str | None = None) -> int:
    """CLI entry: print the findings in `fmt`; 0 allowed, 1 refused (2 comes from UsageProblem)."""
    author = (author or os.environ.get("GITHUB_ACTOR") or "").strip()
    if not author:
        raise UsageProblem("请用 --author 指定提交者的 GitHub 账号（在 GitHub Actions 中为 github.actor）。")
    root = Path(root)
    if not (root / CONTENT).is_dir():
        raise UsageProblem(f"{root} 下没有 content/ 文件夹，请在仓库根目录运行或用 --root 指定。")
    if fmt not in PR_FORMATS:
        raise UsageProblem(f"不支持的输出格式 {fmt}（可选 text、json、github）。")
    result = check_pr(root, base, head, author, (actor or "").strip() or None)
    print(PR_FORMATS[fmt](result))
    if fmt == "github":
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(render_summary(result) + "\n")
    return 1 if result.errors else 0
