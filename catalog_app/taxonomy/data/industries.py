"""Industry taxonomy.

Three layers:

* Sections of GB/T 4754-2017 (Industrial classification for national economic
  activities) that matter for industrial-AI matchmaking: section "C"
  (manufacturing) plus a few non-manufacturing sections (agriculture, mining,
  energy, construction, wholesale/retail, logistics, IT services, healthcare).
  Sections have ``parent`` None.
* All 31 manufacturing divisions of section C (C13..C43) with their official
  Chinese names; their parent is "C".
* Guangdong pillar / cluster industries named in the background articles and
  provincial cluster policy, with slug-like codes, each attached to the
  GB/T 4754 division it mainly belongs to (``is_pillar`` True). Where a
  cluster straddles several divisions (e.g. smart equipment: C34 and C35;
  food & beverage: C14 and C15) the division that covers the larger part is
  used as parent.

Each entry: {"code", "name_zh", "name_en", "parent": code-or-None,
"is_pillar": bool}.

The clusters (``is_pillar`` True) are the ONE list people pick and filter by: forms,
facets, API and statistics. The GB/T 4754 sections and divisions stay in the table as
the statistical reference each cluster maps to (``CLUSTER_GBT_CODES``, for statistics
and export); nobody tags a listing or demand with a division directly.
"""

from typing import Dict, Optional, Tuple, Union

Industry = Dict[str, Union[str, bool, None]]


def _ind(code: str, name_zh: str, name_en: str, parent: Optional[str],
         is_pillar: bool = False) -> Industry:
    return {"code": code, "name_zh": name_zh, "name_en": name_en,
            "parent": parent, "is_pillar": is_pillar}


# GB/T 4754-2017 sections (top level).
_SECTIONS: Tuple[Industry, ...] = (
    _ind("A", "农、林、牧、渔业", "Agriculture, Forestry, Animal Husbandry and Fishery", None),
    _ind("B", "采矿业", "Mining", None),
    _ind("C", "制造业", "Manufacturing", None),
    _ind("D", "电力、热力、燃气及水生产和供应业",
         "Production and Supply of Electricity, Heat, Gas and Water", None),
    _ind("E", "建筑业", "Construction", None),
    _ind("F", "批发和零售业", "Wholesale and Retail Trade", None),
    _ind("G", "交通运输、仓储和邮政业", "Transport, Storage and Postal Services", None),
    _ind("I", "信息传输、软件和信息技术服务业",
         "Information Transmission, Software and IT Services", None),
    _ind("Q", "卫生和社会工作", "Health and Social Work", None),
)

# GB/T 4754-2017 section C divisions 13-43 (official names).
_DIVISIONS: Tuple[Industry, ...] = (
    _ind("C13", "农副食品加工业", "Processing of Agricultural and Sideline Food Products", "C"),
    _ind("C14", "食品制造业", "Food Manufacturing", "C"),
    _ind("C15", "酒、饮料和精制茶制造业", "Manufacture of Liquor, Beverages and Refined Tea", "C"),
    _ind("C16", "烟草制品业", "Manufacture of Tobacco Products", "C"),
    _ind("C17", "纺织业", "Manufacture of Textiles", "C"),
    _ind("C18", "纺织服装、服饰业", "Manufacture of Textile Garments and Apparel", "C"),
    _ind("C19", "皮革、毛皮、羽毛及其制品和制鞋业",
         "Manufacture of Leather, Fur, Feather and Related Products and Footwear", "C"),
    _ind("C20", "木材加工和木、竹、藤、棕、草制品业",
         "Processing of Timber and Manufacture of Wood, Bamboo, Rattan, Palm and Straw Products", "C"),
    _ind("C21", "家具制造业", "Manufacture of Furniture", "C"),
    _ind("C22", "造纸和纸制品业", "Manufacture of Paper and Paper Products", "C"),
    _ind("C23", "印刷和记录媒介复制业", "Printing and Reproduction of Recording Media", "C"),
    _ind("C24", "文教、工美、体育和娱乐用品制造业",
         "Manufacture of Articles for Culture, Education, Arts and Crafts, Sports and Entertainment", "C"),
    _ind("C25", "石油、煤炭及其他燃料加工业",
         "Processing of Petroleum, Coal and Other Fuels", "C"),
    _ind("C26", "化学原料和化学制品制造业",
         "Manufacture of Chemical Raw Materials and Chemical Products", "C"),
    _ind("C27", "医药制造业", "Manufacture of Medicines", "C"),
    _ind("C28", "化学纤维制造业", "Manufacture of Chemical Fibers", "C"),
    _ind("C29", "橡胶和塑料制品业", "Manufacture of Rubber and Plastic Products", "C"),
    _ind("C30", "非金属矿物制品业", "Manufacture of Non-metallic Mineral Products", "C"),
    _ind("C31", "黑色金属冶炼和压延加工业", "Smelting and Pressing of Ferrous Metals", "C"),
    _ind("C32", "有色金属冶炼和压延加工业", "Smelting and Pressing of Non-ferrous Metals", "C"),
    _ind("C33", "金属制品业", "Manufacture of Metal Products", "C"),
    _ind("C34", "通用设备制造业", "Manufacture of General Purpose Machinery", "C"),
    _ind("C35", "专用设备制造业", "Manufacture of Special Purpose Machinery", "C"),
    _ind("C36", "汽车制造业", "Manufacture of Automobiles", "C"),
    _ind("C37", "铁路、船舶、航空航天和其他运输设备制造业",
         "Manufacture of Railway, Ship, Aerospace and Other Transport Equipment", "C"),
    _ind("C38", "电气机械和器材制造业", "Manufacture of Electrical Machinery and Equipment", "C"),
    _ind("C39", "计算机、通信和其他电子设备制造业",
         "Manufacture of Computers, Communication and Other Electronic Equipment", "C"),
    _ind("C40", "仪器仪表制造业", "Manufacture of Measuring Instruments and Meters", "C"),
    _ind("C41", "其他制造业", "Other Manufacturing", "C"),
    _ind("C42", "废弃资源综合利用业", "Comprehensive Utilization of Waste Resources", "C"),
    _ind("C43", "金属制品、机械和设备修理业",
         "Repair of Metal Products, Machinery and Equipment", "C"),
)

# Guangdong pillar / cluster industries (seed articles + provincial clusters).
_PILLARS: Tuple[Industry, ...] = (
    _ind("leather-goods", "皮具箱包", "Leather Goods and Luggage", "C19", True),
    _ind("cosmetics", "美妆日化", "Cosmetics and Personal Care", "C26", True),
    _ind("auto-parts", "汽车零部件", "Auto Parts", "C36", True),
    _ind("new-energy-vehicles", "新能源汽车", "New Energy Vehicles", "C36", True),
    _ind("smart-equipment", "智能装备", "Smart Equipment", "C35", True),
    _ind("robotics", "机器人", "Robotics", "C34", True),
    _ind("textiles-apparel", "纺织服装", "Textiles and Apparel", "C18", True),
    _ind("electronics", "电子信息", "Electronic Information", "C39", True),
    _ind("semiconductors", "半导体与集成电路", "Semiconductors and Integrated Circuits", "C39", True),
    _ind("home-appliances", "家用电器", "Home Appliances", "C38", True),
    _ind("lighting", "照明灯饰", "Lighting and Luminaires", "C38", True),
    _ind("new-energy-storage", "新能源与储能", "New Energy and Energy Storage", "C38", True),
    _ind("furniture", "家具", "Furniture", "C21", True),
    _ind("food-beverage", "食品饮料", "Food and Beverage", "C14", True),
    _ind("pharma", "生物医药", "Biomedicine and Pharmaceuticals", "C27", True),
    _ind("medical-devices", "医疗器械", "Medical Devices", "C35", True),
    _ind("ceramics-building-materials", "陶瓷建材", "Ceramics and Building Materials", "C30", True),
    _ind("hardware", "五金制品", "Hardware and Metal Products", "C33", True),
    _ind("plastics", "塑料制品", "Plastic Products", "C29", True),
    _ind("toys", "玩具", "Toys", "C24", True),
    _ind("jewelry", "珠宝首饰", "Jewelry", "C24", True),
    _ind("petrochemicals", "绿色石化", "Green Petrochemicals", "C25", True),
    _ind("precision-instruments", "精密仪器设备", "Precision Instruments and Equipment", "C40", True),
)

INDUSTRIES: Tuple[Industry, ...] = _SECTIONS + _DIVISIONS + _PILLARS

# Every GB/T 4754-2017 division a cluster spans; the first is the cluster's ``parent``.
# Statistics and exports report these codes beside the cluster name.
CLUSTER_GBT_CODES: Dict[str, Tuple[str, ...]] = {
    "leather-goods": ("C19",),
    "cosmetics": ("C26",),
    "auto-parts": ("C36",),
    "new-energy-vehicles": ("C36", "C38"),
    "smart-equipment": ("C35", "C34"),
    "robotics": ("C34", "C35"),
    "textiles-apparel": ("C18", "C17"),
    "electronics": ("C39",),
    "semiconductors": ("C39",),
    "home-appliances": ("C38",),
    "lighting": ("C38",),
    "new-energy-storage": ("C38", "D"),
    "furniture": ("C21",),
    "food-beverage": ("C14", "C13", "C15"),
    "pharma": ("C27",),
    "medical-devices": ("C35", "C27"),
    "ceramics-building-materials": ("C30",),
    "hardware": ("C33",),
    "plastics": ("C29",),
    "toys": ("C24",),
    "jewelry": ("C24",),
    "petrochemicals": ("C25", "C26"),
    "precision-instruments": ("C40",),
}

# The provincial cluster families the pickers group the clusters under (zh, en, members).
CLUSTER_FAMILIES: Tuple[Tuple[str, str, Tuple[str, ...]], ...] = (
    ("新一代电子信息", "Next-generation electronics", ("electronics", "semiconductors")),
    ("智能家电与照明", "Smart home appliances and lighting", ("home-appliances", "lighting")),
    ("汽车产业", "Automotive", ("auto-parts", "new-energy-vehicles")),
    ("高端装备与机器人", "High-end equipment and robotics",
     ("smart-equipment", "robotics", "precision-instruments")),
    ("现代轻工纺织", "Modern light industry and textiles",
     ("leather-goods", "cosmetics", "textiles-apparel", "furniture", "toys", "jewelry", "hardware",
      "plastics")),
    ("绿色石化与建材", "Green petrochemicals and building materials",
     ("petrochemicals", "ceramics-building-materials")),
    ("生物医药与健康", "Biomedicine and health", ("pharma", "medical-devices")),
    ("现代农业与食品", "Modern agriculture and food", ("food-beverage",)),
    ("新能源", "New energy", ("new-energy-storage",)),
)
