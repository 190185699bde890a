"""`zhiqian check-pr`: may this account make these changes to content/?

Ownership (whose files), deletions, and amendments of closed months. The roster and settings
come from the base revision, so a pull request cannot grant itself rights; "today" is the head
commit's committer date, so the result does not depend on when the check runs.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from datetime import date
from pathlib import Path, PurePosixPath

import yaml

from generator.analyse import dates
from generator.check.misplaced import return_home
from generator.errors import UsageProblem
from generator.paths import CONTENT, kind_of
from generator.workflow import gitio
from generator.workflow.pr_findings import RULES, PrFinding, PrResult, tree_entry_findings  # noqa: F401 (RULES for the how-to)
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


def _content_rel(path: str | None) -> str | None:
    """content-relative path of a repository path, or None when it is outside content/."""
    if path is None:
        return None
    p = PurePosixPath(path)
    if p.parts[:1] != (CONTENT,):
        return None
    return PurePosixPath(*p.parts[1:]).as_posix()


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

def _ownership_findings(ctx: _Context, author: str, change: gitio.Change) -> list[PrFinding]:
    """Rules on who may touch a content file; the office may touch any."""
    if ctx.own.is_office(author):
        return []
    units = ctx.own.units_of(author)
    own = "、".join(ctx.unit_name(u) for u in sorted(units))
    out: list[PrFinding] = []
    for path in dict.fromkeys(p for p in (change.old_path, change.path) if p):
        rel = _content_rel(path)
        if rel is None:
            continue
        kind = kind_of(rel)
        parts = _return_parts(rel)
        if kind is None and return_home(path):
            continue  # a return in the wrong folder: pr.return-misplaced says where it belongs
        if parts:
            if parts[1] not in units:
                out.append(PrFinding("pr.not-own-unit", "error", path,
                                     f"这是“{ctx.unit_name(parts[1])}”的月报；账号“{author}”属于“{own}”，"
                                     f"只能新增或修改本单位的月报。"))
        elif kind in ROSTER_KINDS:
            out.append(PrFinding("pr.roster-office-only", "error", path,
                                 f"名册、镇村单位、责任分工和设置只能由{ctx.office_name}修改；账号“{author}”"
                                 f"不是办公室账号。需要修改时，请把修改内容告诉办公室。"))
        elif kind in REGISTER_KINDS:
            out.append(PrFinding("pr.register-office-only", "error", path,
                                 f"项目和企业台账只能由{ctx.office_name}修改；账号“{author}”不是办公室账号。"
                                 f"项目开工、完工或情况有变，请报办公室登记。"))
        else:
            out.append(PrFinding("pr.office-only", "error", path,
                                 f"这个文件只能由{ctx.office_name}修改；账号“{author}”只能新增或修改本单位"
                                 f"（{own}）的月报 content/returns/月份/单位编号.yaml。"))
    return out


def _deletion_findings(change: gitio.Change) -> list[PrFinding]:
    old = change.old_path if change.status == "R" else change.path if change.status == "D" else None
    if old is None or not _return_parts(_content_rel(old)):
        return []
    how = "删除" if change.status == "D" else f"改名或移动为 {change.path}"
    return [PrFinding("pr.return-deleted", "error", old,
                      f"月报不得删除、改名或移动（本次{how}）。已报送的月报只能修改；"
                      f"报错了单位或月份时，请联系专班办公室处理。")]


def _closing_phrase(month: str, settings: dict) -> str:
    due = dates.due_date(month, settings)
    last = dates.last_open_day(month, settings)
    days = (last - due).days
    return (f"{month} 月份已关账（报送截止日 {due.isoformat()}，"
            f"截止后 {days} 天即 {last.isoformat()} 以后关账）")


def _amendment_findings(ctx: _Context, root: Path, base: str, head: str, today: date,
                        change: gitio.Change, author: str) -> list[PrFinding]:
    parts = _return_parts(_content_rel(change.path))
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
        return [PrFinding("pr.late-return", "warning", change.path,
                          f"{_closing_phrase(month, ctx.settings)}，"
                          "本表为逾期报送，将在报送情况中记为逾期。")]
    before, after = _load(gitio.show(root, base, change.path)), _load(gitio.show(root, head, change.path))
    if after is _UNREADABLE or not isinstance(after, dict):
        return [PrFinding("pr.unreadable", "error", change.path,
                          "无法读取本文件（YAML 格式有误），请先按校验结果改正，才能检查更正记录。")]
    old = (before.get("amendments") if isinstance(before, dict) else None) or []
    new = after.get("amendments") or []
    if not isinstance(new, list):
        new = []
    if new[:len(old)] != old:
        return [PrFinding("pr.amendment-history", "error", change.path,
                          "已有的更正记录不得修改或删除，只能在 amendments（更正记录）末尾新增。")]
    fresh = new[len(old):]
    if not fresh:
        return [PrFinding("pr.amendment-missing", "error", change.path,
                          f"{_closing_phrase(month, ctx.settings)}，"
                          "修改本表须在 amendments（更正记录）末尾新增一条，"
                          f"写明 date（更正日期）、by（修改人编号）和 reason（更正原因）。")]
    landed = gitio.landed_day(root, base, change.path)
    return _signature_findings(ctx, author, month, today, change.path, fresh, len(old), landed)


def _edited_in_place(root: Path, head: str, change: gitio.Change, month: str, unit: str) -> list[PrFinding]:
    """Last month's file edited in place (the web editor's natural action) into a later month's return:
    the way out is a copy in the new month's folder, not a rename or an amendment."""
    if change.status != "M":
        return []
    after = _load(gitio.show(root, head, change.path))
    new = after.get("month") if isinstance(after, dict) else None
    if not isinstance(new, str) or not new > month or dates.parse(f"{new}-01") is None:
        return []
    home = f"{CONTENT}/returns/{new}/{unit}.yaml"
    return [PrFinding("pr.edited-in-place", "error", change.path,
                      f"本次把已报送的 {month} 月报直接改成了 {new} 月的内容。请复制到新月份的文件夹：新建"
                      f" {home}，把改好的内容放进去；{change.path} 恢复原样（已报送的月报不能改成别的月份，"
                      "也不能改名或移动）。")]


def _signature_findings(ctx: _Context, author: str, month: str, today: date, path: str,
                        fresh: list, first: int, landed: date | None = None) -> list[PrFinding]:
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
            out.append(PrFinding("pr.amendment-by", "error", path,
                                 f"第 {n} 条更正记录的修改人“{by or ''}”不是提交账号“{author}”的本人；"
                                 f"by 应填写你本人在 content/taskforce.yaml 中的人员编号：{whose}。"))
        try:
            day = date.fromisoformat(str(entry.get("date")))
        except ValueError:
            continue  # the validator reports a malformed date
        if landed is not None and closed_after < day <= today and day < landed:
            # A correction of a return that was not yet filed is no correction: the date is wrong.
            out.append(PrFinding("pr.amendment-date", "error", path,
                                 f"第 {n} 条更正记录的日期 {day.isoformat()} 早于本表首次报送的日期"
                                 f" {landed.isoformat()}：更正只能在报送之后，请核对更正日期。"))
        if not closed_after < day <= today:
            out.append(PrFinding("pr.amendment-date", "error", path,
                                 f"第 {n} 条更正记录的日期 {day.isoformat()} 不对：应在 {month} 月份关账"
                                 f"（{closed_after.isoformat()}）之后，且不晚于本次提交的日期"
                                 f" {today.isoformat()}。"))
    return out


def _misplaced_findings(changed: list[gitio.Change]) -> list[PrFinding]:
    """A return saved outside content/returns/ is never read: for every account, office included."""
    out = []
    for change in changed:
        home = return_home(change.path) if change.status != "D" else None
        if home:
            out.append(PrFinding("pr.return-misplaced", "error", change.path,
                                 f"这是一份月报，但放在了 {change.path}，不会被读取和报送："
                                 f"请把它移到 {home}。"))
    return out


def _outside_findings(ctx: _Context, account: str, outside: list[str]) -> list[PrFinding]:
    outside = [p for p in outside if not return_home(p)]  # reported by _misplaced_findings
    if not outside or ctx.own.is_office(account):
        return []
    shown = "、".join(outside[:5]) + (f" 等 {len(outside)} 个文件" if len(outside) > 5 else "")
    owners = "、".join(ctx.own.office_accounts) or "办公室账号"
    return [PrFinding(
        "pr.outside-content", "error", None,
        f"账号“{account}”改动了 content/returns/ 以外的文件（{shown}）：程序、模式、工作流和设置"
        f"只能由{ctx.office_name}修改，须由办公室账号（{owners}）提交或审核。请把这些改动从本合并请求中去掉。")]


def _account_findings(ctx: _Context, root: Path, base_sha: str, head_sha: str, today: date,
                      account: str, changed: list[gitio.Change]) -> list[PrFinding]:
    """The rules on who may change what, for one account."""
    out: list[PrFinding] = []
    in_content = [c for c in changed if _content_rel(c.path) is not None or _content_rel(c.old_path)]
    if in_content and not ctx.own.is_known(account):
        out.append(PrFinding(
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
                f.message = f"最后推送本合并请求的账号“{actor}”：{f.message}"
                result.findings.append(f)
    return result


# --- reporting ------------------------------------------------------------------------------------

def _who(result: PrResult) -> str:
    names = result.unit_names
    if result.author_is_office:
        return f"{result.author}（专班办公室）"
    if result.author_units:
        return f"{result.author}（{'、'.join(names.get(u, u) for u in result.author_units)}）"
    return f"{result.author}（不在名册中）"


def _verdict(result: PrResult) -> str:
    if result.errors:
        return f"不通过：{len(result.errors)} 个错误，{len(result.warnings)} 个提醒。"
    if result.warnings:
        return f"通过，有 {len(result.warnings)} 个提醒。"
    return "通过。"


def render_text(result: PrResult) -> str:
    n = sum(1 for c in result.changed if _content_rel(c.path) or _content_rel(c.old_path))
    lines = [f"检查合并请求 {result.base}...{result.head}：提交者 {_who(result)}，"
             f"以 {result.today.isoformat()} 为当天，content/ 下改动 {n} 个文件。"]
    for f in result.findings:
        level = "错误" if f.severity == "error" else "提醒"
        where = f"{f.file}：" if f.file else ""
        lines.append(f"{where}{level}：{f.message}（{f.rule}，{f.code}）")
    lines.append(_verdict(result))
    return "\n".join(lines)


def render_json(result: PrResult) -> str:
    doc = {
        "base": result.base, "head": result.head, "author": result.author,
        "author_units": result.author_units, "author_is_office": result.author_is_office,
        "today": result.today.isoformat(), "ok": not result.errors,
        "changed": [asdict(c) for c in result.changed],
        "findings": [{**asdict(f), "rule": f.rule} for f in result.findings],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(result: PrResult) -> str:
    lines = []
    for f in result.findings:
        props = [f"file={_escape_prop(f.file)}"] if f.file else []
        props.append(f"title={_escape_prop(f.rule)}")
        lines.append(f"::{f.severity} {','.join(props)}::{_escape_data(f.message)}")
    lines.append(f"合并请求检查：{_verdict(result)}")
    return "\n".join(lines)


def render_summary(result: PrResult) -> str:
    """Markdown for the job summary ($GITHUB_STEP_SUMMARY)."""
    from generator.workflow.templating import environment

    rows = [{"level": "❌ 错误" if f.severity == "error" else "⚠️ 提醒", "file": f.file or "（整个合并请求）",
             "rule": f.rule, "message": f.message} for f in result.findings]
    return environment().get_template("pr_summary.md.j2").render(
        who=_who(result), today=result.today.isoformat(), verdict=_verdict(result), rows=rows,
        changed=[c.path for c in result.changed if _content_rel(c.path) or _content_rel(c.old_path)])


def run_check_pr(root: Path, base: str, head: str = "HEAD", author: str | None = None,
                 fmt: str = "text", actor: str | None = None) -> int:
    """CLI entry: print the findings in `fmt`; 0 allowed, 1 refused (2 comes from UsageProblem)."""
    author = (author or os.environ.get("GITHUB_ACTOR") or "").strip()
    if not author:
        raise UsageProblem("请用 --author 指定提交者的 GitHub 账号（在 GitHub Actions 中为 github.actor）。")
    root = Path(root)
    if not (root / CONTENT).is_dir():
        raise UsageProblem(f"{root} 下没有 content/ 文件夹，请在仓库根目录运行或用 --root 指定。")
    result = check_pr(root, base, head, author, (actor or "").strip() or None)
    if fmt == "json":
        print(render_json(result))
    elif fmt == "github":
        print(render_github(result))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(render_summary(result) + "\n")
    else:
        print(render_text(result))
    return 1 if result.errors else 0
