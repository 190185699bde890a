"""The render stage: checked records + analysed tables → outputs. Decides no business rule.

public.py (+ public_md.py) → site/ through mkdocs-material, from the public view only;
internal.py (+ charts.py) → build/internal/ static pages and SVG charts;
pdf.py (+ pdf_fonts.py) → build/internal/bulletins/ and posters/ through weasyprint.
"""
