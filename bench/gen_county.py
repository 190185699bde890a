"""Write a county-sized, valid content tree to bench/out/ (git-ignored) for bench_validate.py.

~650 villages + 100 departments = 750 reporting units, 36 monthly returns each (27,000 files of
30–60 lines), 3,000 projects, 1,300 enterprises, clues and publicity. Deterministic (seeded).

    python bench/gen_county.py [--out bench/out] [--units 750] [--months 36] [--projects 3000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

SYLLABLES = list(
    "安白柏宝碧昌长城春丹德东丰凤福高广桂海和河红洪花华黄惠吉佳江金锦静康兰乐利莲林龙隆鹿马梅明南宁平"
)
CAUSES = ["工程款拖欠", "转包违法分包", "企业经营困难", "劳资纠纷", "其他"]
# The annotated template staff start from (zhiqian new-return) keeps a few lines of help.
RETURN_HELP = "\n# ".join(
    [
        "欠薪隐患排查根治表（兴义府发〔2024〕51号 二（五））。",
        "每月由各村（社区）和镇级行业主管部门填报，报专班办公室（社保所）。",
        "checked_projects / checked_enterprises：本月排查过的项目和企业编号。",
        "hazards：发现的欠薪隐患；没有隐患时写 []，即零报告。",
        "日期写成 '2024-07-15'（加引号），金额单位为元。",
    ]
)
CHANNELS = ["信访", "警情", "舆情", "全国平台", "渝薪码", "12345"]


def dump(path: Path, schema: str, data: dict, comment: str = "") -> None:
    depth = len(path.parts) - path.parts.index("content") - 1  # folders below the repo root
    head = f"# yaml-language-server: $schema={'../' * depth}schemas/{schema}.schema.json\n"
    if comment:
        head += f"# {comment}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(head + body, encoding="utf-8")


def months(n: int, last: str = "2024-12") -> list[str]:
    y, m = map(int, last.split("-"))
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def name(rng: random.Random, k: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(k))


def generate(out: Path, n_units: int, n_months: int, n_projects: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    content = out / "content"
    if out.exists():
        shutil.rmtree(out)
    content.mkdir(parents=True)
    shutil.copytree(REPO / "schemas", out / "schemas")

    n_depts = max(5, n_units * 2 // 15)
    n_villages = n_units - n_depts
    n_authorities = max(3, n_depts * 9 // 10)
    villages = [
        {
            "id": f"cun-{i:03d}",
            "name": f"{name(rng)}村",
            "sample": False,
            "name_confirmed": True,
            "reports_monthly": True,
        }
        for i in range(1, n_villages + 1)
    ]
    departments = [
        {
            "id": f"bumen-{i:03d}",
            "name": f"{name(rng)}{'农服中心' if i % 3 else '经发办'}",
            "sample": False,
            "reports_monthly": True,
            "sector_authority": i <= n_authorities,
            "office": i == n_depts,
            "complaint_phone": None,
        }
        for i in range(1, n_depts + 1)
    ]
    dump(
        content / "town.yaml",
        "town",
        {
            "id": "county",
            "name": "示例县",
            "county": "示例县",
            "city": "重庆市",
            "admin_code": "500230000",
            "government": "示例县人民政府",
            "villages": villages,
            "departments": departments,
        },
    )

    people, vtfs = [], []
    for v in villages:
        vid = v["id"]
        people += [
            {
                "id": f"{vid}-secretary",
                "name": f"{name(rng, 1)}书记",
                "position": "村（社区）书记",
                "unit": vid,
                "roles": ["成员", "村专班组长", "包保责任人"],
                "phone": f"139{rng.randrange(10**8):08d}",
                "sample": False,
            },
            {
                "id": f"{vid}-clerk",
                "name": f"{name(rng, 1)}专干",
                "position": "综治专干",
                "unit": vid,
                "roles": ["村专班成员", "填报人"],
                "sample": False,
            },
            {
                "id": f"{vid}-coordinator",
                "name": f"{name(rng, 1)}协管",
                "position": "治欠协管员",
                "unit": vid,
                "roles": ["村专班成员", "治欠协管员"],
                "sample": False,
            },
        ]
        vtfs.append(
            {"unit": vid, "leader": f"{vid}-secretary", "members": [f"{vid}-clerk", f"{vid}-coordinator"]}
        )
    for d in departments:
        people.append(
            {
                "id": f"{d['id']}-head",
                "name": f"{name(rng, 1)}主任",
                "position": "负责人",
                "unit": d["id"],
                "roles": ["成员", "填报人"],
                "sample": False,
            }
        )
    office = departments[-1]["id"]
    dump(
        content / "taskforce.yaml",
        "taskforce",
        {
            "name": "示例县根治欠薪工作专班",
            "basis": "基准测试数据",
            "leader": f"{office}-head",
            "deputies": [],
            "members": [p["id"] for p in people if "成员" in p["roles"]],
            "office": {"unit": office, "director": f"{office}-head", "deputy_directors": [], "staff": []},
            "village_taskforces": vtfs,
            "people": people,
        },
    )

    for single in ("settings", "responsibilities"):
        data = yaml.load(
            (REPO / "content" / f"{single}.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
        )
        if single == "settings":
            data["sample_data"] = False
        if single == "responsibilities":
            for item in data["items"]:
                item["lead"] = [u if not u.islower() else office for u in item["lead"]]
                item["support"] = [u if not u.islower() else office for u in item["support"]]
        dump(content / f"{single}.yaml", single, data)

    month_list = months(n_months)
    authorities = [d["id"] for d in departments if d["sector_authority"]]
    projects: list[dict] = []
    for i in range(1, n_projects + 1):
        vid = villages[i % n_villages]["id"]
        status = rng.choices(["在建", "停工", "完工"], [80, 5, 15])[0]
        start = f"{rng.choice(month_list[:12])}-{rng.randint(1, 28):02d}"
        connected = rng.random() < 0.85
        p = {
            "id": f"xm-{i:04d}",
            "name": f"{name(rng)}{rng.choice(['道路硬化', '安置房', '堤防整治', '学校改造'])}工程",
            "sample": False,
            "status": status,
            "village": vid,
            "authority": authorities[i % len(authorities)],
            "government_funded": rng.random() < 0.6,
            "location": f"{name(rng)}组",
            "start_date": start,
            "planned_completion": f"{int(start[:4]) + 2}{start[4:]}",
            "contract_sum_yuan": rng.randrange(10**5, 10**8),
            "construction_unit": f"{name(rng)}建设投资有限公司",
            "general_contractor": f"重庆{name(rng)}建设工程有限公司",
            "project_department": "项目部",
            "subcontractors": [f"{name(rng)}劳务有限公司"],
            "labour_manager": {"name": f"{name(rng, 1)}劳资", "phone": f"137{rng.randrange(10**8):08d}"},
            "pay_cycle": "月",
            "pay_day": rng.randint(1, 28),
            "workers": rng.randint(5, 200),
            "coordinator": f"{vid}-coordinator",
            "baobao": f"{vid}-secretary",
            "yuxinma": {"posted": True},
            "notice_board": {"posted": True, "posted_on": start},
            "real_name": True,
            "dedicated_account": {"opened": True, "bank": "重庆农村商业银行", "opened_on": start},
            "bank_payroll": True,
            "process_settlement": True,
            "deposit": {
                "required": True,
                "form": "银行保函",
                "amount_yuan": rng.randrange(10**4, 10**6),
                "stored_on": start,
            },
            "platform": {"qualifies": True, "connected": connected},
        }
        if status == "完工":
            p["completed_on"] = f"{month_list[-1]}-28"
        if connected:
            p["platform"]["connected_on"] = start
            p["platform"]["readings"] = [
                {"month": m, "run_rate": rng.choice([100, 100, 100, 95, 90, 80]), "basis": "县平台月度核查"}
                for m in month_list[-12:]
                if m >= start[:7]
            ]
        projects.append(p)
        dump(content / "projects" / f"{p['id']}.yaml", "project", p, "工程建设项目台账（基准测试数据）")

    enterprises = []
    for i in range(1, 2 * n_villages + 1):
        vid = villages[i % n_villages]["id"]
        e = {
            "id": f"qy-{i:04d}",
            "name": f"重庆{name(rng)}有限公司",
            "sample": False,
            "village": vid,
            "industry": rng.choice(["加工制造业", "制鞋业", "食品加工", "建材"]),
            "labour_intensive": True,
            "workers": rng.randint(20, 400),
            "pay_day": rng.randint(1, 28),
            "coordinator": f"{vid}-coordinator",
            "baobao": f"{vid}-secretary",
            "yuxinma": {"posted": True},
            "notice_board": {"posted": True},
        }
        enterprises.append(e)
        dump(content / "enterprises" / f"{e['id']}.yaml", "enterprise", e)

    by_village: dict[str, list[dict]] = {}
    by_authority: dict[str, list[dict]] = {}
    for p in projects:
        by_village.setdefault(p["village"], []).append(p)
        by_authority.setdefault(p["authority"], []).append(p)
    ent_by_village: dict[str, list[str]] = {}
    for e in enterprises:
        ent_by_village.setdefault(e["village"], []).append(e["id"])

    returns = 0
    for m in month_list:
        for unit in villages + departments:
            uid = unit["id"]
            is_village = uid.startswith("cun-")
            mine = by_village.get(uid, []) if is_village else by_authority.get(uid, [])[:30]
            ents = ent_by_village.get(uid, []) if is_village else []
            hazards = []
            for k in range(rng.choices([0, 1, 2], [45, 35, 20])[0]):
                target = rng.choice(mine) if mine else None
                found = f"{m}-{rng.randint(1, 20):02d}"
                workers = rng.randint(2, 30)
                owed = workers * rng.randint(3000, 9000)
                resolved = rng.random() < 0.5
                h = {"id": f"h{k + 1}"}
                if target:
                    h["project"] = target["id"]
                else:
                    h["other_target"] = f"{name(rng)}个体施工队"
                h.update(
                    {
                        "found_on": found,
                        "cause": rng.choice(CAUSES),
                        "description": f"{name(rng)}劳务班组拖欠 {workers} 名农民工工资",
                        "workers": workers,
                        "amount_owed_yuan": owed,
                        "measures": "约谈总包单位，督促限期支付",
                        "deadline": f"{m}-{rng.randint(21, 28):02d}",
                        "status": "已化解" if resolved else "化解中",
                        "workers_paid": workers if resolved else 0,
                        "amount_repaid_yuan": owed if resolved else 0,
                    }
                )
                if resolved:
                    h["resolved_on"] = f"{m}-{rng.randint(21, 28):02d}"
                if rng.random() < 0.5:
                    h["representative"] = {
                        "name": f"{name(rng, 1)}某",
                        "phone": f"135{rng.randrange(10**8):08d}",
                    }
                hazards.append(h)
            r = {
                "month": m,
                "unit": uid,
                "sample": False,
                "filled_by": f"{uid}-clerk" if is_village else f"{uid}-head",
                "approved_by": f"{uid}-secretary" if is_village else f"{uid}-head",
                "filled_on": f"{m}-{rng.randint(15, 25):02d}",
                "checked_projects": [p["id"] for p in mine],
                "checked_enterprises": ents,
                "payday_patrols": rng.randint(0, 4),
                "hazards": hazards,
            }
            if not hazards:
                r["notes"] = "本月零报告：排查未发现欠薪隐患。"
            dump(content / "returns" / m / f"{uid}.yaml", "return", r, RETURN_HELP)
            returns += 1

    clue_no = 0
    for m in month_list:
        clues = []
        for _ in range(20):
            clue_no += 1
            p = rng.choice(projects)
            clues.append(
                {
                    "id": f"c-{clue_no:05d}",
                    "received_on": f"{m}-{rng.randint(1, 28):02d}",
                    "channel": rng.choice(CHANNELS),
                    "target_name": p["general_contractor"],
                    "project": p["id"],
                    "village": p["village"],
                    "workers": rng.randint(1, 20),
                    "summary": "反映工地工资未按约定日期发放",
                }
            )
        dump(content / "clues" / f"{m}.yaml", "clues", {"month": m, "sample": False, "clues": clues})

    for i in range(100):
        m = rng.choice(month_list)
        d = f"{m}-{rng.randint(1, 28):02d}"
        eid = f"{d}-event-{i:03d}"
        dump(
            content / "publicity" / f"{eid}.yaml",
            "publicity",
            {
                "id": eid,
                "date": d,
                "title": "根治欠薪集中宣传",
                "sample": False,
                "key_day": "日常宣传",
                "place_kind": "农贸市场",
                "place": f"{name(rng)}农贸市场",
                "village": rng.choice(villages)["id"],
                "forms": ["宣传站", "宣传册"],
                "organisers": [office],
                "quantities": {"brochures": rng.randint(50, 500)},
                "summary": "设站宣传根治欠薪法律法规。",
            },
        )
    return {
        "returns": returns,
        "projects": len(projects),
        "enterprises": len(enterprises),
        "clues": len(month_list),
        "publicity": 100,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    ap.add_argument("--units", type=int, default=750)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--projects", type=int, default=3000)
    args = ap.parse_args()
    t = time.perf_counter()
    counts = generate(args.out, args.units, args.months, args.projects)
    total = sum(counts.values()) + 4
    print(f"wrote {total} files to {args.out} in {time.perf_counter() - t:.1f}s: {counts}")


if __name__ == "__main__":
    main()
