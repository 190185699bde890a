"""Printed publicity materials (the town plan: 发放宣传册、张贴宣传画), from the same facts as the site:
    <out>/materials/宣传册-A4.pdf   A4, two sides: steps, hotlines, QR / situations, evidence, times
    <out>/materials/宣传画-A3.pdf   A3, one page: four steps, hotlines, QR to the site

Rendered by pdf.py's weasyprint pool and cache like the posters, and scanned for personal numbers the same
way (only published numbers may appear: there is no wage officer on these).
"""

from __future__ import annotations

import re
from pathlib import Path

LEAFLET = "materials/宣传册-A4.pdf"
WALL_POSTER = "materials/宣传画-A3.pdf"


# An article number (第五十三条, 第二百七十六条之一): Chinese text may break between any two characters,
# and a reader who sees 第|五十三条 or 第三十|条 at a line end reads another article.
_ARTICLE = re.compile(r"第[〇零一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?")


def _html(template: str, css: str, facts: dict) -> str:
    from generator.render import pdf

    html = pdf.environment().get_template(template).render(
        m=facts, css=pdf._css(css), qr_svg=pdf.qr_svg(facts["site_url"]), font_note=pdf.font_note())
    return _ARTICLE.sub(lambda m: f'<span class="article">{m.group(0)}</span>', html)  # .article: nowrap


def jobs(tables) -> list:
    """The two materials from tables.materials (analyse/materials.py)."""
    from generator.render.pdf import Job

    facts = tables.materials
    if not facts["site_url"]:
        return []  # no address for the QR code: settings.yaml requires site.url, so only a broken tree
    return [Job(LEAFLET, _html("leaflet.html", "leaflet.css", facts)),
            Job(WALL_POSTER, _html("wall_poster.html", "wall_poster.css", facts))]


def scan(content, files: list[Path], schemas_dir: Path) -> list:
    """Personal numbers in the materials' PDF text (published numbers allowed)."""
    from generator import detect
    from generator.privacy import public_numbers
    from generator.privacy_scan import Problem, pdf_text

    published = public_numbers(content, schemas_dir)
    out = []
    for path in files:
        for hit in detect.find(pdf_text(path), published):
            out.append(Problem(f"materials/{path.name}", hit.kind, hit.masked, "", "宣传材料"))
    return out
