"""Strict loading: what a staff member's file turns into, and the exact message when it cannot be trusted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from generator.check.positions import Positions
from generator.load import MAX_BYTES, load_tree, parse_text
from generator.yaml_parse import FastLoader, resolve_plain

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs


def parse(text: str):
    data, findings, _ok = parse_text(text, "content/x.yaml")
    return data, [(f.line, f.column, f.code, f.message) for f in findings]


def test_uses_the_c_parser() -> None:
    assert yaml.__with_libyaml__
    assert FastLoader.__mro__[1] is yaml.CSafeLoader


@pytest.mark.parametrize("raw, value", [
    ("no", False), ("Yes", True), ("OFF", False), ("on", True), ("true", True), ("y", "y"), ("n", "n"),
    ("~", None), ("null", None), ("", None),
    ("12", 12), ("-3", -3), ("0", 0), ("0123", 83), ("0x1F", 31), ("0b101", 5), ("1_000", 1000), ("1:30", 90),
    ("08", "08"), ("3.5", 3.5), ("1e5", "1e5"), ("1.5e+3", 1500.0), (".inf", ".inf"), (".nan", ".nan"),
    ("2024-07-01", "2024-07-01"), ("2024-07", "2024-07"), ("12-04", "12-04"), ("泥巴溪", "泥巴溪"),
])
def test_plain_scalars_follow_yaml_1_1_but_dates_stay_text(raw: str, value) -> None:
    assert resolve_plain(raw) == value
    assert type(resolve_plain(raw)) is type(value)


def test_same_values_as_pyyaml_on_shipped_content() -> None:
    class NoDates(yaml.CSafeLoader):
        pass

    NoDates.yaml_implicit_resolvers = {
        k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.CSafeLoader.yaml_implicit_resolvers.items()}
    files = sorted((FIXTURE / "content").rglob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        assert parse(text) == (yaml.load(text, Loader=NoDates), []), path


def test_keys_stay_text_and_quoted_values_stay_text() -> None:
    data, findings = parse("'2024': 1\n2025: 2\nno: x\nphone: '13500000301'\nfound_on: 2024-07-01\n")
    assert data == {"2024": 1, "2025": 2, "no": "x", "phone": "13500000301", "found_on": "2024-07-01"}
    assert findings == []


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "clues").mkdir(parents=True)
    text = "month: 2024-07\r\nsample: true\r\nclues:\r\n- id: c1\r\n  workers: 3\r\n"
    (content / "clues/2024-07.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = load_tree(content)
    assert result.findings == []
    assert result.documents[0].data == {"month": "2024-07", "sample": True,
                                        "clues": [{"id": "c1", "workers": 3}]}
    assert Positions(tmp_path).line_col("content/clues/2024-07.yaml", ("clues", 0, "workers")) == (5, 12)


@pytest.mark.parametrize("text, expected", [
    ("a: 1\nb: 2\na: 3\n",
     [(3, 1, "load.duplicate-key", "键“a”重复：第 1 行已经写过（YAML 会悄悄只保留最后一个），"
                                   "请合并成一处。")]),
    ("base: &b\n  x: 1\ncopy: *b\n",
     [(3, 7, "load.alias", "不允许使用别名“*b”：请把被引用的内容直接写在这里。")]),
    ("a: &unused 1\n",
     [(1, 4, "load.anchor", "不允许使用锚点“&unused”：请删除它。")]),
    ("a: !!str 12\nb: !python/object:os.system x\n",
     [(1, 4, "load.tag", "不允许使用 YAML 标签“!!str”：请删除标签，直接写值（文本请加引号）。"),
      (2, 4, "load.tag", "不允许使用 YAML 标签“!python/object:os.system”：请删除标签，"
                         "直接写值（文本请加引号）。")]),
    ("a: 1\n---\na: 2\n",
     [(3, 1, "load.multiple-documents",
       "一个文件里只能有一份内容，这里（第 3 行）开始了第二份（“---”分隔）："
       "请删除“---”或把它拆成单独的文件。")]),
    ("? [a, b]\n: 1\n", [(1, 3, "load.complex-key", "键必须是简单的文本，不能是列表或键值对。")]),
    ("", [(1, 1, "load.empty", "文件是空的：请按模板填写内容。")]),
    ("# only a comment\n", [(1, 1, "load.empty", "文件是空的：请按模板填写内容。")]),
    ("a: b: c\n",
     [(1, 5, "load.syntax", "YAML 语法错误：这里不能出现“键: 值”：可能是缩进不对、冒号后少了空格，"
                            "或者文字里含有半角冒号加空格“: ”（请把文字里的冒号改成全角“：”，"
                            "或给整段文字加上英文单引号）。")]),
    ("a:\n\t- 1\n",
     [(2, 1, "load.syntax", "YAML 语法错误：第 2 行开头用了制表符（Tab）缩进：YAML 只能用空格缩进。"
                            "请删除这一行开头的 Tab，改用空格，让它和同一层的其他字段左边对齐。")]),
    ("b: 1\na: \"x\x07\"\n",
     [(2, 6, "load.syntax", "YAML 语法错误：文件里有不可见的控制字符，请删除"
                            "（常见于从网页或 Word 复制的内容）（这个字符的编码是 U+0007）。")]),
    ("a: 'open\n", [(1, 4, "load.syntax",
                     "YAML 语法错误：第 1 行的值以引号 ' 开头，但这一行里没有配对的 '："
                     "请在值的末尾补上 '，或删掉开头的 '（引号要成对，而且要在同一行里）。")]),
    ("a: [1, 2\nb: 3\n", [(1, 4, "load.syntax", "YAML 语法错误：方括号列表没有正确结束：缺少“,”或“]”。")]),
    ("a: *nowhere\n", [(1, 4, "load.alias",
                        "YAML 语法错误：使用了未定义的别名（*…）；本系统不允许使用别名。")]),
])
def test_what_cannot_be_trusted(text: str, expected) -> None:
    assert parse(text)[1] == expected


def _tree(tmp_path: Path, files: dict[str, bytes]) -> Path:
    content = tmp_path / "content"
    for rel, data in files.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_bytes(data)
    return content


def _found(content: Path):
    return [(f.file, f.line, f.code, f.severity, f.message) for f in load_tree(content).findings]


def test_encodings(tmp_path: Path) -> None:
    content = _tree(tmp_path, {
        "clues/2024-07.yaml": "month: 2024-07\nsummary: 泥巴溪村道路工地\n".encode("gbk"),
        "clues/2024-08.yaml": "month: 2024-08\n".encode("utf-16"),
        "clues/2024-09.yaml": b"month: 2024-09\nsummary: \xff\xfe\xfd\n",
    })
    save_as = "请用 UTF-8 编码另存（记事本“另存为”→ 编码选 UTF-8）。"
    assert _found(content) == [
        ("content/clues/2024-07.yaml", 2, "load.encoding", "error",
         f"文件不是 UTF-8 编码，看起来是 GBK/GB2312 编码（Windows 中文系统的默认编码）：{save_as}"),
        ("content/clues/2024-08.yaml", 1, "load.encoding", "error", f"文件是 UTF-16 编码：{save_as}"),
        ("content/clues/2024-09.yaml", 2, "load.encoding", "error", "文件不是 UTF-8 编码，"
                                                                    f"无法识别编码：{save_as}"),
    ]


def test_binary_and_oversized_files(tmp_path: Path) -> None:
    content = _tree(tmp_path, {
        "projects/photo.yaml": b"\x89PNG\r\n\x1a\n\x00\x00",
        "projects/huge.yaml": b"id: huge\n" + b"# " + b"x" * MAX_BYTES + b"\n",
    })
    assert _found(content) == [
        ("content/projects/huge.yaml", 1, "load.too-large", "error",
         "文件太大（1.0 MB），超过 1 MB 的上限：内容文件应当是一条记录，请拆分或检查是否放错了文件。"),
        ("content/projects/photo.yaml", 3, "load.binary", "error",
         "这是二进制文件（含 NUL 字节），不是文本：内容目录里只能放 YAML 和 Markdown 文本。"),
    ]


def test_links(tmp_path: Path) -> None:
    content = _tree(tmp_path, {"enterprises/real.yaml": b"id: real\n"})
    (tmp_path / "secret.yaml").write_text("id: secret\n", encoding="utf-8")
    os.symlink("../../secret.yaml", content / "enterprises/secret.yaml")
    os.symlink("real.yaml", content / "enterprises/alias.yaml")  # stays inside content/: read
    os.symlink("gone.yaml", content / "enterprises/broken.yaml")
    os.symlink(str(tmp_path), content / "outside-dir")
    result = load_tree(content)
    assert [(f.file, f.code) for f in result.findings] == [
        ("content/enterprises/broken.yaml", "load.unreadable"),
        ("content/enterprises/secret.yaml", "load.symlink-outside"),
        ("content/outside-dir", "load.symlink-outside"),
    ]
    secret = next(f for f in result.findings if f.file.endswith("secret.yaml"))
    assert secret.message == (f"这是指向 content/ 以外（{tmp_path / 'secret.yaml'}）的链接："
                              "内容必须放在 content/ 里，请删除链接、放入实际文件。")
    assert sorted(d.rel for d in result.documents) == ["enterprises/alias.yaml", "enterprises/real.yaml"]


def test_unknown_files_warn_and_pages_load(tmp_path: Path) -> None:
    content = _tree(tmp_path, {
        "returns/2024-07/nibaxi.yml": b"month: 2024-07\n",
        "returns/nibaxi.yaml": b"month: 2024-07\n",
        "returns/2024-07/表.xlsx": b"PK",
        "pages/guide/欠薪怎么办.md": "# 欠薪怎么办\n".encode(),
        "pages/img/poster.png": b"\x89PNG\x00",
        "pages/.DS_Store": b"\x00",
    })
    result = load_tree(content)
    assert result.pages == {"guide/欠薪怎么办.md": "# 欠薪怎么办\n"}
    assert [(f.file, f.severity, f.message) for f in result.findings] == [
        ("content/returns/2024-07/nibaxi.yml", "error", "文件名“nibaxi.yml”的扩展名不对，"
                                                        "这个文件没有被读取：请改名为“nibaxi.yaml”。"),
        ("content/returns/2024-07/表.xlsx", "warning",
         "这是 Office 文件，不会被读取：Excel 月报请用 zhiqian import-xlsx 转成 YAML。"),
        ("content/returns/nibaxi.yaml", "warning",
         "这个文件不在约定的位置，没有被读取：月报应为 returns/YYYY-MM/单位编号.yaml，项目为 "
         "projects/编号.yaml，"
         "线索为 clues/YYYY-MM.yaml，宣传为 publicity/YYYY-MM-DD-名称.yaml。"),
    ]


def test_positions_point_at_values_and_keys(tmp_path: Path) -> None:
    text = b"# comment\nid: p\nplatform:\n  readings:\n  - month: 2024-07\n    run_rate: 120\n"
    _tree(tmp_path, {"projects/p.yaml": text})
    pos = Positions(tmp_path)
    rate = ("platform", "readings", 0, "run_rate")
    assert pos.line_col("content/projects/p.yaml", rate) == (6, 15)
    assert pos.line_col("content/projects/p.yaml", rate, at_key=True) == (6, 5)
    # a missing field points at its parent
    assert pos.line_col("content/projects/p.yaml", ("platform", "connected")) == (4, 3)
    assert pos.line_col("content/projects/p.yaml", ()) == (2, 1)


# --- Chinese-input mistakes: the line that caused a syntax error, in plain words ------------
@pytest.mark.parametrize("text, line, col, advice", [
    # the parser notices the full-width colon on the next line; the finding points at the colon
    ("a: 1\nworkers：12\nb: 2\n", 2, 8,
     "把全角冒号“：”改成半角冒号“: ”，冒号后加一个空格（应写成“workers: 12”；输入冒号前请切换到英文输入法）"),
    ("a: 1\nworkers:12\nb: 2\n", 2, 8,
     "冒号后少了一个空格：“字段名: 值”的冒号后面必须有空格（应写成“workers: 12”）"),
    ("h:\n- id: 1\n\u3000a: 2\n  b: 3\n", 3, 1,
     "第 3 行开头有全角空格“　”（中文输入法打出的空格）：缩进只能用半角空格。"
     "请删除这一行开头的空格，切换到英文输入法后重新用空格对齐"),
    ("h:\n- id: 1\n  a: 2\nb: 3\n  c: 4\n", 4, 1,
     "第 4 行“b: 3”的缩进和上下行不一致（字段名从第 1 列开始，上下行从第 3 列开始）：同一项的字段要左边对齐，"
     "请把这一行开头改成 2 个空格（只有上一行以冒号结尾时，下一行才往里多缩进）"),
    ("h:\n  - id: 1\n  a: 2\n", 2, 1,
     "第 2 行“- id: 1”的“- ”前面多了空格：这一项下面的字段从第 3 列开始，“- ”后面的字段名也应从第 3 列开始，"
     "请把“- ”前面的 2 个空格删掉"),
    ("l:\n- x\ny\nc: 1\n", 3, 1,
     "第 3 行“y”缺少开头的“- ”：列表的每一项都要以“- ”（减号加空格）开头，和上一项对齐"),
    # colons in text before the real mistake are not blamed: a continued line, a | block
    ("d: 负责人拖欠\n  联系人：张三\nw: 6\nb:\n\t- 1\n", 5, 1,
     "第 5 行开头用了制表符（Tab）缩进：YAML 只能用空格缩进。请删除这一行开头的 Tab，改用空格，"
     "让它和同一层的其他字段左边对齐"),
    ("m: |\n  联系人：张三\n  电话:123\nw: 6\nb:\n\t- 1\n", 6, 1,
     "第 6 行开头用了制表符（Tab）缩进：YAML 只能用空格缩进。请删除这一行开头的 Tab，改用空格，"
     "让它和同一层的其他字段左边对齐"),
])
def test_syntax_errors_point_at_the_mistake(text: str, line: int, col: int, advice: str) -> None:
    assert parse(text)[1] == [(line, col, "load.syntax", f"YAML 语法错误：{advice}。")]


@pytest.mark.parametrize("value, year, fixed", [
    ("2024/12/05", None, "2024-12-05"), ("2024.12.5", None, "2024-12-05"),
    ("2024年12月5日", None, "2024-12-05"),
    ("12-05", "2024", "2024-12-05"), ("12-05", None, None), ("20241205", None, "2024-12-05"),
    ("“2024-12-23”", None, "2024-12-23"), ("2024-13-05", None, None), ("明天", None, None),
])
def test_dates_written_another_way(value: str, year, fixed) -> None:
    from generator.hints import date_fix

    assert date_fix(value, year) == fixed


@pytest.mark.parametrize("value, fixed", [
    ("12000元", (12000, "只写阿拉伯数字，去掉单位“元”")), ("1.2万", (12000, "只写阿拉伯数字，去掉“万”")),
    ("12,000", (12000, "只写阿拉伯数字，去掉千位逗号")), ("六", (6, "要用阿拉伯数字，不写汉字")),
    ("一万二千", (12000, "要用阿拉伯数字，不写汉字")), ("不详", None), ("一二", None),
])
def test_numbers_written_another_way(value: str, fixed) -> None:
    from generator.hints import number_fix

    assert number_fix(value) == fixed
