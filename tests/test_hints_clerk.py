"""Advice for what clerks actually type: spoken Chinese amounts are read as people mean them."""

from __future__ import annotations

import pytest

from generator.errors import UsageProblem
from generator.hints import chinese_number, number_fix


@pytest.mark.parametrize("spoken, value", [
    ("两万五", 25000), ("一千二", 1200), ("三万零五百", 30500), ("十二", 12), ("二十五", 25),
    ("一万二千", 12000), ("一万零二", 10002), ("三百五", 350), ("两万五千五", 25500), ("十二万五", 125000),
    ("一百零五", 105), ("两万", 20000), ("一二", None), ("二零二四", None), ("百千", None), ("万万", None),
])
def test_spoken_chinese_numerals(spoken: str, value) -> None:
    assert chinese_number(spoken) == value


@pytest.mark.parametrize("written, fixed", [
    ("两万五", (25000, "要用阿拉伯数字，不写汉字")), ("一千二元", (1200, "要用阿拉伯数字，不写汉字和单位")),
    ("三万零五百", (30500, "要用阿拉伯数字，不写汉字")), ("1.2万", (12000, "只写阿拉伯数字，去掉“万”")),
    ("2万5", (25000, "只写阿拉伯数字，去掉“万”")), ("十二", (12, "要用阿拉伯数字，不写汉字")),
])
def test_amounts_written_the_spoken_way(written: str, fixed) -> None:
    assert number_fix(written) == fixed


def test_validate_suggests_the_spoken_amount(tmp_path) -> None:
    import io
    import json

    from generator.check.report import run_validate
    from tests.test_check import make_tree

    root = make_tree(None, tmp_path)
    path = root / "content/returns/2024-12/changjiang.yaml"
    text = path.read_text(encoding="utf-8").replace("amount_owed_yuan: 12000", "amount_owed_yuan: 两万五")
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    assert run_validate(root, [path], "json", out=out) == 1
    [finding] = json.loads(out.getvalue())["findings"]
    assert finding["message"].endswith("实际为文本“两万五”。应写成 25000（要用阿拉伯数字，不写汉字）。")


def test_validate_annotations_have_chinese_titles(tmp_path) -> None:
    import io

    from generator.check.report import run_validate
    from tests.test_check import make_tree

    root = make_tree(None, tmp_path)
    path = root / "content/returns/2024-12/changjiang.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("workers: 6", "workers: 六"), encoding="utf-8")
    out = io.StringIO()
    run_validate(root, [path], "github", out=out)
    assert out.getvalue().startswith(
        "::error file=content/returns/2024-12/changjiang.yaml,line=20,col=12,title=类型不对::")


def test_a_return_outside_content_is_an_error_naming_where_it_belongs(tmp_path) -> None:
    import io
    import shutil

    from generator.check.report import run_validate
    from tests.test_check import make_tree

    root = make_tree(None, tmp_path)
    (root / "2025-01").mkdir()
    shutil.copyfile(root / "content/returns/2024-12/nibaxi.yaml", root / "2025-01/nibaxi.yaml")
    out = io.StringIO()
    assert run_validate(root, [], "text", out=out) == 1
    assert out.getvalue().splitlines()[0] == (
        "2025-01/nibaxi.yaml:1:1: 错误 [return.misplaced] 这是一份月报，但放在了 2025-01/nibaxi.yaml："
        "只有 content/returns/ 里的月报会被读取，这个文件不会被报送。"
        "请把它移到 content/returns/2025-01/nibaxi.yaml。")
    with pytest.raises(UsageProblem) as refused:  # the CLI prints it and exits 2
        run_validate(root, [root / "2025-01/nibaxi.yaml"], "text", out=io.StringIO())
    assert refused.value.message.strip().endswith(
        "这像是一份月报，只有放在 content/returns/2025-01/nibaxi.yaml 才会被读取和报送："
        "请把它移到那里再校验。")
