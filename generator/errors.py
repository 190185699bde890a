"""User-facing errors. Each prints one clean Chinese line, never a traceback."""

import click


class ZhiqianError(click.ClickException):
    """A mistake the user can fix; exit code 2 unless a subclass says otherwise."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True, file=file)


class UsageProblem(ZhiqianError):
    """Wrong arguments or a missing file."""


class ContentInvalid(ZhiqianError):
    """The content has findings; nothing was written."""

    exit_code = 1


class BuildFailed(ZhiqianError):
    """A build step failed after the check passed (e.g. the privacy scan)."""

    exit_code = 1
