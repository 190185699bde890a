"""Write the staff web form: build/internal/admin/ (index.html, config.yml, the Decap CMS bundle).

The bundle is copied from cms/node_modules (installed by .ci/setup), never loaded from a CDN: the
internal site works on an intranet without internet. The config comes from form/config.py.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
from pathlib import Path

import yaml

from generator.build_cache import write_whole
from generator.form import config as cms_config
from generator.model import Content

BUNDLE = Path("cms") / "node_modules" / "decap-cms" / "dist"
SCHEMA_KINDS = ("return", "clues", "publicity")

INDEX_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>在线填报 · {title}</title>
<style>
/* Decap's editor is at least 800 px wide; on a phone the form then runs off the screen. */
@media (max-width: 799px) {{
  [class*="-EditorContainer"], [class*="-ToolbarContainer"] {{ min-width: 0 !important; }}
}}
</style>
</head>
<body>
<noscript>在线填报需要浏览器启用 JavaScript。
也可以用 Excel 模板或文本编辑器报送，见《怎样报送月报》。</noscript>
<script src="decap-cms.js"></script>
</body>
</html>
"""


REPO = Path(__file__).resolve().parents[2]


def bundle_dir(root: Path) -> Path:
    """The npm package beside the content, else the one of this checkout (tests build copies of fixtures)."""
    here = Path(root) / BUNDLE
    return here if (here / "decap-cms.js").is_file() else REPO / BUNDLE


def load_schemas(root: Path) -> dict[str, dict]:
    return {k: json.loads((Path(root) / "schemas" / f"{k}.schema.json").read_text(encoding="utf-8"))
            for k in SCHEMA_KINDS}


# libyaml's emitter when present: a county's option lists (750 units, 2,050 people) took ~5 s in pure Python
class _NoAliases(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data) -> bool:  # shared option lists are written out in full
        return True


def config_text(cfg: dict) -> str:
    head = "# 由 zhiqian build 根据 schemas/ 和 content/ 生成，请勿手工修改。\n"
    return head + yaml.dump(cfg, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=120)


# Where the last config.yml is kept (under the repository root; build.py passes it): a county's took ~1.2 s
# to write as YAML, and it changes only when a unit, person, project or enterprise is added or renamed.
CACHE = Path("build") / ".cache" / "form"


class ConfigCache:
    """build/.cache/form/config.yml: the last config.yml, with the key of what it was written from.

    The key is the SHA-256 of cfg as JSON in its own key order (the order YAML writes), this file and the
    PyYAML version; key and text share one file, replaced in one step, so they always belong together.
    A new text is kept by save(), which build.py calls once the whole internal site was written."""

    def __init__(self, folder: Path, reuse: bool):
        self.file = Path(folder) / "config.yml"
        self.reuse = reuse
        self.pending: str | None = None

    def text(self, cfg: dict) -> str:
        try:
            data = json.dumps(cfg, ensure_ascii=False)
        except (TypeError, ValueError):  # not JSON: written every time
            return config_text(cfg)
        code = Path(__file__).read_bytes() + yaml.__version__.encode()
        key = hashlib.sha256(code + data.encode("utf-8")).hexdigest()
        if self.reuse:
            try:
                old_key, _, text = self.file.read_text(encoding="utf-8").partition("\n")
            except OSError:
                old_key = text = ""
            if old_key == key:
                return text
        text = config_text(cfg)
        self.pending = f"{key}\n{text}"
        return text

    def save(self) -> None:
        if self.pending is None:
            return
        write_whole(self.file, self.pending.encode("utf-8"))
        self.pending = None


def copy_bundle(src: Path, out: Path) -> None:
    """decap-cms.js, its numbered chunks and wasm files, and the licence notes (not the source maps)."""
    for f in sorted(src.iterdir()):
        name = f.name
        if name == "decap-cms.js" or name.endswith((".decap-cms.js", ".wasm", "decap-cms.js.LICENSE.txt")):
            shutil.copy2(f, out / name)


def write(content: Content, root: Path, out: Path, cfg: dict | None = None, *,
          cache: ConfigCache | None = None) -> bool:
    """Write the form into `out` (…/admin); False (and nothing written) when the npm package is missing.
    `cache`: the config of the last build (build.py), taken from it when unchanged."""
    src = bundle_dir(root)
    if not (src / "decap-cms.js").is_file():
        return False
    out.mkdir(parents=True, exist_ok=True)
    copy_bundle(src, out)
    cfg = cfg if cfg is not None else cms_config.config(load_schemas(root), content)
    (out / "config.yml").write_text(cache.text(cfg) if cache else config_text(cfg), encoding="utf-8")
    title = (content.settings.get("site") or {}).get("title", "")
    (out / "index.html").write_text(INDEX_HTML.format(title=html.escape(title)), encoding="utf-8")
    return True


SCREENSHOTS = Path("build") / "form-screenshots"  # made by tests/browser/test_form_browser.py


def copy_screenshots(root: Path, out: Path) -> None:
    """The browser test's screenshots, for the how-to page, when this checkout has them."""
    shots = sorted((Path(root) / SCREENSHOTS).glob("*.png"))
    if shots:
        out.mkdir(parents=True, exist_ok=True)
        for f in shots:
            shutil.copy2(f, out / f.name)


MISSING = ("警告：没有找到在线填报程序 Decap CMS（cms/node_modules/decap-cms），未生成 {where}。"
           "请运行 .ci/setup 安装（或在 cms/ 中运行 npm ci）。")
