"""Ledgers that must add up and run forward: a project's wage deposit, and a hazard's amounts across months.

Deposit (town document 二（三）“一金三制”; 人社部发〔2021〕65号): stored first, then used to pay wages and
topped up, returned last. Money cannot be used before it is stored, nor more than stored plus topped up:
these are errors, since the 回头看 and the deposit storage rate would count money that does not exist.
The ratio to the contract sum is 1%–3% (settings.deposit), raised by ≥ 50% or 100% for units with past
arrears and possibly reduced for good credit: outside [minimum, twice the maximum] it is only a
warning to re-read.

Hazards carried from month to month (same unit, id and found_on: analyse/hazards.py's key): what was paid
to workers cannot shrink in a later month (an error: the earlier return, not the later one, must be
amended), and an open hazard that is simply left out of the unit's next return, and reported by no other
unit that month, is a warning (the office asks: resolved, or forgotten?).
"""

from __future__ import annotations

from generator.check.refs import Context, dicts, text
from generator.check.rule_kit import day, mappings, month_after, month_of, number
from generator.findings import WARNING, Finding, at_field
from generator.model import Document

RESOLVED = "已化解"


def each(documents: list[Document], ctx: Context) -> list[Finding]:
    """Each project's deposit ledger, judged on its own (given the settings)."""
    out: list[Finding] = []
    settings = ctx.single.get("settings") or {}
    for kind, file, data in mappings(documents):
        if kind == "project":
            out += _deposit(file, data, settings)
    return out


def across(documents: list[Document], ctx: Context,  # noqa: ARG001 - same signature as each
           months: set[str] | None = None) -> list[Finding]:
    """Hazards carried from one month's return to the next. With `months`, only the findings on the
    returns of those months (each depends on the returns of its month and of the month before)."""
    returns: dict[tuple[str, str], tuple[str, dict]] = {}  # (unit, month) → (file, data)
    for kind, file, data in mappings(documents):
        if kind == "return":
            unit, month = text(data.get("unit")), month_of(data.get("month"))
            if unit and month:
                returns[(unit, month)] = (file, data)
    return _hazard_history(returns, months)


def _deposit(file: str, project: dict, settings: dict) -> list[Finding]:
    deposit = project.get("deposit")
    if not isinstance(deposit, dict):
        return []
    out: list[Finding] = []
    stored_on, returned_on = day(deposit.get("stored_on")), day(deposit.get("returned_on"))
    amount = number(deposit.get("amount_yuan"))
    moves = sorted(((day(m.get("date")) or "", i, m) for i, m in dicts(deposit.get("movements"))),
                   key=lambda t: (t[0], t[1]))
    balance = amount or 0
    for when, i, m in moves:
        loc = ("deposit", "movements", i)
        if when and stored_on is None:
            out.append(at_field("deposit.used-before-stored", file, loc + ("date",),
                                f"{when} 的保证金{m.get('kind', '变动')}之前没有存储记录：请先填写存储日期"
                                "（stored_on）和金额（amount_yuan）。"))
            break
        if when and when < stored_on:
            out.append(at_field("deposit.used-before-stored", file, loc + ("date",),
                                f"保证金{m.get('kind', '变动')}日期 {when} 早于存储日期 {stored_on}："
                                "保证金存储之前不能动用或补足。"))
        if when and returned_on and when > returned_on:
            out.append(at_field("deposit.used-after-returned", file, loc + ("date",),
                                f"保证金{m.get('kind', '变动')}日期 {when} 晚于返还日期 {returned_on}："
                                "返还之后保证金已经不在了。"))
        value = number(m.get("amount_yuan"))
        if value is None or amount is None:
            continue
        balance += value if m.get("kind") == "补足" else -value if m.get("kind") == "使用" else 0
        if balance < 0:
            out.append(at_field("deposit.overdrawn", file, loc + ("amount_yuan",),
                                f"到 {when} 为止动用的保证金比存储和补足的多 {-balance:,.0f} 元："
                                f"存储 {amount:,.0f} 元，请核对各次动用和补足的金额。"))
            break
    if returned_on and stored_on is None and project.get("deposit", {}).get("required") is True:
        out.append(at_field("deposit.used-before-stored", file, ("deposit", "returned_on"),
                            f"保证金返还日期 {returned_on} 之前没有存储记录：请填写存储日期（stored_on）。"))
    out += _ratio(file, project, amount, settings)
    return out


def _ratio(file: str, project: dict, amount: float | None, settings: dict) -> list[Finding]:
    rates = settings.get("deposit") if isinstance(settings.get("deposit"), dict) else {}
    low, high = number(rates.get("rate_min_percent")), number(rates.get("rate_max_percent"))
    contract = number(project.get("contract_sum_yuan"))
    if not amount or not contract or low is None or high is None or low > high:
        return []
    percent = amount / contract * 100
    if low <= percent <= 2 * high:
        return []
    return [at_field("deposit.implausible-ratio", file, ("deposit", "amount_yuan"),
                     f"保证金 {amount:,.0f} 元是合同金额 {contract:,.0f} 元的 {percent:.2g}%，"
                     f"不在通常的 {low:g}%–{high:g}%（有欠薪记录的上浮后至多约 {2 * high:g}%）之间："
                     "请核对金额的单位（元）和位数；按规定减免或上浮的可不改。", severity=WARNING)]


def _key(h: dict) -> tuple | None:
    hid, found = text(h.get("id")), day(h.get("found_on"))
    return (hid, found) if hid and found else None


def _case(h: dict) -> tuple | None:
    """What a hazard is about and when it was found: the same case reported by another unit."""
    target = text(h.get("project")) or text(h.get("enterprise")) or text(h.get("other_target"))
    found = day(h.get("found_on"))
    return (target, found) if target and found else None


def _hazard_history(returns: dict[tuple[str, str], tuple[str, dict]], months: set[str] | None = None
                    ) -> list[Finding]:
    out: list[Finding] = []
    # Each return's hazards with their keys, worked out once (a county has ~27,000 returns, and each is
    # read as this month's and as the month before of the next).
    keyed: dict[tuple[str, str], list] = {}

    def hazards(k: tuple[str, str]) -> list:
        items = keyed.get(k)
        if items is None:
            items = keyed[k] = [(_key(h), i, h) for i, h in dicts(returns[k][1].get("hazards"))]
        return items

    cases: dict[str, set] = {}  # month → cases reported by any unit
    for k in returns:
        if months is None or k[1] in months:
            cases.setdefault(k[1], set()).update(_case(h) for _, _, h in hazards(k))
    previous: dict[str, str] = {}
    for unit, month in sorted(k for k in returns if months is None or k[1] in months):
        file = returns[(unit, month)][0]
        last = previous.get(month) or previous.setdefault(month, month_after(month, -1))
        if (unit, last) not in returns:
            continue
        before = hazards((unit, last))
        earlier = {key: (i, h) for key, i, h in before if key}
        now = hazards((unit, month))
        seen, ids = set(), {text(h.get("id")) for _, _, h in now}
        for key, i, h in now:
            if key not in earlier:
                continue
            seen.add(key)
            old = earlier[key][1]
            for field, total, zh, unit_zh in _PAID:
                was, now_paid, owed = number(old.get(field)), number(h.get(field)), number(old.get(total))
                if owed is not None and was is not None and was > owed:
                    continue  # last month's figure is itself impossible, and reported there
                if was is not None and now_paid is not None and now_paid < was:
                    out.append(at_field(
                        "hazard.paid-decreased", file, ("hazards", i, field),
                        f"{zh} {now_paid:g} {unit_zh}少于上月（{last}）报的 {was:g} {unit_zh}："
                        "已经支付的不会减少；上月报错了的，请在上月的表里登记更正。"))
        for key, (_, old) in earlier.items():
            # Still reported under the same id (its found_on corrected), or by another unit: not dropped.
            if key not in seen and key[0] not in ids and old.get("status") != RESOLVED \
                    and _case(old) not in cases[month]:
                out.append(at_field(
                    "hazard.dropped-unresolved", file, ("hazards",),
                    f"上月（{last}）报的隐患 {key[0]}（发现于 {key[1]}，"
                    f"状态“{old.get('status')}”）本月没有再报：已化解的请本月照报一次，状态写“已化解”并写化解日期；"
                    "仍未化解的请继续填报。", severity=WARNING))
    return out


_PAID = (("workers_paid", "workers", "已支付人数", "人"),
         ("amount_repaid_yuan", "amount_owed_yuan", "已支付金额", "元"))
