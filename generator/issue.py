"""`zhiqian issue YYYY-MM | YYYY-QN`: issue a 通报 or 回头看 report and write its register entry.

The entry (content/issued/<document>.yaml, see analyse/issued.py) gets the next number of the year, the
commit the document was built from, the SHA-256 of the PDF and every figure it printed. The PDF is
rendered from the entry itself (after a YAML round trip), so a later build that reads the entry makes
the same bytes. Content must be committed: the commit is the document's provenance.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from pathlib import Path

import yaml

from generator.errors import UsageProblem
from generator.paths import CONTENT
from generator.workflow import gitio
from generator.workflow.yamlio import parse

KEY = re.compile(r"^20[0-9]{2}-((0[1-9]|1[0-2])|[Qq][1-4])$")
HEAD = "# yaml-language-server: $schema=../../schemas/issued.schema.json\n" \
       "# 已印发文件登记，由 zhiqian issue 写入，不要手工修改。更正在下一期通报中列出。\n"


def plain(value):
    """Facts as YAML-safe Python values (numpy scalars, tuples, non-string keys)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return plain(value.item())
    return value


def dump(record: dict) -> str:
    return HEAD + yaml.safe_dump(plain(record), allow_unicode=True, sort_keys=False, width=1000)


def issue(root: Path, key: str, log=print) -> dict:
    """Issue one document; return its register entry. Raises UsageProblem with a Chinese message."""
    from generator import provenance
    from generator.analyse import analyse, issued
    from generator.build import load_checked
    from generator.render import pdf

    root = Path(root).resolve()
    if not KEY.match(key or ""):
        raise UsageProblem(f"文件应写成 YYYY-MM（月度通报）或 YYYY-QN（回头看报告），而不是“{key}”。")
    key = key.upper() if "q" in key.lower() else key
    content = load_checked(root)
    if key in content.issued:
        r = content.issued[key]
        raise UsageProblem(f"{key} 已于{r['issued_on']}印发（{r['number']}），不能重新印发；"
                           "印发后的更正会列入下一期通报。")
    dirty = gitio._git(root, "status", "--porcelain", "--", CONTENT).stdout.decode().strip()
    if dirty:
        raise UsageProblem("content/ 有未提交的修改，请先提交再印发（登记要写明生成它的提交）：\n" + dirty)
    commit = gitio.resolve(root, "HEAD")
    tables = analyse(content, provenance.collect(root))
    doc = next((d for d in tables.documents if d.key == key), None)
    if doc is None:
        raise UsageProblem(f"{key} 还没有可以印发的文件：该月排查根治表的报送期限未过，或该季度尚未结束。")
    year = int(doc.issued_on[:4])
    record = issued.to_record(doc, issued.next_number(content, year), commit, content.settings)
    record = parse(dump(record))  # exactly what a later build will read
    with tempfile.TemporaryDirectory() as tmp:
        job = pdf.Job(f"bulletins/{doc.filename}", pdf.document_html(issued.from_record(record)))
        pdf.render_jobs([job], Path(tmp) / "out", root / pdf.CACHE)
        made = Path(tmp) / "out" / job.rel
        record["sha256"] = hashlib.sha256(made.read_bytes()).hexdigest()
        keep = root / "build" / "issued" / doc.filename  # the copy as issued (builds never replace it)
        keep.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made, keep)
    target = root / CONTENT / "issued" / f"{issued.file_stem(key)}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump(record), encoding="utf-8")
    log(f"已印发：{record['number']}《{record['title']}》，{record['issued_on']}，SHA-256 {record['sha256']}")
    log(f"登记：{target.relative_to(root)}；印发稿：{keep.relative_to(root)}。请提交登记文件。")
    return record
