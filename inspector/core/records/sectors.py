"""Checklist sectors, and which of them an enterprise's registered industry calls for.

The enterprise table keeps ``industry`` as free text (typed, imported from a spreadsheet, or one of the
sector names below). :func:`suggested_sectors` reads it by keywords: a machinery plant gets the 机械 list
plus the specialty lists its trade needs (动火, 特殊作业, 通用管理); a 危险化学品 producer is also an
*enterprise kind* (:func:`enterprise_kinds`) that makes the conditional 重大 flags of 安监总管三〔2017〕121号
apply. Plain data and string matching only: no imports of the checklist model.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTORS: dict[str, str] = {
    # specialty lists (any industry)
    "cold_storage": "冷库/涉氨制冷",
    "hot_work": "电气焊/动火作业",
    "gas": "燃气（餐饮/瓶装液化石油气）",
    "ebike": "电动自行车停放充电",
    "fire": "消防（生命通道/九小场所）",
    "dust": "粉尘涉爆",
    "confined_space": "有限空间",
    "hazchem": "危险化学品储存",
    "general": "通用安全管理",
    "special_work": "外包工程/检维修/停工复产（特殊作业）",
    "mixed_use": "多业态混合生产经营场所",
    "explosives": "爆炸类物品（易燃易爆危险物品）",
    "alcohol_fuel": "醇基燃料",
    # industry lists (判定标准第四条至第十条, and 商贸)
    "metallurgy": "冶金/有色",
    "building_materials": "建材",
    "machinery": "机械（含铸造）",
    "light_industry": "轻工",
    "furniture": "家具制造",
    "textile": "纺织",
    "tobacco": "烟草",
    "trade": "商贸",
}

#: Enterprise kinds a conditional 重大 flag may be limited to (derived from the registered industry).
ENTERPRISE_KINDS: dict[str, str] = {
    "hazchem_producer": "危险化学品生产单位",
    "hazchem_trader": "危险化学品经营单位",
    "metal_smelting": "金属冶炼企业",
    "ferrous": "冶金企业（判定标准第四条）",
    "nonferrous": "有色企业（判定标准第五条）",
}

@dataclass(frozen=True)
class Industry:
    name: str
    keywords: tuple[str, ...]
    sectors: tuple[str, ...]  # checklist sectors, the industry list first
    kinds: frozenset[str] = frozenset()


# Order matters: the first industries that match decide (家具 before 轻工, 日用陶瓷 before 建材…).
INDUSTRIES: tuple[Industry, ...] = (
    Industry("危险化学品生产", ("危险化学品生产", "危化品生产", "化工", "化学原料", "农药", "涂料生产"),
             ("hazchem", "special_work", "explosives", "general"), frozenset({"hazchem_producer"})),
    Industry("危险化学品经营", ("危险化学品经营", "危化品经营", "化工贸易", "油品", "加油"),
             ("hazchem", "explosives", "general"), frozenset({"hazchem_trader"})),
    Industry("冶金", ("冶金", "钢铁", "炼钢", "炼铁", "轧钢", "金属冶炼"),
             ("metallurgy", "hot_work", "special_work", "confined_space", "gas", "general"), frozenset({"metal_smelting", "ferrous"})),
    Industry("有色", ("有色", "稀土", "钨", "铝", "铜", "锌", "锂", "冶炼"),
             ("metallurgy", "hot_work", "special_work", "dust", "general"), frozenset({"metal_smelting", "nonferrous"})),
    Industry("家具制造", ("家具", "木制品", "木业", "板材", "门业", "橱柜"),
             ("furniture", "dust", "fire", "hot_work", "general")),
    Industry("机械", ("机械", "铸造", "锻造", "装备", "汽车", "零部件", "钢结构", "金属制品", "五金", "机电", "模具", "电机"),
             ("machinery", "hot_work", "special_work", "confined_space", "general")),
    Industry("纺织", ("纺织", "服装", "服饰", "印染", "织造", "针织", "纱", "鞋"),
             ("textile", "fire", "ebike", "general")),
    Industry("烟草", ("烟草", "卷烟", "烟叶"),
             ("tobacco", "confined_space", "general")),
    Industry("轻工", ("轻工", "食品", "酒", "饮料", "造纸", "纸业", "日用玻璃", "日用陶瓷", "塑料", "包装", "印刷", "电子", "皮革"),
             ("light_industry", "fire", "general")),
    Industry("建材", ("建材", "水泥", "玻璃", "陶瓷", "石材", "混凝土", "砖", "石膏", "矿棉"),
             ("building_materials", "dust", "confined_space", "general")),
    Industry("商贸", ("商贸", "商场", "超市", "商业", "批发", "零售", "仓储", "物流", "市场", "餐饮", "酒店"),
             ("trade", "mixed_use", "fire", "gas", "ebike", "general")),
    Industry("冷库", ("冷库", "冷链", "冷藏", "制冷", "冻品"),
             ("cold_storage", "confined_space", "general")),
    Industry("醇基燃料", ("醇基", "甲醇燃料", "生物质燃料"),
             ("alcohol_fuel", "hazchem", "fire", "general")),
)


#: Sectors whose lists are industry lists (判定标准第四条至第十条, 商贸); the others are specialty lists.
INDUSTRY_SECTORS = ("metallurgy", "building_materials", "machinery", "light_industry", "furniture", "textile",
                    "tobacco", "trade")


def matching_industries(industry: str) -> list[Industry]:
    """The industries whose keywords occur in ``industry``.

    An enterprise registered under a specialty sector's name (``冷库/涉氨制冷``: how enterprises were
    registered before industry lists existed) gets exactly that list, as it always did.
    """
    text = (industry or "").strip()
    if not text:
        return []
    for sector, name in SECTORS.items():
        if text == name and sector not in INDUSTRY_SECTORS:
            return [Industry(name, (name,), (sector,))]
    found = [entry for entry in INDUSTRIES if any(keyword in text for keyword in entry.keywords)]
    for sector, name in SECTORS.items():
        if text == name and not any(entry.sectors[0] == sector for entry in found):
            found.insert(0, Industry(name, (name,), (sector, "general")))
    return found


def enterprise_kinds(industry: str) -> frozenset[str]:
    kinds: set[str] = set()
    for entry in matching_industries(industry):
        kinds |= entry.kinds
    return frozenset(kinds)


def suggested_sectors(industry: str) -> list[str]:
    """Checklist sectors for the industry: industry lists first, then specialty lists; 通用 when nothing matches."""
    sectors: dict[str, None] = {}
    matched = matching_industries(industry)
    for entry in matched:
        sectors.setdefault(entry.sectors[0])
    for entry in matched:
        for sector in entry.sectors[1:]:
            sectors.setdefault(sector)
    return list(sectors) or ["general"]


#: One registered-industry text per industry list, as enterprises of the park write them (demo data, tests).
SAMPLE_INDUSTRIES: tuple[str, ...] = ("机械制造（铸造）", "家具制造", "纺织服装", "新型建材", "商贸物流", "食品加工",
                                      "稀土冶炼", "冷库/涉氨制冷", "危险化学品经营", "卷烟")


