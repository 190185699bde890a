"""README: its first lines give the two commands, and every command of the CLI is documented."""

from pathlib import Path

from generator.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_two_commands_come_first():
    head = README.split("## ", 1)[0]
    assert ".ci/setup && .venv/bin/zhiqian build" in head
    assert ".ci/run" in head


def test_every_command_is_in_the_readme():
    undocumented = [name for name in cli.commands if f"`zhiqian {name}" not in README]
    assert undocumented == [], f"README 未说明的命令：{undocumented}"
