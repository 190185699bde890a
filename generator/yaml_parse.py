"""One YAML file's text → its value and findings: the fast, strict parse behind generator/load.py.

PyYAML's C parser only *composes* nodes, with a resolver that merely marks scalars as plain or quoted;
a lean constructor below turns nodes into values. It keeps YAML 1.1's scalar habits on purpose (`no` →
False, `0123` → 83) so the schema layer can say what happened, but never makes dates (they stay strings)
and refuses what makes a file ambiguous: duplicate keys, anchors and aliases, explicit tags, several
documents. Syntax errors are said in Chinese, at the line to fix.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from generator.findings import Finding, at_mark
from generator.yaml_tags import MAP, PLAIN, QUOTED, SEQ, TooLong

# Bounded work per file, checked before anything is built (so each file costs under ~0.3 s and ~20 MB).
# Every YAML node past the first needs a separator (line break, comma, bracket, "- " or ": "), so this caps
# the node count near twice that number. The biggest real file is taskforce.yaml: ~600 for one town, ~43,000
# for a county roster of 2,050 people (bench/gen_county.py), so the cap leaves room for ~5,000 people.
# Measured worst case at the cap (flow maps): ~3 s and ~75 MB, against minutes and gigabytes uncapped.
MAX_MARKS = 120_000
# A number longer than this is not a count or an amount of money: it is kept as a TooLong (so the rules
# report it, see check/rules_numbers.py) instead of converting its digits (Python refuses > 4300 digits).
MAX_NUMBER_CHARS = 40

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FastLoader(_Base):
    """C parser + composer; resolution is deferred to construct() (one cheap call per node)."""

    def resolve(self, kind, value, implicit):  # noqa: ARG002 - signature fixed by PyYAML
        if kind is ScalarNode:
            return PLAIN if implicit[0] else QUOTED
        return MAP if kind is MappingNode else SEQ


def _new_loader(text: str) -> FastLoader:
    loader = FastLoader(text)
    # Path resolvers are unused: cheap built-ins instead of two Python calls per node.
    loader.descend_resolver = {}.get
    loader.ascend_resolver = tuple
    return loader


# --- YAML 1.1 plain scalars, as PyYAML's SafeLoader resolves them (minus timestamps) ----------
_BOOL = {v: True for v in ("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")}
_BOOL.update({v: False for v in ("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")})
_NULL = {"", "~", "null", "Null", "NULL"}
_SPECIAL: dict[str, Any] = {**_BOOL, **{v: None for v in _NULL}}
_NUMERIC_START = frozenset("-+0123456789.")
_INT = re.compile(r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+
    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""", re.X)
_FLOAT = re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    |\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*)$""", re.X)
_MISSING = object()
_INF = float("inf")


def _sexagesimal(value: str, num) -> Any:
    total, base = 0, 1
    for part in reversed(value.split(":")):
        total += num(part) * base
        base *= 60
    return total


def resolve_plain(value: str) -> Any:
    """The value PyYAML's YAML 1.1 SafeLoader gives a plain scalar; dates, .inf and .nan stay text."""
    special = _SPECIAL.get(value, _MISSING)
    if special is not _MISSING:
        return special
    if value[0] not in _NUMERIC_START:
        return value
    if len(value) > MAX_NUMBER_CHARS and (_INT.match(value) or _FLOAT.match(value)):
        return TooLong(value)
    if value.isascii() and value.isdigit() and (value[0] != "0" or len(value) == 1):
        return int(value)
    if _INT.match(value):
        v = value.replace("_", "")
        sign = -1 if v[0] == "-" else 1
        if v[0] in "+-":
            v = v[1:]
        if v == "0":
            return 0
        if v.startswith("0b"):
            return sign * int(v[2:], 2)
        if v.startswith("0x"):
            return sign * int(v[2:], 16)
        if v[0] == "0":
            return sign * int(v, 8)
        if ":" in v:
            return sign * _sexagesimal(v, int)
        return sign * int(v)
    if _FLOAT.match(value):
        v = value.replace("_", "").lower()
        sign = -1 if v[0] == "-" else 1
        if v[0] in "+-":
            v = v[1:]
        if ":" in v:
            return sign * _sexagesimal(v, float)
        number = float(v)
        return TooLong(value) if number == _INF else sign * number
    return value


def _short_tag(tag: str) -> str:
    """The tag as the user wrote it: tag:yaml.org,2002:int → !!int."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


# --- construction --------------------------------------------------------------------------
class _Builder:
    """Turns a composed node tree into plain dicts/lists/scalars, recording what it refuses."""

    __slots__ = ("file", "findings")

    def __init__(self, file: str):
        self.file = file
        self.findings: list[Finding] = []

    def _at(self, code: str, node, message: str) -> None:
        m = node.start_mark
        self.findings.append(at_mark(code, self.file, m.line + 1, m.column + 1, message))

    def tagged(self, node) -> Any:
        tag = _short_tag(node.tag)
        self._at("load.tag", node, f"不允许使用 YAML 标签“{tag}”：请删除标签，直接写值（文本请加引号）。")
        if isinstance(node, ScalarNode):  # read it as if untagged, so one mistake gives one finding
            return resolve_plain(node.value) if node.value else node.value
        return self.build(node, checked=True)

    def key(self, node) -> Any:
        if type(node) is ScalarNode:
            if node.tag is PLAIN or node.tag is QUOTED:
                return node.value  # keys stay text: `2024:` and `no:` mean what they say
            self._at("load.tag", node, f"不允许使用 YAML 标签“{_short_tag(node.tag)}”。")
            return node.value
        self._at("load.complex-key", node, "键必须是简单的文本，不能是列表或键值对。")
        return None

    def build(self, node, checked: bool = False, item: bool = False) -> Any:
        tag = node.tag
        cls = type(node)
        if cls is MappingNode:
            if tag is not MAP and not checked:
                return self.tagged(node)
            out: dict = {}
            dups = 0
            for knode, vnode in node.value:
                key = self.key(knode)
                if type(vnode) is ScalarNode:
                    vtag = vnode.tag
                    if vtag is PLAIN:
                        raw = vnode.value  # most plain values are text: skip the call for them
                        special = raw == "" or raw in _SPECIAL or raw[0] in _NUMERIC_START
                        value = resolve_plain(raw) if special else raw
                    elif vtag is QUOTED:
                        value = vnode.value
                    else:
                        value = self.tagged(vnode)
                else:
                    value = self.build(vnode)
                if key in out:
                    dups += 1
                    first = next(k for k, _ in node.value if type(k) is ScalarNode and k.value == key)
                    line = first.start_mark.line + 1
                    if dups == 1 and item and first is node.value[0][0]:
                        # The list item's first key again: a new item whose “- ” was left out. Its
                        # other keys repeat too; one finding says what to do.
                        self._at("load.duplicate-key", knode,
                                 f"键“{key}”重复：第 {line} 行已经写过。看起来第 {knode.start_mark.line + 1} "
                                 f"行开始的是列表里新的一项，但前面少了“- ”：请把这一行写成“- {key}: …”"
                                 "（“- ”与上一项的“- ”对齐）。")
                        dups = -len(node.value)  # no further duplicate findings for this item
                    elif dups > 0:
                        self._at("load.duplicate-key", knode,
                                 f"键“{key}”重复：第 {line} 行已经写过（YAML 会悄悄只保留最后一个），"
                                 "请合并成一处。")
                if key is not None:
                    out[key] = value
            return out
        if cls is SequenceNode:
            if tag is not SEQ and not checked:
                return self.tagged(node)
            items = []
            append = items.append
            for item in node.value:
                if type(item) is ScalarNode:
                    itag = item.tag
                    if itag is PLAIN:
                        append(resolve_plain(item.value))
                    elif itag is QUOTED:
                        append(item.value)
                    else:
                        append(self.tagged(item))
                else:
                    append(self.build(item, False, True))
            return items
        if tag is PLAIN:
            return resolve_plain(node.value)
        if tag is QUOTED:
            return node.value
        return self.tagged(node)


# --- syntax errors in Chinese --------------------------------------------------------------
_PROBLEMS: list[tuple[str, str]] = [
    ("mapping values are not allowed",
     "这里不能出现“键: 值”：可能是缩进不对、冒号后少了空格，或者文字里含有半角冒号加空格“: ”"
     "（请把文字里的冒号改成全角“：”，或给整段文字加上英文单引号）"),
    ("could not find expected ':'", "找不到应有的冒号“:”：可能是缩进不对、少了冒号，或者引号没有成对"),
    ("did not find expected key", "缩进不对：这一行应当和上面同级的键对齐"),
    ("did not find expected '-' indicator", "缩进不对：这里应当是以“- ”开头的列表项"),
    ("did not find expected node content", "这里缺少内容：可能多写了符号或缩进不对"),
    ("cannot start any token",
     "这里有不能出现在开头的字符（例如制表符 Tab 或 @、`）：缩进请用空格，特殊字符开头的文本请加引号"),
    ("found a tab character", "不能用制表符（Tab）缩进，请改用空格"),
    ("found unknown escape character", "双引号文本里有无效的转义符“\\”：请改用单引号"),
    ("found unexpected end of stream", "文件意外结束：可能有引号或括号没有闭合"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("found undefined alias", "使用了未定义的别名（*…）；本系统不允许使用别名"),
    ("found duplicate anchor", "锚点（&…）重复；本系统不允许使用锚点"),
    ("expected <block end>", "缩进不一致：同一层的内容应当对齐"),
    ("expected ',' or ']'", "方括号列表没有正确结束：缺少“,”或“]”"),
    ("expected ',' or '}'", "花括号没有正确结束：缺少“,”或“}”"),
    ("control characters are not allowed",
     "文件里有不可见的控制字符，请删除（常见于从网页或 Word 复制的内容）"),
    ("special characters are not allowed",
     "文件里有不可见的特殊字符，请删除（常见于从网页或 Word 复制的内容）"),
]


def _syntax_message(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    for needle, zh in _PROBLEMS:
        if needle in problem or needle in (getattr(exc, "context", None) or ""):
            return f"YAML 语法错误：{zh}。"
    return f"YAML 语法错误。（解析器原文：{problem}）"


# Errors found only at the end of the file: the opening quote or bracket is the useful place.
_UNCLOSED = ("found unexpected end of stream", "did not find expected ',' or ']'",
             "did not find expected ',' or '}'")
# Found on the line after the mistake: the line where the would-be key starts is the one to fix.
_AT_CONTEXT = _UNCLOSED + ("could not find expected ':'",)


def _mark_of(exc: yaml.YAMLError) -> tuple[int, int]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if getattr(exc, "problem", None) in _AT_CONTEXT and getattr(exc, "context_mark", None) is not None:
        mark = exc.context_mark
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1


# --- one file ------------------------------------------------------------------------------
def compose(text: str) -> list:
    """Every document's root node (raises yaml.YAMLError on a syntax error)."""
    loader = _new_loader(text)
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
        return nodes
    finally:
        loader.dispose()


_ANCHOR_HINT = re.compile(r"[&*]")


def _anchor_findings(text: str, file: str) -> list[Finding]:
    """Anchors (&a) and aliases (*a), found from parser events (only run when & or * occurs)."""
    out: list[Finding] = []
    used: set[str] = set()
    anchors: list[tuple[str, Any]] = []
    for event in yaml.parse(text, Loader=_Base):
        m = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            first = not used  # one finding per file: a file of nested aliases has thousands
            used.add(event.anchor)
            if first:
                out.append(at_mark("load.alias", file, m.line + 1, m.column + 1,
                                   f"不允许使用别名“*{event.anchor}”：请把被引用的内容直接写在这里。"))
        elif getattr(event, "anchor", None):
            anchors.append((event.anchor, m))
    for name, m in anchors:
        if name not in used:
            out.append(at_mark("load.anchor", file, m.line + 1, m.column + 1,
                               f"不允许使用锚点“&{name}”：请删除它。"))
    return out


def _syntax_finding(text: str, file: str, e: yaml.MarkedYAMLError, line: int, col: int) -> Finding:
    """The syntax error at the line that caused it, in plain words when the mistake is a known one."""
    from generator import hints  # only files with a syntax error pay for the diagnosis

    problem_line = e.problem_mark.line + 1 if e.problem_mark is not None else line
    context_line = e.context_mark.line + 1 if e.context_mark is not None else None
    found = hints.syntax(text, e.problem or "", problem_line, context_line)
    if found is not None:
        line, col, advice = found
        return at_mark("load.syntax", file, line, col, f"YAML 语法错误：{advice}。")
    return at_mark("load.syntax", file, line, col, _syntax_message(e))


def parse_text(text: str, file: str) -> tuple[Any, list[Finding], bool]:
    """(data, findings, ok). ok is False when the file has no usable data."""
    if len(text) > MAX_MARKS:
        marks = sum(text.count(sep) for sep in ("\n", ",", "[", "{", "- ", ": "))
        if marks > MAX_MARKS:
            return None, [at_mark(
                "load.too-many-nodes", file, 1, 1,
                f"文件内容条目太多（约 {marks} 处分隔，上限 {MAX_MARKS}）：一个内容文件应当是一条记录，"
                "请拆分，或检查是否放错了文件。")], False
    try:
        nodes = compose(text)
    except yaml.MarkedYAMLError as e:
        line, col = _mark_of(e)
        if "alias" in (e.problem or ""):
            return None, [at_mark("load.alias", file, line, col, _syntax_message(e))], False
        return None, [_syntax_finding(text, file, e, line, col)], False
    except yaml.reader.ReaderError as e:  # a character YAML refuses; it knows only its offset
        before = text[: e.position]
        line, col = before.count("\n") + 1, e.position - (before.rfind("\n") + 1) + 1
        zh = "文件里有不可见的控制字符，请删除（常见于从网页或 Word 复制的内容）"
        return None, [at_mark("load.syntax", file, line, col,
                              f"YAML 语法错误：{zh}（这个字符的编码是 U+{e.character:04X}）。")], False
    except yaml.YAMLError as e:
        line, col = _mark_of(e)
        return None, [at_mark("load.syntax", file, line, col, _syntax_message(e))], False
    if not nodes:
        return None, [at_mark("load.empty", file, 1, 1, "文件是空的：请按模板填写内容。")], False
    findings: list[Finding] = []
    if len(nodes) > 1:
        m = nodes[1].start_mark
        findings.append(at_mark("load.multiple-documents", file, m.line + 1, 1,
                                f"一个文件里只能有一份内容，这里（第 {m.line + 1} 行）"
                                "开始了第二份（“---”分隔）："
                                f"请删除“---”或把它拆成单独的文件。"))
    if "&" in text or "*" in text:
        anchors = _anchor_findings(text, file)
        findings.extend(anchors)
        if any(f.code == "load.alias" for f in anchors):
            # Billion laughs: building would expand every alias (minutes, gigabytes). The composed
            # tree shares alias nodes, so nothing has expanded yet; the file is refused here.
            return None, findings, False
    builder = _Builder(file)
    try:
        data = builder.build(nodes[0])
    except RecursionError:
        return None, [at_mark("load.too-deep", file, 1, 1, "嵌套层次太深，无法读取。")], False
    findings.extend(builder.findings)
    return data, findings, True
