"""Facts of the 维权信息告示牌 (A3 poster, one per active project): article 34 of 《保障农民工工资支付条例》,
and where its QR code points (`qr_target`). The poster template only lays these out."""

from __future__ import annotations

from generator.analyse.gongwen import cn_date
from generator.analyse.materials import FALLBACK
from generator.model import Content
from generator.site_urls import project_page

UNCONFIRMED = "待确认"
UNVERIFIED = "待核实"


def qr_target(content: Content, project: dict) -> tuple[str, str]:
    """Where a poster's QR code points, and what the caption says.

    1. the project's own 渝薪码 link (project.yuxinma.url);
    2. else settings.yuxinma_default_url;
    3. else the project's page on the public site: <settings.site.url>projects/<project id>/.
    """
    url = (project.get("yuxinma") or {}).get("url")
    if url:
        return url, "扫码进入本项目“渝薪码”，在线反映欠薪问题"
    url = content.settings.get("yuxinma_default_url")
    if url:
        return url, "扫码进入“渝薪码”，在线反映欠薪问题"
    return project_page(content.settings, project["id"]), "扫码查看本项目公示信息和农民工维权指南"


def _phone(number, confirmed: bool = True) -> str:
    """A number the office has not got or not confirmed says what to call meanwhile, as the site does."""
    if not number:
        return f"号码{UNVERIFIED}，现在请先拨打 {FALLBACK}"
    return number if confirmed else f"{number}（{UNVERIFIED}，打不通请拨 {FALLBACK}）"


def _hotline_box(h: dict) -> dict:
    """A box of the 维权热线 row: the number stays big; an unconfirmed one says what to call meanwhile."""
    number = h.get("number")
    if number and h.get("confirmed"):
        return {"name": h["name"], "number": number, "purpose": h.get("purpose", "")}
    if number:
        return {"name": h["name"], "number": number, "purpose": f"号码{UNVERIFIED}，打不通请拨 {FALLBACK}"}
    return {"name": h["name"], "number": UNVERIFIED, "purpose": f"号码{UNVERIFIED}，现在请先拨打 {FALLBACK}"}


def _hotline(settings: dict, word: str) -> dict | None:
    return next((h for h in settings.get("hotlines") or [] if word in h.get("name", "")), None)


def minimum_wage_text(settings: dict) -> str:
    mw = settings.get("minimum_wage") or {}
    if not mw.get("confirmed") or not mw.get("monthly_yuan"):
        return f"{UNVERIFIED}（{mw.get('source', '重庆市最低工资标准')}）"
    text = f"月最低工资{mw['monthly_yuan']:g}元"
    if mw.get("hourly_yuan"):
        text += f"，非全日制小时最低工资{mw['hourly_yuan']:g}元"
    if mw.get("effective_date"):
        text += f"（{cn_date(mw['effective_date'])}起施行）"
    return text


def pay_day_text(project: dict) -> str:
    cycle, day = project.get("pay_cycle"), project.get("pay_day")
    if day is None:
        return UNCONFIRMED
    if cycle in (None, "月"):
        return f"每月{day}日"
    if cycle == "周":
        return f"每周{day}"
    return f"按{cycle}支付，{day}"


def pay_method_text(project: dict) -> str:
    account = (project.get("dedicated_account") or {}).get("opened")
    if project.get("bank_payroll") and account:
        return "施工总承包单位通过农民工工资专用账户，将工资直接发放到农民工本人银行账户（总包代发）"
    if project.get("bank_payroll"):
        return "通过银行将工资直接发放到农民工本人银行账户"
    return "工资应以货币形式足额支付给农民工本人，不得以实物或有价证券等代替"


def poster(content: Content, project: dict) -> dict:
    """Everything article 34 of 《保障农民工工资支付条例》 puts on the 维权信息告示牌."""
    settings = content.settings
    units = content.units
    authority = units.get(project.get("authority") or "", {})
    inspection = _hotline(settings, "劳动保障监察")
    legal = _hotline(settings, "公共法律服务")
    lm = project.get("labour_manager") or {}
    url, caption = qr_target(content, project)
    hotlines = [_hotline_box(h) for h in settings.get("hotlines") or []]
    subs = project.get("subcontractors") or []
    return {
        "id": project["id"], "name": project["name"], "location": project.get("location"),
        "sample": bool(project.get("sample")),
        "parties": [
            ("建设单位", project.get("construction_unit") or UNCONFIRMED),
            ("施工总承包单位", project.get("general_contractor") or UNCONFIRMED),
            ("总承包单位项目部", project.get("project_department") or UNCONFIRMED),
            ("分包单位", "、".join(subs) if subs else "无"),
            ("行业主管部门", authority.get("name") or UNCONFIRMED),
        ],
        "labour_manager": lm.get("name") or UNCONFIRMED, "labour_manager_phone": _phone(lm.get("phone")),
        "minimum_wage": minimum_wage_text(settings),
        "minimum_wage_confirmed": bool((settings.get("minimum_wage") or {}).get("confirmed")),
        "pay_day": pay_day_text(project), "pay_cycle": project.get("pay_cycle") or "月",
        "pay_method": pay_method_text(project),
        "complaints": [
            ("行业主管部门投诉电话",
             f"{authority.get('name', '')} {_phone(authority.get('complaint_phone'))}".strip()),
            ("劳动保障监察投诉电话", _phone(inspection.get("number") if inspection else None,
                                    bool(inspection and inspection.get("confirmed")))),
            ("劳动争议调解仲裁", "可向镇劳动争议调解组织申请调解，或向丰都县劳动人事争议仲裁机构申请仲裁"
                            "（申请仲裁时效为一年）"),
            ("法律援助", "可向丰都县法律援助机构申请法律援助，追索劳动报酬免于经济困难审查"),
            ("公共法律服务热线",
             _phone(legal.get("number"), legal.get("confirmed", False)) if legal else "12348"),
        ],
        "hotlines": hotlines, "qr_url": url, "qr_caption": caption,
        "town": content.town.get("government") or content.town.get("name", ""),
        "issuer": (settings.get("bulletin") or {}).get("issuer", ""),
    }


def posters(content: Content) -> list[dict]:
    """One poster per active project (在建 or 停工), in id order."""
    return [poster(content, p) for p in sorted(content.active_projects(), key=lambda p: p["id"])]
