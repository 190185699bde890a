"""Errors a user can act on, without click: the CLI prints them in Chinese and maps them to exit codes.

Library code raises these and nothing from click. A failure nobody foresaw inside a build stage becomes a
StageFailed naming the stage and the file being produced (mkdocs' habit), so no path shows a raw traceback;
`zhiqian --traceback …` shows it for whoever debugs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class ZhiqianError(Exception):
    """A mistake the user can fix; exit code 2 unless a subclass says otherwise."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def format_message(self) -> str:
        return self.message

    def __str__(self) -> str:
        return self.message


class UsageProblem(ZhiqianError):
    """Wrong arguments or a missing file."""


class ContentInvalid(ZhiqianError):
    """The content has findings; nothing was written."""

    exit_code = 1


class BuildFailed(ZhiqianError):
    """A build step failed after the check passed (e.g. the privacy scan)."""

    exit_code = 1


class StageFailed(BuildFailed):
    """An unexpected error while one stage produced one output: a bug, named by where it happened."""

    def __init__(self, stage: str, target: str, cause: BaseException) -> None:
        where = f"{stage}/{target}" if target else stage
        super().__init__(f"生成 {where} 时出错：{describe(cause)}（加 --traceback 运行可显示出错位置）")
        self.stage, self.target = stage, target


def describe(error: BaseException) -> str:
    """One line for an unexpected exception: its type and text, never its traceback."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@contextmanager
def stage(name: str, target: str = "") -> Iterator[None]:
    """Wrap unexpected errors inside `with stage("internal", "units/x.html"):` as a StageFailed.

    Errors the user can fix (ZhiqianError, including an inner StageFailed naming a file) pass unchanged.
    """
    try:
        yield
    except ZhiqianError:
        raise
    except Exception as e:
        raise StageFailed(name, target, e) from e
