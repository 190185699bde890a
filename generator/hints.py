"""Plain-words advice for the mistakes staff make when typing YAML on a Chinese input method.

Only called for files that already have a finding, so nothing here costs time on clean files.
syntax() finds the line that really caused a YAML syntax error (full-width colon or space, a tab,
a missing space after the colon, a line indented differently from its neighbours); the value
helpers say what to write instead of a date, month or number typed another way.
"""

from __future__ import annotations

import re

# A key as staff type it: an English field name, or a short Chinese one (also a mistake).
_KEY = r"(?:[A-Za-z_][A-Za-z0-9_-]*|[\u4e00-\u9fff]{1,12})"
_FW_COLON = re.compile(rf"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>{_KEY})[ \u3000]*：[ \u3000]*(?P<rest>.*)$")
_NO_SPACE = re.compile(rf"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>{_KEY}):(?P<rest>[^ \t\n:].*)$")
_FW_SPACE_AFTER = re.compile(rf"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>{_KEY}):\u3000+(?P<rest>.*)$")
_LEAD = re.compile(r"^[ \t\u3000]*")
_BLOCK_SCALAR = re.compile(r":[ ]+[|>][-+0-9]*[ ]*(?:#.*)?$")
_BARE = re.compile(r"^[ ]*[^ \t#:\-\[\]{}'\"][^:]*$")

INDENT_PROBLEMS = ("mapping values are not allowed", "did not find expected key",
                   "did not find expected '-' indicator", "expected <block end>")


def _show(line: str) -> str:
    s = line.strip().replace("\t", " ").replace("\u3000", " ")
    return s if len(s) <= 40 else s[:40] + "…"


def _fix_line(lead: str, key: str, rest: str) -> str:
    lead = lead.replace("\u3000", "  ")
    return f"{lead.strip() + ' ' if lead.strip() else ''}{key}: {rest.strip()}".strip()


_EMPTY_LIST = re.compile(rf"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>{_KEY}):[ ]*(?P<brackets>\[\s*\])[ ]*(?:#.*)?$")
_DASH_NO_SPACE = re.compile(r"^(?P<lead>[ ]*)-(?P<rest>[A-Za-z_\u4e00-\u9fff'\"].*)$")
_FW_DASH = re.compile(r"^(?P<lead>[ ]*)(?P<dash>[－—–﹣‐])[ \u3000]*(?P<rest>\S.*)$")
_FLOW_TEXT = re.compile(rf"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>{_KEY}):[ ]+(?P<value>[\[{{].*)$")
_OPEN_QUOTE = re.compile(rf"^(?P<lead>[ ]*(?:-[ ]+)?)(?:(?P<key>{_KEY}):[ ]+)?(?P<q>['\"])(?P<rest>.*)$")


def _shape(n: int, line: str, after: str | None) -> tuple[int, int, str] | None:
    """(line, column, advice) for mistakes of shape: `key: []` with items below, a dash typed without its
    space or full-width, text that starts with [ or {, a quote left open. `after`: the next content line."""
    m = _EMPTY_LIST.match(line)
    if m and after is not None and after.lstrip().startswith(("-", "－")):
        return (n, m.start("brackets") + 1,
                f"第 {n} 行“{_show(line)}”的“[]”表示列表是空的（零报告），下面却又写了列表项："
                f"有内容时请把“[]”删掉，只留“{m['key']}:”，列表项写在它下面，每项以“- ”开头")
    m = _FW_DASH.match(line)
    if m:
        return (n, m.start("dash") + 1,
                f"第 {n} 行开头的“{m['dash']}”是全角（中文）的横线：列表项要用半角减号“-”，后面加一个空格"
                f"（应写成“{m['lead']}- {m['rest']}”；输入前请切换到英文输入法）")
    m = _DASH_NO_SPACE.match(line)
    if m and not m["rest"][:1].isdigit():
        return (n, len(m["lead"]) + 2,
                f"第 {n} 行的“-”后面少了一个空格：列表项要写成“- ”（减号加空格）再接内容"
                f"（应写成“{m['lead']}- {m['rest']}”）")
    m = _FLOW_TEXT.match(line)
    if m:
        value = m["value"].split(" #")[0].rstrip()
        close = "]" if value[0] == "[" else "}"
        # Text, not a list left open: words after the closing bracket, or Chinese with no bracket closed.
        if (close in value and value.split(close, 1)[1].strip(" ,")) or \
                (close not in value and re.search(r"[\u4e00-\u9fff]", value)):
            return (n, m.start("value") + 1,
                    f"第 {n} 行的值以“{value[0]}”开头，YAML 会把它当成{'列表' if close == ']' else '键值对'}"
                    f"而不是文字：请给整段文字加上英文单引号（应写成“{m['lead']}{m['key']}: '{value}'”）")
    m = _OPEN_QUOTE.match(line)
    if m:
        q, rest = m["q"], m["rest"].replace(m["q"] * 2, "") if m["q"] == "'" else m["rest"]
        if q not in rest:
            return (n, m.start("q") + 1,
                    f"第 {n} 行的值以引号 {q} 开头，但这一行里没有配对的 {q}：请在值的末尾补上 {q}，"
                    f"或删掉开头的 {q}（引号要成对，而且要在同一行里）")
    return None


def _culprit(n: int, line: str) -> tuple[int, int, str] | None:
    """(line, column, advice) when this line has a mistake of its own."""
    lead = _LEAD.match(line).group(0)
    if "\t" in lead:
        return (n, lead.index("\t") + 1,
                f"第 {n} 行开头用了制表符（Tab）缩进：YAML 只能用空格缩进。请删除这一行开头的 Tab，"
                "改用空格，让它和同一层的其他字段左边对齐")
    if "\u3000" in lead:
        return (n, lead.index("\u3000") + 1,
                f"第 {n} 行开头有全角空格“　”（中文输入法打出的空格）：缩进只能用半角空格。"
                "请删除这一行开头的空格，切换到英文输入法后重新用空格对齐")
    m = _FW_COLON.match(line)
    if m and ":" not in line[: m.end("key")]:
        return (n, line.index("：", m.end("key")) + 1,
                "把全角冒号“：”改成半角冒号“: ”，冒号后加一个空格"
                f"（应写成“{_fix_line(m['lead'], m['key'], m['rest'])}”；输入冒号前请切换到英文输入法）")
    m = _FW_SPACE_AFTER.match(line)
    if m:
        return (n, m.end("key") + 2,
                "冒号后面是全角空格“　”：请改成一个半角空格"
                f"（应写成“{_fix_line(m['lead'], m['key'], m['rest'])}”）")
    m = _NO_SPACE.match(line)
    if m and not m["rest"].startswith("//"):
        return (n, m.end("key") + 1,
                "冒号后少了一个空格：“字段名: 值”的冒号后面必须有空格"
                f"（应写成“{_fix_line(m['lead'], m['key'], m['rest'])}”）")
    return None


def _indent(line: str) -> int:
    return len(_LEAD.match(line).group(0))


_ITEM_LEAD = re.compile(r"^[ ]*(?:-[ ]+)*")


def _key_col(line: str) -> int:
    """Where the line's key starts: after the indentation and any “- ” (a list item's fields align there)."""
    return max(_indent(line), len(_ITEM_LEAD.match(line).group(0)))


def _content_lines(lines: list[str], upto: int) -> list[int]:
    """0-based indices of non-blank, non-comment lines before `upto` (0-based), nearest first."""
    return [i for i in range(min(upto, len(lines)) - 1, -1, -1)
            if lines[i].strip() and not lines[i].lstrip().startswith("#")]


def _indent_advice(lines: list[str], err: int) -> tuple[int, int, str] | None:
    """The line whose indentation differs from its neighbours, near the error line (0-based)."""
    if err >= len(lines) or not lines[err].strip():
        return None
    before = _content_lines(lines, err)
    if not before:
        return None
    prev = before[0]
    here, there = _key_col(lines[err]), _key_col(lines[prev])
    if here == there:
        return None
    prev_indent = _indent(lines[prev])
    if there > prev_indent and here == prev_indent > 0:
        # “  - id: h1” over fields aligned with its “-”: the dash was indented, not the fields.
        n, spaces = prev + 1, here - 2
        fix = f"改成 {spaces} 个" if spaces > 0 else "删掉"
        return (n, 1,
                f"第 {n} 行“{_show(lines[prev])}”的“- ”前面多了空格：这一项下面的字段从第 {here + 1} 列开始，"
                f"“- ”后面的字段名也应从第 {here + 1} 列开始，请把“- ”前面的 {prev_indent} 个空格{fix}")
    odd, other = err, prev
    if len(before) > 1 and _key_col(lines[before[1]]) == here and not lines[prev].rstrip().endswith(":"):
        odd, other = prev, err  # the line above is the one out of line
    n, want = odd + 1, _key_col(lines[other])
    dash = len(_ITEM_LEAD.match(lines[odd]).group(0)) - _indent(lines[odd])
    fix = (f"请把这一行开头改成 {want - dash} 个空格" if want - dash > 0
           else "请删除这一行开头的空格，让它顶格")
    return (n, 1,
            f"第 {n} 行“{_show(lines[odd])}”的缩进和上下行不一致（字段名从第 {_key_col(lines[odd]) + 1} "
            f"列开始，上下行从第 {want + 1} 列开始）：同一项的字段要左边对齐，{fix}"
            "（只有上一行以冒号结尾时，下一行才往里多缩进）")


def syntax(text: str, problem: str, line: int, context_line: int | None) -> tuple[int, int, str] | None:
    """(line, column, advice) for a YAML syntax error reported at 1-based `line`, or None.

    The parser often notices a mistake a line or two later than where it was made; any line up to
    the error with a typing mistake of its own is the likelier cause, the first one in the file.
    """
    lines = text.split("\n")
    last = max(line, context_line or 0)
    block_indent = None
    prev = None  # the previous content line
    for i, raw in enumerate(lines[:last]):
        if block_indent is not None:  # inside a | or > block: text, not YAML
            if not raw.strip() or _indent(raw) > block_indent:
                continue
            block_indent = None
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        # A deeper line after “key: value” continues that text (legal YAML): its colons are words.
        continues = prev is not None and _indent(raw) > _indent(prev) and not prev.rstrip().endswith(":") \
            and not _LEAD.match(raw).group(0).strip(" ")
        line_text = raw.rstrip("\r")
        after = next((x.rstrip("\r") for x in lines[i + 1:] if x.strip() and not x.lstrip().startswith("#")),
                     None)
        found = None if continues else (_shape(i + 1, line_text, after) or _culprit(i + 1, line_text))
        if found:
            return found
        if _BLOCK_SCALAR.search(raw):
            block_indent = _indent(raw)
        prev = raw
    if "could not find expected ':'" in problem and context_line:
        i = context_line - 1
        raw = lines[i] if i < len(lines) else ""
        if _BARE.match(raw):
            items = [j for j in _content_lines(lines, i)[:1] if lines[j].lstrip().startswith("- ")]
            if items:
                return (context_line, 1,
                        f"第 {context_line} 行“{_show(raw)}”缺少开头的“- ”：列表的每一项都要以“- ”"
                        "（减号加空格）开头，和上一项对齐")
            return (context_line, 1,
                    f"第 {context_line} 行“{_show(raw)}”缺少冒号：应写成“字段名: 值”"
                    "（半角冒号，冒号后加空格）；如果它是上一行文字的延续，请把它接到上一行")
    if any(p in problem for p in INDENT_PROBLEMS):
        return _indent_advice(lines, line - 1)
    return None


# --- values typed another way ----------------------------------------------------------------
_QUOTES = "“”‘’「」『』\"'"
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－／：　", "0123456789.,-/: ")
_DATE = re.compile(r"^(?:(?P<y>20\d{2}|\d{2})\s*[-/.年]\s*)?"
                   r"(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?$")
_DATE_COMPACT = re.compile(r"^(?P<y>20\d{2})(?P<m>\d{2})(?P<d>\d{2})$")
_MONTH = re.compile(r"^(?P<y>20\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?(?:份)?$")
_NUMBER = re.compile(r"^(?P<n>[-+]?\d[\d,，]*(?:\.\d+)?)\s*(?P<wan>万)?"
                     r"\s*(?P<unit>元|人|名|个|次|家|户|天|%|％)?$")


def unquoted(value: str) -> str | None:
    """The value without the Chinese (or doubled) quotes typed around it, if it had any."""
    if len(value) >= 2 and value[0] in _QUOTES and value[-1] in _QUOTES:
        return value[1:-1].strip()
    return None


def quotes_advice(value: str) -> str:
    return (f"两边的引号 {value[0]} {value[-1]} 被当成了内容的一部分：请删除这对引号"
            "（需要加引号时只能用英文单引号 '…'）")


def date_fix(value: str, year: str | None = None) -> str | None:
    """'2024-12-05' for 2024/12/05, 2024.12.5, 2024年12月5日, 20241205 or (with `year`) 12-05."""
    v = (unquoted(value) or value).translate(_FULLWIDTH).strip()
    m = _DATE.match(v) or _DATE_COMPACT.match(v)
    if not m:
        return None
    y = m["y"] or year
    if y is None:
        return None
    if len(y) == 2:
        y = "20" + y
    month, day = int(m["m"]), int(m["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{y}-{month:02d}-{day:02d}"


def month_fix(value: str) -> str | None:
    """'2024-12' for 2024/12, 2024.12, 2024年12月."""
    m = _MONTH.match((unquoted(value) or value).translate(_FULLWIDTH).strip())
    if not m or not 1 <= int(m["m"]) <= 12:
        return None
    return f"{m['y']}-{int(m['m']):02d}"


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"^[零〇一二两三四五六七八九十百千万]+$")


def chinese_number(text: str) -> int | None:
    """A Chinese numeral as people say it: 十二 → 12, 三百五十 → 350, 一万二千 → 12000, and the spoken
    short forms where a last digit counts in the unit below the one before it: 两万五 → 25000,
    一千二 → 1200 (but 三万零五百 → 30500 and 一万零二 → 10002: after 零 the digit means itself).
    None if the text is not a numeral. A wrong wage amount is worse than none, so anything unusual
    (two digits in a row, 万 twice) gives None rather than a guess."""
    if not _CN_NUMBER.match(text):
        return None
    total, section, digit, last_unit, zero = 0, 0, None, 0, False
    wan_seen = False
    for ch in text:
        if ch in ("零", "〇"):
            if digit is not None:
                return None  # 二零: digits read one by one, not a number as spoken
            zero = True
        elif ch in _CN_DIGITS:
            if digit is not None:
                return None  # 一二: not a number as written
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if last_unit and unit >= last_unit and last_unit < 10_000:
                return None  # 百千, 十十: units must fall
            section += (1 if digit is None else digit) * unit
            digit, last_unit, zero = None, unit, False
        else:  # 万
            if wan_seen:
                return None
            wan_seen = True
            total += (section + (digit or 0)) * 10_000
            section, digit, last_unit, zero = 0, None, 10_000, False
    if digit is not None and last_unit >= 100 and not zero:
        digit *= last_unit // 10  # 两万五, 一千二, 三百五: the short form
    return total + section + (digit or 0)


_MIXED_WAN = re.compile(r"^(?P<a>\d+(?:\.\d+)?)万(?P<b>\d)?$")


def number_fix(value: str) -> tuple[int | float, str] | None:
    """(number, what to change) for 12000元, 1.2万, 12,000, 6人, “12000”; None if not a number."""
    v = (unquoted(value) or value).translate(_FULLWIDTH).strip()
    mixed = _MIXED_WAN.match(v)
    if mixed and mixed["b"]:  # 2万5: spoken, = 25000
        n = round(float(mixed["a"]) * 10_000 + int(mixed["b"]) * 1000, 2)
        return (int(n) if n == int(n) else n), "只写阿拉伯数字，去掉“万”"
    m = _NUMBER.match(v)
    if not m:
        cn = re.match(r"^(?P<n>[零〇一二两三四五六七八九十百千万]+)(?P<unit>元|人|名|个|次|家|户|天)?$", v)
        n = chinese_number(cn["n"]) if cn else None
        return None if n is None else (n, "要用阿拉伯数字，不写汉字" + ("和单位" if cn["unit"] else ""))
    digits = m["n"].replace(",", "").replace("，", "")
    try:
        n = float(digits)
    except ValueError:
        return None
    wrong = []
    if unquoted(value) is not None:
        wrong.append("引号")
    if "," in m["n"] or "，" in m["n"]:
        wrong.append("千位逗号")
    if m["wan"]:
        n *= 10_000
        wrong.append("“万”")
    if m["unit"]:
        wrong.append(f"单位“{m['unit']}”")
    n = round(n, 2)
    n = int(n) if n == int(n) else n
    if value != value.translate(_FULLWIDTH) and not wrong:
        return n, "把全角数字改成半角数字（切换到英文输入法再输入）"
    return n, "只写阿拉伯数字，去掉" + ("、".join(wrong) or "引号")


def id_advice(value: str) -> str | None:
    """Why an id cannot be right whatever exists: quotes, several ids in one, spaces."""
    if unquoted(value) is not None:
        return quotes_advice(value)
    if any(c in value for c in "，,、；;"):
        return ("一个位置只能写一个编号：多个编号要分行写成列表，每行以“- ”开头"
                "（或写成 [编号1, 编号2]，用英文逗号）")
    if value != value.strip():
        return "编号前后多了空格（常见的是中文输入法打出的全角空格“　”）：请删除"
    if " - " in value:
        return "两项连在了一起：下一项的“- ”缩进多了，请让每一项的“- ”左边对齐"
    if " " in value or "\u3000" in value:
        return "编号里不能有空格：如果这是两个编号，可能是第二个前面少了“- ”，要分成两行"
    return None


# --- naming the field of a syntax error ------------------------------------------------------
_LINE_KEY = re.compile(r"^[ \t\u3000]*(?:-[ ]+)*(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \u3000]*[:：]")


def titles(schema: dict) -> dict[str, str]:
    """Field name → Chinese title, over every level of a schema (the first title wins)."""
    out: dict[str, str] = {}
    todo = [schema]
    while todo:
        node = todo.pop(0)
        if not isinstance(node, dict):
            continue
        for key, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict):
                if isinstance(sub.get("title"), str):
                    out.setdefault(key, sub["title"])
                todo.append(sub)
        if isinstance(node.get("items"), dict):
            todo.append(node["items"])
    return out


def line_field(line_text: str, names: dict[str, str]) -> str | None:
    """“涉及人数”（workers） for a line that starts with a known field name."""
    m = _LINE_KEY.match(line_text)
    if not m or m["key"] not in names:
        return None
    return f"“{names[m['key']]}”（{m['key']}）"
