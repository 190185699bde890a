"""The staff web form's Decap CMS config, derived from the schemas and the content: a pure function.

Every label, hint, select list, pattern and bound comes from `schemas/*.schema.json`; the lists of
units, people, projects and enterprises come from the content. Nothing here is typed twice, so the form
cannot drift from what `zhiqian validate` accepts (tests/test_cms_config.py regenerates and compares).
Field order follows the schema, and Decap writes keys in field order: what it saves keeps our layout.
"""

from __future__ import annotations

from datetime import date

from generator.analyse import dates
from generator.check.schema import DATE_PATTERN, PATTERN_ZH
from generator.model import Content
from generator.site_urls import api_base

# Decap's own backends for the forges settings.forge may name. Gitea's backend has no editorial
# workflow (saves would go straight to the protected branch); GitHub's and Forgejo's open a PR per entry.
EDITORIAL_BACKENDS = {"github", "forgejo"}
LONG_TEXT = ("description", "measures", "notes", "summary", "reason", "result")  # several lines


def open_months(settings: dict) -> list[str]:
    """Months staff may file without an amendment, as of settings.as_of.

    Every month already started whose close date (due day + close_after_days) has not passed, and the
    month after as_of's: as_of moves only when the office edits settings, and a stale as_of must not lock
    staff out of the month that has just begun.
    """
    today = dates.parse(settings.get("as_of")) or date.today()
    current = f"{today.year:04d}-{today.month:02d}"
    months = [m for m in (dates.add_months(current, i) for i in range(-3, 1))
              if not dates.is_closed(m, settings, today)]
    return months + [dates.add_months(current, 1)]


CLOSED_MONTHS_SHOWN = 2


def closed_months(content: Content) -> list[str]:
    """The latest closed months that have returns: staff correct them in the form, with an amendment."""
    today = dates.parse(content.settings.get("as_of")) or date.today()
    with_returns = {m for m, _unit in content.returns}  # each month once: a county has 27,000 returns
    months = sorted(m for m in with_returns if dates.is_closed(m, content.settings, today))
    return months[-CLOSED_MONTHS_SHOWN:][::-1]


# --- one schema property → one Decap field ------------------------------------------------------------

def _pattern(prop: dict) -> list[str] | None:
    regex = prop.get("pattern")
    if not regex:
        return None
    return [regex, f"应为{PATTERN_ZH.get(regex, f'符合格式 {regex} 的文本')}"]


def _base(name: str, prop: dict, required: bool) -> dict:
    out = {"name": name, "label": prop.get("title", name)}
    if prop.get("description"):
        out["hint"] = prop["description"]
    out["required"] = required
    return out


def field(name: str, prop: dict, required: bool, lookups: dict[str, dict]) -> dict:
    """The Decap field for one schema property; `lookups` replaces reference fields by pickers."""
    out = _base(name, prop, required)
    if name in lookups:
        out.update(lookups[name])
        return out
    kind = prop.get("type")
    if kind == "object":
        # Decap checks an optional object's inner required fields even when it is left empty: there
        # the inner fields are optional in the form, and `zhiqian validate` names the one missing.
        req = set(prop.get("required", [])) if required else set()
        out.update(widget="object", collapsed=not required,
                   fields=[field(k, v, k in req, lookups) for k, v in prop.get("properties", {}).items()])
    elif kind == "array":
        items = prop.get("items", {})
        if items.get("type") == "object":
            req = set(items.get("required", []))
            out.update(widget="list", label_singular=items.get("title", out["label"]), collapsed=False,
                       fields=fields(items, lookups))
        elif "enum" in items:
            out.update(widget="select", multiple=True, options=list(items["enum"]))
        else:
            out.update(widget="list")
            if _pattern(items):
                out["field"] = {**_base("item", items, True), "widget": "string", "pattern": _pattern(items)}
        out["default"] = []  # an empty list is written as [] (the schema needs the key)
        # Decap calls an empty list "missing"; the schema accepts [] unless it sets minItems
        out["required"] = bool(prop.get("minItems"))
        if prop.get("minItems"):
            out["min"] = prop["minItems"]
    elif "enum" in prop:
        out.update(widget="select", options=list(prop["enum"]))
    elif kind == "boolean":
        out.update(widget="boolean", default=False)
    elif kind in ("integer", "number"):
        out.update(widget="number", value_type="int" if kind == "integer" else "float")
        if "minimum" in prop:
            out["min"] = prop["minimum"]
    elif prop.get("pattern") == DATE_PATTERN:
        # a date picker that stores the text YYYY-MM-DD (no time, so no time zone to shift the day)
        out.update(widget="datetime", date_format="YYYY-MM-DD", time_format=False, format="YYYY-MM-DD")
    else:
        out["widget"] = "text" if name in LONG_TEXT else "string"
        if _pattern(prop):
            out["pattern"] = _pattern(prop)
    return out


def fields(schema: dict, lookups: dict[str, dict]) -> list[dict]:
    req = set(schema.get("required", []))
    return [field(k, v, k in req, lookups) for k, v in schema.get("properties", {}).items()]


# --- pickers over the content ----------------------------------------------------------------------

PICK_HINT = "输入名称查找，从列表中选择。"
# The hazard's id only tells hazards of one return apart: the form makes one, the clerk never types it.
HAZARD_ID = {"widget": "uuid", "prefix": "h-", "use_b32_encoding": True, "hint": "自动生成，不用填写。"}


def _relation(collection: str, multiple: bool = False) -> dict:
    out = {"hint": PICK_HINT, "widget": "relation", "collection": collection, "value_field": "id",
           "search_fields": ["name", "id"], "display_fields": ["name"], "options_length": 200}
    if multiple:
        out.update(multiple=True, default=[], required=False)
    return out


def _select(options: list[tuple[str, str]], hint: str = "从列表中选择。") -> dict:
    return {"hint": hint, "widget": "select",
            "options": [{"label": label, "value": value} for value, label in options]}


def _unit_options(content: Content, reporting_only: bool) -> list[tuple[str, str]]:
    units = content.reporting_units if reporting_only else list(content.units.values())
    kind_zh = {"village": "村（社区）", "department": "镇级部门"}
    return [(u["id"], f"{u.get('name', u['id'])}（{kind_zh.get(u.get('kind'), '')}）") for u in units]


def _people_options(content: Content) -> list[tuple[str, str]]:
    people = sorted(content.people.values(), key=lambda p: (p.get("unit") or "", p["id"]))
    return [(p["id"], f"{p.get('name', p['id'])}（{content.unit_name(p.get('unit')) or '—'}）")
            for p in people]


def lookups(content: Content) -> dict[str, dict]:
    people = _select(_people_options(content))
    return {
        "unit": _select(_unit_options(content, reporting_only=True), "选择本单位；文件名由它生成。"),
        "village": _select([(u["id"], u.get("name", u["id"])) for u in content.town.get("villages", [])]),
        "filled_by": people, "approved_by": people, "by": people,
        "project": _relation("projects"), "enterprise": _relation("enterprises"),
        "checked_projects": _relation("projects", True),
        "checked_enterprises": _relation("enterprises", True),
        "projects_covered": _relation("projects", True),
        "enterprises_covered": _relation("enterprises", True),
        "organisers": {**_select(_unit_options(content, reporting_only=False)), "multiple": True,
                       "default": []},
        "key_day": _select([(k["name"], k["name"]) for k in content.settings.get("key_days", [])]),
    }


# --- collections -------------------------------------------------------------------------------------

def _hidden(name: str, value) -> dict:
    return {"name": name, "label": name, "widget": "hidden", "default": value}


def return_collection(month: str, schema: dict, picks: dict[str, dict], closed: bool = False) -> dict:
    """One folder per month: the path is returns/<month>/<unit>.yaml, the clerk never types it.

    An open month takes new returns and has no amendments (check-pr refuses one before the month closes);
    a closed month only edits the returns it has, and each edit needs an amendment.
    """
    fs = fields(schema, picks)
    if not closed:
        fs = [f for f in fs if f["name"] != "amendments"]
    for f in fs:
        if f["name"] == "amendments":
            f.update(hint="本月已关账：每次修改都要点“新增更正”，写明日期、修改人（本人）和原因；已有的更正不要改动。")
        if f["name"] == "hazards":
            f["hint"] = "每条隐患点“添加”填写一项；本月没有隐患时不添加，并把上面的“零报告”打开。"
            for sub in f["fields"]:
                if sub["name"] == "id":
                    sub.update(HAZARD_ID)
                    sub.pop("pattern", None)
        elif f["name"] == "zero_report":  # a new return must answer; older returns may lack the key
            f.update(label="零报告（本月没有欠薪隐患）", required=not closed)
        elif f["name"] == "month":
            f.update(widget="hidden", default=month)
            f.pop("pattern", None)
        elif f["name"] == "sample":
            f.update(widget="hidden", default=False)
    y, m = month.split("-")
    label = f"{y}年{int(m)}月排查根治表" + ("（已关账，修改须登记更正）" if closed else "")
    return {"name": f"returns-{month}", "label": label,
            "label_singular": f"{y}年{int(m)}月排查根治表", "folder": f"content/returns/{month}",
            "create": not closed, "delete": False, "extension": "yaml", "format": "yaml",
            "identifier_field": "unit", "slug": "{{slug}}", "summary": "{{unit}}",
            "editor": {"preview": False},
            "fields": fs}


def _lookup_collection(name: str, label: str, folder: str) -> dict:
    return {"name": name, "label": label, "folder": folder, "hide": True, "create": False, "delete": False,
            "extension": "yaml", "format": "yaml", "identifier_field": "name",
            "fields": [{"name": "id", "label": "编号", "widget": "string"},
                       {"name": "name", "label": "名称", "widget": "string"}]}


def office_collections(schemas: dict[str, dict], picks: dict[str, dict]) -> list[dict]:
    clues = fields(schemas["clues"], picks)
    publicity = fields(schemas["publicity"], picks)
    for fs in (clues, publicity):
        for f in fs:
            if f["name"] == "sample":
                f.update(widget="hidden", default=False)
    return [
        {"name": "clues", "label": "欠薪线索（办公室）", "label_singular": "一个月的线索",
         "folder": "content/clues", "create": True, "delete": False, "extension": "yaml", "format": "yaml",
         "identifier_field": "month", "slug": "{{slug}}", "summary": "{{month}}",
         "editor": {"preview": False},
         "fields": clues},
        {"name": "publicity", "label": "宣传活动（办公室）", "label_singular": "宣传活动",
         "folder": "content/publicity", "create": True, "delete": False, "extension": "yaml",
         "format": "yaml",
         "identifier_field": "id", "slug": "{{slug}}", "summary": "{{date}} {{title}}",
         "editor": {"preview": False}, "fields": publicity},
    ]


def backend(forge: dict) -> dict:
    """Decap's backend for settings.forge: GitHub (or GitHub Enterprise), Gitea or Forgejo on the intranet."""
    kind = forge.get("kind", "github")
    base = str(forge.get("base_url") or "").rstrip("/")
    out = {"name": kind, "repo": forge["repo"], "branch": forge.get("branch") or "main",
           "api_root": api_base(forge)}
    if kind != "github":  # Gitea and Forgejo log in with PKCE against the forge itself
        out["base_url"] = base
        if forge.get("app_id"):
            out["app_id"] = forge["app_id"]
    return out


def config(schemas: dict[str, dict], content: Content) -> dict:
    """The whole config.yml as a dict (written as YAML by form/admin.py)."""
    forge = content.settings.get("forge") or {}
    picks = lookups(content)
    out: dict = {"locale": "zh_Hans", "backend": backend(forge)}
    if forge.get("kind", "github") in EDITORIAL_BACKENDS:
        out["publish_mode"] = "editorial_workflow"
    out.update({
        "media_folder": "content/pages/images", "public_folder": "/images",
        "collections": [return_collection(m, schemas["return"], picks) for m in open_months(content.settings)]
        + [return_collection(m, schemas["return"], picks, closed=True) for m in closed_months(content)]
        + office_collections(schemas, picks)
        + [_lookup_collection("projects", "项目台账", "content/projects"),
           _lookup_collection("enterprises", "重点企业", "content/enterprises")],
    })
    return out


def local(cfg: dict, proxy_url: str, branch: str | None = None) -> dict:
    """The same config against decap-server (local git, editorial workflow) for serve and the tests."""
    backend = {"name": "proxy", "proxy_url": proxy_url, "branch": branch or cfg["backend"]["branch"]}
    return {**cfg, "backend": backend,
            "publish_mode": "editorial_workflow"}
