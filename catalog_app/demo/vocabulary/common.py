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

# Which customers a delivery mode suits (链主 / 规上 / 中小 / 一人公司); {short} is the
# industry ("皮具"), {product} one of its products: every sentence names its industry.
FIT_BY_MODE = {
    "saas": ("{short}中小企业低成本快速上线", "做{product}的小微工厂按需使用", "{short}集团多工厂统一管理"),
    "on_premise": ("对{product}工艺数据保密要求高的{short}链主企业", "{short}规上企业的{process}产线级改造"),
    "hybrid": ("{short}链主企业的多工厂推广", "{short}规上企业分阶段建设"),
    "edge_box": ("{short}中小企业单条{product}线快速上线", "网络条件有限的{short}车间"),
    "project": ("{short}链主企业的定制化需求", "{short}规上企业的整厂改造"),
}

# Service terms; the slots tie each to the listing's industry (a line shared word for word
# by a 皮具 and a 家电 listing reads as boilerplate).
SUPPORT_LINES = (
    "实施工程师驻场{process}工段，培训{short}产线班组长和质检员|首年免费运维，{product}产线停线问题2小时内远程响应|"
    "可申请花都区平台“首年免费、次年五折”租用，{short}中小企业首年零投入|"
    "先在一条{product}线试点，见效后再推广到全厂|提供{product}样件POC验证，效果不达标不收费|"
    "协助{city}{short}企业申报数字化转型补贴|实施团队做过{count}个{short}项目，熟悉{process}工艺|"
    "提供标准API接口，对接{short}企业常用的ERP/MES"
).split("|")


def support_lines(rng, industry: dict, city: str, k: int = 1) -> str:
    """`k` different service lines written for `industry` (an INDUSTRY_PROFILES entry), "；"-joined."""
    return "；".join(line.format(
        short=industry["short"], product=rng.choice(industry["products"].split("|")),
        process=rng.choice(industry["processes"].split("|")), city=city.removesuffix("市"),
        count=rng.randint(3, 40)) for line in rng.sample(SUPPORT_LINES, k))


def fit_text(rng, mode: str, industry: dict) -> str:
    return rng.choice(FIT_BY_MODE[mode]).format(
        short=industry["short"], product=rng.choice(industry["products"].split("|")),
        process=rng.choice(industry["processes"].split("|")))


OPENERS_NEED = "希望|计划|拟|急需|正筹划|准备".split("|")
