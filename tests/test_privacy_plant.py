"""Personal numbers planted in every public text field, every page and a poster's project (issue 16, 4):
validate names the YAML or Markdown line, the build fails naming it, and published numbers pass."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

from generator import detect
from generator.build import build
from generator.check.report import run_validate
from generator.errors import BuildFailed, ContentInvalid
from generator.load import parse_text
from generator.public_fields import is_phone_field, load_schemas, public_leaves

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"
SCHEMAS = FIXTURE / "schemas"

# Every form the detector must see, as staff would type it.
FORMS = {
    "ID with spaces": "500230 19900307 1233",
    "ID with dashes": "500230-1990-0307-1233",
    "ID in full-width digits": "５００２３０１９９００３０７１２３３",
    "15-digit ID": "500230900307123",
    "mobile with dots": "139.1234.5678",
    "mobile with +86 and dashes": "+86 139-1234-5678",
    "card, Luhn-valid": "6222 0200 1123 4567 896",
    "card, Luhn-invalid": "6222020011234567890",
}
MOBILE_HOTLINE = "13912345670"


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copytree(SCHEMAS, root / "schemas")
    shutil.copyfile(FIXTURE / "mkdocs.yml", root / "mkdocs.yml")
    return root


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")


def _free_text(sub: dict) -> bool:
    """A public text field that takes any wording (no pattern, choice list or id format)."""
    return not any(k in sub for k in ("pattern", "enum", "const", "format")) and not is_phone_field(sub)


def _set(data, loc, value):
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def plant(root: Path, number: str) -> tuple[set[tuple[str, str]], set[str]]:
    """Append `number` to every public free-text field and every page; (file, field path) and page files."""
    from generator.findings import format_path
    from generator.paths import kind_of

    schemas = load_schemas(root / "schemas")
    fields: set[tuple[str, str]] = set()
    for path in sorted((root / "content").rglob("*.yaml")):
        rel = path.relative_to(root / "content").as_posix()
        kind = kind_of(rel)
        data, _, _ = parse_text(path.read_text(encoding="utf-8"), rel)
        if kind not in schemas or not isinstance(data, dict):
            continue
        planted = [loc for loc, value, sub in public_leaves(data, schemas[kind])
                   if isinstance(value, str) and loc and isinstance(loc[-1], str) and _free_text(sub)
                   and value.strip()]
        for loc in planted:
            value = data
            for part in loc:
                value = value[part]
            _set(data, loc, f"{value}，联系 {number}")
            fields.add((f"content/{rel}", format_path(loc)))
        if planted:
            _dump(path, data)
    pages = set()
    for page in sorted((root / "content" / "pages").rglob("*.md")):
        page.write_text(page.read_text(encoding="utf-8") + f"\n工人账号 {number}\n", encoding="utf-8")
        pages.add(f"content/pages/{page.relative_to(root / 'content' / 'pages').as_posix()}")
    return fields, pages


def _validate(root: Path) -> tuple[int, list[dict]]:
    out = io.StringIO()
    rc = run_validate(root, [], "json", out=out)
    return rc, json.loads(out.getvalue())["findings"]


@pytest.mark.parametrize("form", FORMS, ids=list(FORMS))
def test_validate_reports_each_form_in_every_public_field_and_page_on_its_line(tmp_path, form):
    root = _tree(tmp_path)
    number = FORMS[form]
    fields, pages = plant(root, number)
    assert len(fields) > 40 and len(pages) == 10  # names, summaries, purposes … of every kind of file
    rc, findings = _validate(root)
    assert rc == 1
    hits = [f for f in findings if f["code"] == "public.personal-number"]
    assert {(f["file"], f["path"]) for f in hits if f["path"]} == fields
    assert {f["file"] for f in hits if not f["path"]} == pages
    masked = detect.find(number)[0].masked
    for f in hits:
        line = (root / f["file"]).read_text(encoding="utf-8").split("\n")[f["line"] - 1]
        assert number in line, (f, line)
        assert f"疑似{detect.find(number)[0].kind}（{masked}）" in f["message"]
        assert detect.phone_key(number) not in f["message"]  # the report never repeats the number
    assert [f for f in findings if f["code"] != "public.personal-number"] == []


def test_build_stops_naming_the_yaml_file_and_line(tmp_path):
    root = _tree(tmp_path)
    project = root / "content/projects/yangliu-bridge.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("general_contractor: 重庆路桥建设工程有限公司",
                                    "general_contractor: 重庆路桥建设工程有限公司 500230 19900307 1233"),
                       encoding="utf-8")
    line = text.split("\n").index("general_contractor: 重庆路桥建设工程有限公司") + 1
    with pytest.raises(ContentInvalid) as e:
        build(root)
    assert f"content/projects/yangliu-bridge.yaml:{line}:" in str(e.value)
    assert "疑似身份证号（5002**********1233）" in str(e.value)
    assert not (root / "site").exists()


def _posters_only(monkeypatch):
    """PDFs: the posters only (the bulletins take long and carry no public number)."""
    from generator.render import pdf

    real_jobs = pdf.jobs
    monkeypatch.setattr(pdf, "jobs", lambda t: [j for j in real_jobs(t) if j.rel.startswith("posters")])


def _skip_public_side(monkeypatch):
    """The second line of defence alone: the validate-time layer switched off."""
    from generator.check import public_side

    for name in ("scan_records", "scan_pages"):
        monkeypatch.setattr(public_side, name, lambda *a, **k: [])


@pytest.mark.slow
def test_site_scan_names_the_yaml_line_when_the_check_is_bypassed(tmp_path, monkeypatch):
    _skip_public_side(monkeypatch)
    root = _tree(tmp_path)
    publicity = sorted((root / "content/publicity").glob("*.yaml"))[0]
    lines = publicity.read_text(encoding="utf-8").split("\n")
    n = next(i for i, s in enumerate(lines) if s.startswith("title:"))
    lines[n] += " 139.1234.5678"
    publicity.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(BuildFailed) as e:
        build(root, internal=False, pdf=False)
    message = str(e.value)
    assert f"content/publicity/{publicity.name}:{n + 1}：疑似手机号（139****5678）出现在公开网站" in message
    assert "search" in message  # the search index is scanned too


@pytest.mark.slow
def test_only_pdf_scans_posters_and_names_the_project_line(tmp_path, monkeypatch):
    _skip_public_side(monkeypatch)
    _posters_only(monkeypatch)
    root = _tree(tmp_path)
    project = root / "content/projects/yangliu-bridge.yaml"
    lines = project.read_text(encoding="utf-8").split("\n")
    n = lines.index("general_contractor: 重庆路桥建设工程有限公司")
    lines[n] += "（账号 6222020011234567890）"
    project.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(BuildFailed) as e:
        build(root, public=False, internal=False, pdf=True)
    assert str(e.value).splitlines()[1:] == [
        f"content/projects/yangliu-bridge.yaml:{n + 1}：疑似银行卡号（6222***********7890）出现在告示牌 "
        "posters/yangliu-bridge.pdf 上，告示牌不得包含个人信息，请从这一行删去。"]


def _mobile_hotline(root: Path) -> None:
    settings = root / "content/settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "- name: 兴义镇社保所（根治欠薪专班办公室）\n  number: null",
        f"- name: 兴义镇社保所（根治欠薪专班办公室）\n  number: '{MOBILE_HOTLINE}'"), encoding="utf-8")
    assert MOBILE_HOTLINE in settings.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_mobile_number_hotline_in_settings_builds_clean(tmp_path, monkeypatch):
    _posters_only(monkeypatch)
    root = _tree(tmp_path)
    _mobile_hotline(root)
    # a hand-written page may not take the theme's ids (__config holds the settings its JavaScript reads)
    (root / "content/pages/theme.md").write_text('# 试\n\n<div id="__config" class="md-header">{}</div>\n',
                                                 encoding="utf-8")
    assert _validate(root) == (0, [])
    build(root, internal=False)  # the site, its search index and the posters all carry the number
    assert MOBILE_HOTLINE in (root / "site/index.html").read_text(encoding="utf-8")
    page = (root / "site/theme/index.html").read_text(encoding="utf-8")
    assert page.count('id="__config"') == 1 and "md-header\">{}" not in page  # only the theme's own
    from generator.privacy_scan import pdf_text

    assert MOBILE_HOTLINE in pdf_text(root / "build/internal/posters/yangliu-bridge.pdf")


def test_published_numbers_come_from_public_phone_fields_only():
    schemas = load_schemas(SCHEMAS)
    hotline = schemas["settings"]["properties"]["hotlines"]["items"]
    assert is_phone_field(hotline["properties"]["number"])
    assert not is_phone_field(hotline["properties"]["name"])
    root = FIXTURE / "content"
    from generator.privacy import published_numbers

    data, _, _ = parse_text((root / "taskforce.yaml").read_text(encoding="utf-8"), "taskforce.yaml")
    assert published_numbers([(data, schemas["taskforce"])]) == set()  # people's phones are internal
