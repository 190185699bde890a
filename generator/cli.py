"""Command line: parse arguments, call one stage function, map errors to exit codes. No logic here."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from generator import cli_zh
from generator.errors import UsageProblem, ZhiqianError, describe

cli_zh.install()


def _find_root(_ctx, _param, value: Path | None) -> Path:
    """--root as given, else the nearest folder upward from here that holds content/ (so every command
    works from a subfolder such as content/returns/2024-12/)."""
    if value is not None:
        if not (value / "content").is_dir():
            raise UsageProblem(f"在 {value} 下找不到 content/ 目录："
                               "请在仓库根目录运行，或用 --root 指定仓库根目录。")
        return value
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "content").is_dir() and (folder / "schemas").is_dir():
            return folder if folder != here else Path(".")
    raise UsageProblem(f"当前文件夹 {here} 及其上级都不是本仓库（找不到 content/ 和 schemas/）："
                       "请先 cd 到仓库的文件夹再运行，或用 --root 指定仓库根目录。")


ROOT_OPTION = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None, callback=_find_root,
    metavar="目录", help="仓库根目录（含 content/ 和 schemas/）；默认从当前文件夹向上查找。",
)


class _Commands(cli_zh.Group):
    """Maps errors to a Chinese line and an exit code, whether run from main() or click's test runner."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except ZhiqianError as e:
            _fail(ctx, e, f"错误：{e.message}", e.exit_code)
        except OSError as e:
            _fail(ctx, e, f"错误：无法读写 {e.filename or '文件'}：{_os_error_in_chinese(e)}", 2)
        except Exception as e:  # a bug, not the user's mistake: one line unless --traceback
            _fail(ctx, e, f"内部错误：{describe(e)}。请把这条信息和所用的文件报告给维护者"
                          "（加 --traceback 运行可显示出错位置）。", 2)


def _fail(ctx: click.Context, error: BaseException, message: str, code: int) -> None:
    if ctx.params.get("show_traceback"):
        click.echo("".join(traceback.format_exception(error)).rstrip(), err=True)
    click.echo(message, err=True)
    sys.exit(code)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zhiqian", help="显示版本号并退出。", message="%(prog)s 版本 %(version)s")
@click.option("--traceback", "show_traceback", is_flag=True,
              help="出错时显示 Python 的调用栈（给维护者排查用），"
                   "写在命令名之前：zhiqian --traceback build。")
def cli(show_traceback: bool) -> None:
    """兴义镇根治欠薪：校验数据，生成公开网站、内部看板和 PDF 通报。"""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[文件或文件夹]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="输出格式；github 输出工作流注释。")
@click.option("--changed-since", metavar="提交", default=None,
              help="只报告自该提交以来改动的文件和结论可能因此变化的文件（合并请求检查用）；"
                   "结论与全部校验相同。")
@ROOT_OPTION
def validate(paths: tuple[Path, ...], fmt: str, changed_since: str | None, root: Path) -> None:
    """校验内容（全部或指定文件），列出全部问题。退出码：0 无问题，1 有问题，2 用法或内部错误。"""
    from generator.check.report import run_validate

    sys.exit(run_validate(root, list(paths), fmt, changed_since=changed_since))


@cli.command()
@click.option("--strict", is_flag=True, help="把 mkdocs 的警告当作错误。")
@click.option("--only", type=click.Choice(["public", "internal", "pdf"]), multiple=True,
              help="只生成其中几项（可重复）；默认全部。")
@click.option("--full", is_flag=True, help="全部重新生成，不沿用上次的结果（默认只重做输入变了的部分）。")
@ROOT_OPTION
def build(strict: bool, only: tuple[str, ...], full: bool, root: Path) -> None:
    """校验、分析并生成全部输出：site/ 和 build/internal/。校验不通过时不写任何文件。"""
    from generator.build import build as run_build

    parts = set(only) or {"public", "internal", "pdf"}
    report = run_build(root, public="public" in parts, internal="internal" in parts, pdf="pdf" in parts,
                       strict=strict, reuse=not full, log=click.echo)
    timing = "，".join(f"{k} {v:.1f}s" for k, v in report.timings.items())
    click.echo(f"完成（{timing}）。")


@cli.command()
@click.option("--port", default=8000, show_default=True, metavar="端口", help="预览网址的端口。")
@ROOT_OPTION
def serve(port: int, root: Path) -> None:
    """本地预览公开网站，内容变化时自动重新生成。"""
    from generator.serve import serve as run_serve

    run_serve(root, port)


@cli.command()
@click.argument("month", required=False, metavar="[YYYY-MM]")
@ROOT_OPTION
def status(month: str | None, root: Path) -> None:
    """某月（默认最近一月）谁已报送、按时还是逾期、谁未报送。"""
    from generator.status import print_status

    print_status(root, month, click.echo)


@cli.command()
@click.argument("document")
@ROOT_OPTION
def issue(document: str, root: Path) -> None:
    """印发通报（YYYY-MM）或回头看报告（YYYY-QN）：编文号，登记到 content/issued/，此后不再改变。"""
    from generator.issue import issue as run_issue

    run_issue(root, document, click.echo)


@cli.command("new-return")
@click.argument("unit", metavar="单位编号")
@click.argument("month", metavar="YYYY-MM")
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
@ROOT_OPTION
def new_return(unit: str, month: str, force: bool, root: Path) -> None:
    """生成某单位某月的排查根治表模板，预填本单位的项目和企业。"""
    from generator.workflow.scaffold import new_return as scaffold

    path = scaffold(root, unit, month, force=force)
    click.echo(f"已生成 {path}，请按注释填写后提交。")


@cli.command("format")
@click.option("--check", is_flag=True, help="只列出版式与模板不同的月报，不改动；有则退出码 1。")
@ROOT_OPTION
def format_cmd(check: bool, root: Path) -> None:
    """把月报整理回模板的版式（开头的 schema 行、字段顺序和中文注释）；网页表单保存的月报会丢掉这些。"""
    from generator.workflow.fmt import format_returns

    report = format_returns(root, check=check)
    for line in report.skipped:
        click.echo(f"跳过 {line}", err=True)
    verb = "版式与模板不同" if check else "已整理"
    for rel in report.changed:
        click.echo(f"{verb}：{rel}")
    if not report.changed:
        click.echo("所有月报都已是模板的版式。")
    sys.exit(1 if check and report.changed else 0)


@cli.command("export-xlsx")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path), required=False, metavar="[输出文件]")
@click.option("--unit", metavar="单位编号", help="预填这个单位（编号）。")
@click.option("--month", metavar="YYYY-MM", help="预填这个月份 YYYY-MM；已有月报时写入其内容。")
@ROOT_OPTION
def export_xlsx(out: Path | None, unit: str | None, month: str | None, root: Path) -> None:
    """导出 Excel 填报模板（中文表头、下拉选项、填写说明）；默认写到 build/xlsx/（不会被提交）。"""
    from generator.workflow.xlsx import export_xlsx as run_export

    if out is None:  # build/ is git-ignored: a template never ends up in a commit by accident
        name = "-".join(p for p in (unit, month) if p) or "空白"
        out = root / "build" / "xlsx" / f"{name}-排查根治表.xlsx"
        out.parent.mkdir(parents=True, exist_ok=True)
    run_export(root, out, unit=unit, month=month)
    click.echo(f"已导出 {out}")


@cli.command("import-xlsx")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), metavar="文件")
@click.option("--force", is_flag=True, help="目标 YAML 已存在时覆盖。")
@ROOT_OPTION
def import_xlsx(file: Path, force: bool, root: Path) -> None:
    """把填好的 Excel 表转换为 YAML 月报；错误会指出工作表、单元格和字段。"""
    from generator.workflow.xlsx import import_xlsx as run_import

    if not file.is_file():
        raise UsageProblem(f"找不到文件 {file}：请检查文件名和所在文件夹。")

    path = run_import(root, file, force=force)
    click.echo(f"已写入 {path}")


@cli.command("check-pr")
@click.option("--base", required=True, metavar="提交", help="对比的基准（如 origin/main）。")
@click.option("--head", default="HEAD", show_default=True, metavar="提交", help="合并请求的最新提交。")
@click.option("--author", metavar="账号",
              help="合并请求发起人的账号（工作流中取自事件内容；默认取环境变量 GITHUB_ACTOR）。")
@click.option("--actor", metavar="账号",
              help="最后推送的账号（github.actor），也须有权修改；办公室账号除外。")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True)
@ROOT_OPTION
def check_pr(base: str, head: str, author: str | None, actor: str | None, fmt: str, root: Path) -> None:
    """检查合并请求：只能改本单位的月报；名册和台账只能由办公室改；不得删除月报；已关账月份须登记更正。"""
    from generator.workflow.pr import run_check_pr

    sys.exit(run_check_pr(root, base=base, head=head, author=author, fmt=fmt, actor=actor))


@cli.command()
@click.option("--check", "check_only", is_flag=True, help="只检查 CODEOWNERS 是否与名册一致。")
@ROOT_OPTION
def codeowners(check_only: bool, root: Path) -> None:
    """根据名册生成 .github/CODEOWNERS。"""
    from generator.workflow.codeowners import run_codeowners

    sys.exit(run_codeowners(root, check_only=check_only))


@cli.command()
@click.option("--token", envvar="ZHIQIAN_FORGE_TOKEN", metavar="令牌",
              help="平台的访问令牌（需仓库管理权限），用来读取分支保护等设置；"
                   "也可用环境变量 ZHIQIAN_FORGE_TOKEN。")
@ROOT_OPTION
def doctor(token: str | None, root: Path) -> None:
    """检查仓库设置：工作流、CODEOWNERS、远程仓库、示例数据、未核实的设置，以及（有令牌时）分支保护和发布环境。"""
    from generator.workflow.doctor import run_doctor

    sys.exit(run_doctor(root, token, click.echo))


@cli.group()
def sample() -> None:
    """示例数据：正式启用时用 zhiqian sample remove 移除。"""


@sample.command("remove")
@click.option("--dry-run", is_flag=True, help="只列出将删除和修改的内容，不改动任何文件。")
@ROOT_OPTION
def sample_remove(dry_run: bool, root: Path) -> None:
    """删除全部示例记录（sample: true）及引用它们的内容，把 sample_data 改为 false，并说明还要填写什么。"""
    from generator.workflow.sample import run_sample_remove

    sys.exit(run_sample_remove(root, dry_run, click.echo))


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(2)
    except click.UsageError as e:  # click's own messages are English: say in Chinese what to do
        program = "python -m generator" if sys.argv[0].endswith("__main__.py") else "zhiqian"
        command = e.ctx.command_path if e.ctx else program
        click.echo(f"用法错误：{_usage_in_chinese(e)}\n运行 {command} --help 查看用法。", err=True)
        sys.exit(2)
    except click.ClickException as e:
        e.show()
        sys.exit(2)
    except OSError as e:
        click.echo(f"错误：无法读写 {e.filename or '文件'}：{_os_error_in_chinese(e)}", err=True)
        sys.exit(2)


def _os_error_in_chinese(e: OSError) -> str:
    import errno

    return {errno.ENOENT: "文件或文件夹不存在（请检查路径，或先 cd 到仓库文件夹、用 --root 指定）",
            errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.ENOSPC: "磁盘空间已满",
            errno.EROFS: "磁盘只读", errno.EISDIR: "这是文件夹，不是文件",
            errno.ENOTDIR: "路径中有一段不是文件夹"}.get(e.errno, f"系统错误（{e.strerror or e}）")


def _usage_in_chinese(e: click.UsageError) -> str:
    """The common usage mistakes in Chinese; anything rarer keeps click's English text."""
    param = getattr(e, "param", None)
    name = ""
    if param is not None:
        name = param.opts[0] if isinstance(param, click.Option) else (param.human_readable_name or "").upper()
    if isinstance(e, click.MissingParameter) and param is not None:
        return f"缺少参数 {name}"
    if isinstance(e, click.NoSuchOption):
        return f"没有这个选项：{e.option_name}"
    if isinstance(e, click.BadParameter) and param is not None:
        if isinstance(param.type, click.Choice):
            return f"{name} 应为 {'、'.join(map(str, param.type.choices))} 之一"
        return f"{name} 的值不对：{e.message}"
    return e.format_message()  # click's own text, put into Chinese by cli_zh
