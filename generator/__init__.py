"""zhiqian: 兴义镇根治欠薪 docs-as-data pipeline (load → check → analyse → render)."""

__version__ = "0.1.0"
