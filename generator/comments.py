"""A “ #” inside a line of text starts a YAML comment and silently cuts the value:
`notes: 本月零报告 #1 工地已排查` keeps only “本月零报告”. The loader calls this only for files
whose text contains " #".

A comment the way the templates write it (two spaces, then "# ", as in `workers: 0  # 涉及人数`) is
left alone; one space before "#", or "#" glued to what follows (#1, #号), reads as part of the text
and is a warning: the file is valid YAML, but what the clerk meant is lost.
"""

from __future__ import annotations

import re

from generator.findings import WARNING, Finding, at_mark

_PLAIN_VALUE = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)?)(?:(?P<key>[A-Za-z_][A-Za-z0-9_-]*):[ ]+)?"
                          r"(?P<value>[^ '\"\[{#|>&*!%@`-][^#]*?)(?P<space>[ ]+)#(?P<after>.*)$")


def cut_text(text: str, file: str) -> list[Finding]:
    out: list[Finding] = []
    for n, line in enumerate(text.split("\n"), start=1):
        if " #" not in line or line.lstrip().startswith("#"):
            continue
        m = _PLAIN_VALUE.match(line.rstrip("\r"))
        if m is None or (len(m["space"]) > 1 and m["after"][:1] in (" ", "")):
            continue
        key = f"{m['key']}: " if m["key"] else ""
        value = f"{m['value']}{m['space']}#{m['after']}".rstrip()
        out.append(at_mark(
            "load.comment-in-text", file, n, m.start("space") + 1,
            f"第 {n} 行“ #”之后的内容被当成了注释，读到的值只有“{m['value']}”：文字里有“#”时，"
            f"请给整段文字加上英文单引号（应写成“{m['lead'].strip() + ' ' if m['lead'].strip() else ''}"
            f"{key}'{value}'”），或把“#”改成全角“＃”。",
            severity=WARNING))
    return out
