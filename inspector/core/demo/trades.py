"""The demo park's trades: how its enterprises are named, the industry they are registered under, where
they are inspected.

Every registered industry is text an enterprise of the park writes on its form and that
:func:`inspector.core.records.industries.suggested_checklists` reads (an industry list plus the specialty
lists its trade needs), so a demo inspection uses exactly the lists a new inspection would offer.
The first six differ in their industry list: a six-enterprise demo already shows six industries.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Trade:
    names: tuple[str, ...]  # the name after the place prefix (兴国县 + 潋江 + ...)
    industry: str  # 行业, as registered
    places: tuple[str, ...]  # 检查场所


TRADES: tuple[Trade, ...] = (
    Trade(("机械制造有限公司", "精密铸造有限公司", "机电设备有限公司"), "机械制造（铸造）",
          ("铸造车间", "机加工车间", "焊接车间")),
    Trade(("纺织有限公司", "服装有限公司", "针织服饰有限公司"), "纺织服装",
          ("织造车间", "成衣车间", "成品仓库")),
    Trade(("家具有限公司", "木业有限公司", "实木家居有限公司"), "家具制造",
          ("木工车间", "砂光打磨车间", "喷漆房")),
    Trade(("冷链物流有限公司", "脐橙仓储冷链有限公司", "农产品冷链有限公司"), "冷链物流（冷库仓储）",
          ("氨制冷机房", "冷藏库房", "穿堂及月台")),
    Trade(("稀土新材料有限公司", "稀土金属有限公司", "钨业有限公司"), "稀土冶炼分离",
          ("熔炼车间", "萃取车间", "原料仓库")),
    Trade(("新型建材有限公司", "商品混凝土有限公司", "陶瓷有限公司"), "新型建材",
          ("搅拌站", "粉料仓", "烧成车间")),
    Trade(("食品有限公司", "脐橙果业有限公司", "酒业有限公司"), "食品加工",
          ("生产车间", "包装车间", "成品仓库")),
    Trade(("商贸有限公司", "超市连锁有限公司", "商业管理有限公司"), "商贸零售",
          ("营业场所", "仓储区", "员工宿舍")),
    Trade(("化工材料有限公司", "化工贸易有限公司", "油品销售有限公司"), "危险化学品经营",
          ("危化品仓库", "甲类仓库", "装卸区")),
    Trade(("钢结构工程有限公司", "金属制品有限公司", "五金制品有限公司"), "金属制品（钢结构）",
          ("焊接车间", "钢结构安装现场", "喷涂车间")),
    Trade(("铝业有限公司", "铜业有限公司", "有色金属有限公司"), "有色金属熔铸（铝型材）",
          ("熔铸车间", "挤压车间", "抛光车间")),
    Trade(("纸业有限公司", "包装材料有限公司", "印刷有限公司"), "纸制品包装印刷",
          ("分切车间", "印刷车间", "原纸仓库")),
    Trade(("电子科技有限公司", "光电科技有限公司", "线路板有限公司"), "电子元器件制造",
          ("贴片车间", "组装车间", "员工宿舍")),
    Trade(("餐饮管理有限公司", "酒店管理有限公司", "食府有限公司"), "餐饮服务",
          ("后厨", "液化石油气瓶间", "就餐区")),
    Trade(("涂料有限公司", "树脂有限公司", "精细化工有限公司"), "涂料生产（化工）",
          ("合成车间", "调配间", "甲类仓库")),
    Trade(("烟叶复烤有限公司",), "烟草（烟叶复烤）", ("复烤车间", "烟叶仓库", "除尘系统区域")),
    Trade(("新能源有限公司", "生物质燃料有限公司"), "醇基燃料生产销售",
          ("储罐区", "灌装车间", "成品仓库")),
)
