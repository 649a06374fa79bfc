"""Words shared by every scenario: company names, people, delivery modes, prices."""

# Two of these make a fictional brand (睿视, 鼎联 ...); a pair is never a real company
# on purpose, but collisions with real names are possible and harmless in demo data.
BRAND_SYLLABLES = (
    "睿 智 联 创 华 科 达 鼎 信 源 恒 瑞 博 泰 森 晟 宇 铭 远 思 拓 迅 云 图 灵 视 极 星 辰 澜 擎 衡 "
    "朗 芯 微 捷 锐 凯 航 启 润 嘉 誉 领 腾 悦 安 毅 骏 弘 卓 沃 优 新 维 因 深 数 易 通 盛 德 隆"
).split()

TECH_COMPANY_WORDS = "智能科技|信息技术|数字科技|人工智能|软件|智能装备|自动化科技|机器人|视觉科技|数据科技".split("|")
SERVICE_COMPANY_WORDS = "数字化服务|工业互联网|企业管理咨询|科技服务|检测认证".split("|")
INSTITUTE_HOSTS = "华南理工大学|广东工业大学|暨南大学|中山大学|深圳大学|南方科技大学|广东省科学院|佛山科学技术学院|东莞理工学院|五邑大学".split("|")
INSTITUTE_TOPICS = "智能制造|人工智能|机器视觉|工业大数据|智能装备|先进制造|数字经济|智能感知|机器人|工业软件".split("|")
INSTITUTE_SUFFIXES = "研究院|创新研究院|产业技术研究院|技术研究中心".split("|")
SERVICE_ORG_NAMES = (
    "{city}工业互联网产业联盟|{city}人工智能产业协会|{city}数字化转型促进中心|{city}智能制造公共服务平台|"
    "{city}新型工业化数字服务中心|{city}中小企业数字化服务站"
).split("|")

SURNAMES = "陈 李 黄 张 梁 林 刘 吴 罗 何 郑 周 王 谢 冯 邓 曾 彭 叶 苏 卢 蔡 潘 杜 钟 许 朱 麦 欧阳 司徒".split()
GIVEN_NAMES = "志强 伟 丽娟 建华 晓东 敏 俊杰 海燕 嘉欣 浩然 婷 文辉 子轩 秀英 国栋 颖 家豪 慧敏 振宇 雪梅 卓 锦荣 思远 嘉怡".split()
JOB_TITLES = "总经理|技术总监|数字化负责人|市场经理|解决方案经理|IT经理|生产副总|项目经理|商务经理".split("|")

DELIVERY_MODES = ("saas", "on_premise", "hybrid", "edge_box", "project")
# What a listing's "delivery" field says (the field is free text that suppliers fill in).
DELIVERY_MODE_LABEL = {
    "saas": "SaaS订阅",
    "on_premise": "本地私有化部署",
    "hybrid": "云边协同",
    "edge_box": "边缘一体机",
    "project": "项目定制实施",
}

DELIVERY_MODE_TEXT = {
    "saas": "SaaS订阅，按账号或按量计费",
    "on_premise": "本地私有化部署，数据不出厂",
    "hybrid": "云边协同：模型在云端训练、在车间边缘推理",
    "edge_box": "边缘一体机交付，开箱即用",
    "project": "按项目定制开发与实施",
}

# Which customers a delivery mode suits (链主 / 规上 / 中小 / 一人公司).
FIT_BY_MODE = {
    "saas": ("中小企业低成本快速上线", "一人公司和初创团队按需使用", "多工厂统一管理"),
    "on_premise": ("对数据安全要求高的链主企业", "规上企业的产线级改造"),
    "hybrid": ("链主企业的多工厂推广", "规上企业分阶段建设"),
    "edge_box": ("中小企业单条产线快速上线", "网络条件有限的车间"),
    "project": ("链主企业的定制化需求", "规上企业的整厂改造"),
}

SUPPORT_LINES = (
    "提供驻场实施和操作培训|首年免费运维，7x24小时远程支持|可申请花都区平台“首年免费、次年五折”租用|"
    "支持先试点一条产线，见效后再推广|提供POC验证，效果不达标不收费|可对接广州、深圳数字化转型补贴申报|"
    "实施团队具备同行业交付经验|提供标准API接口，便于对接ERP/MES"
).split("|")

OPENERS_NEED = "希望|计划|拟|急需|正筹划|准备".split("|")
