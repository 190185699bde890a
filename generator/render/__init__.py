"""The render stage: checked records + analysed tables → outputs. Decides no business rule.

Every figure comes from analyse.Tables; formats.py writes amounts and dates, one variant per medium.
public.py (+ public_md.py) → site/ through mkdocs-material, from the public view only;
internal.py (+ internal_view.py, internal_markdown.py, charts.py on svg.py) → build/internal/ pages and SVG;
pdf.py (+ pdf_fonts.py) → build/internal/bulletins/ and posters/ through weasyprint.
"""
