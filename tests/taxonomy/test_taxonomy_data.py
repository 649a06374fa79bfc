"""Integrity tests for the taxonomy reference data modules."""

import re

import pytest

from catalog_app.taxonomy.data import industries, regions, scenarios, technologies

CJK = re.compile(r"[\u4e00-\u9fff]")

INDUSTRY_KEYS = {"code", "name_zh", "name_en", "parent", "is_pillar"}
STAGE_KEYS = {"code", "name_zh", "name_en", "position"}
SCENARIO_KEYS = {"slug", "stage", "name_zh", "name_en", "summary_zh", "summary_en",
                 "pain_points_zh", "pain_points_en", "source"}
TECHNOLOGY_KEYS = {"slug", "name_zh", "name_en"}
REGION_KEYS = {"code", "name_zh", "name_en", "parent", "level"}

# (table, key field, required keys, keys allowed to be None)
TABLES = [
    ("industries", industries.INDUSTRIES, "code", INDUSTRY_KEYS, {"parent"}),
    ("stages", scenarios.STAGES, "code", STAGE_KEYS, set()),
    ("scenarios", scenarios.SCENARIOS, "slug", SCENARIO_KEYS, set()),
    ("technologies", technologies.TECHNOLOGIES, "slug", TECHNOLOGY_KEYS, set()),
    ("regions", regions.REGIONS, "code", REGION_KEYS, {"parent"}),
]
TABLE_IDS = [t[0] for t in TABLES]


def _is_ascii(text):
    return all(ord(ch) < 128 for ch in text)


@pytest.mark.parametrize("name,rows,key,required,nullable", TABLES, ids=TABLE_IDS)
def test_tables_are_non_empty_tuples_of_dicts(name, rows, key, required, nullable):
    assert isinstance(rows, tuple) and rows, name
    assert all(isinstance(r, dict) for r in rows), name


@pytest.mark.parametrize("name,rows,key,required,nullable", TABLES, ids=TABLE_IDS)
def test_keys_exact_and_values_non_empty(name, rows, key, required, nullable):
    for row in rows:
        assert set(row) == required, (name, row.get(key), set(row) ^ required)
        for field, value in row.items():
            if field in nullable and value is None:
                continue
            if isinstance(value, bool):
                continue
            assert value not in ("", (), None), (name, row[key], field)
            if isinstance(value, str):
                assert value == value.strip(), (name, row[key], field)


@pytest.mark.parametrize("name,rows,key,required,nullable", TABLES, ids=TABLE_IDS)
def test_unique_keys(name, rows, key, required, nullable):
    keys = [r[key] for r in rows]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    assert not dupes, (name, dupes)


@pytest.mark.parametrize("name,rows,key,required,nullable", TABLES, ids=TABLE_IDS)
def test_unique_names(name, rows, key, required, nullable):
    for field in ("name_zh", "name_en"):
        if name == "regions" and field == "name_zh":
            # Chinese district names can repeat across cities in principle.
            continue
        values = [r[field] for r in rows]
        dupes = sorted({v for v in values if values.count(v) > 1})
        assert not dupes, (name, field, dupes)


@pytest.mark.parametrize("name,rows,key,required,nullable", TABLES, ids=TABLE_IDS)
def test_zh_names_contain_cjk_and_en_names_are_ascii(name, rows, key, required, nullable):
    for row in rows:
        assert CJK.search(row["name_zh"]), (name, row[key], row["name_zh"])
        assert _is_ascii(row["name_en"]), (name, row[key], row["name_en"])
        assert re.search(r"[A-Za-z]", row["name_en"]), (name, row[key])


@pytest.mark.parametrize("name,rows,key", [
    ("scenarios", scenarios.SCENARIOS, "slug"),
    ("technologies", technologies.TECHNOLOGIES, "slug"),
])
def test_slugs_are_slug_like(name, rows, key):
    for row in rows:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row[key]), (name, row[key])


# --- industries -------------------------------------------------------------

def test_industry_parents_exist_and_no_cycles():
    by_code = {i["code"]: i for i in industries.INDUSTRIES}
    for ind in industries.INDUSTRIES:
        seen = set()
        node = ind
        while node["parent"] is not None:
            assert node["parent"] in by_code, (ind["code"], node["parent"])
            assert node["code"] not in seen, ("cycle", ind["code"])
            seen.add(node["code"])
            node = by_code[node["parent"]]


def test_all_manufacturing_divisions_present():
    by_code = {i["code"]: i for i in industries.INDUSTRIES}
    for n in range(13, 44):
        code = "C%d" % n
        assert code in by_code, code
        assert by_code[code]["is_pillar"] is False
    assert by_code["C13"]["name_zh"] == "农副食品加工业"
    assert by_code["C39"]["name_zh"] == "计算机、通信和其他电子设备制造业"
    assert by_code["C43"]["name_zh"] == "金属制品、机械和设备修理业"


def test_non_manufacturing_sections_present():
    by_code = {i["code"]: i for i in industries.INDUSTRIES}
    for code in ("A", "D", "E", "F", "G", "Q"):
        assert code in by_code and by_code[code]["parent"] is None, code


def test_is_pillar_is_bool_and_pillars_hang_under_divisions():
    division = re.compile(r"C(1[3-9]|[23][0-9]|4[0-3])")
    pillars = [i for i in industries.INDUSTRIES if i["is_pillar"]]
    assert 15 <= len(pillars) <= 30
    for ind in industries.INDUSTRIES:
        assert isinstance(ind["is_pillar"], bool), ind["code"]
    for p in pillars:
        assert division.fullmatch(p["parent"] or ""), (p["code"], p["parent"])
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", p["code"]), p["code"]


@pytest.mark.parametrize("code,parents", [
    ("leather-goods", {"C19"}), ("cosmetics", {"C26"}), ("auto-parts", {"C36"}),
    ("smart-equipment", {"C34", "C35"}), ("textiles-apparel", {"C18"}),
    ("electronics", {"C39"}), ("home-appliances", {"C38"}),
    ("new-energy-vehicles", {"C36"}), ("furniture", {"C21"}),
    ("food-beverage", {"C14", "C15"}), ("pharma", {"C27"}),
    ("ceramics-building-materials", {"C30"}), ("hardware", {"C33"}),
    ("plastics", {"C29"}), ("semiconductors", {"C39"}), ("robotics", {"C34"}),
    ("toys", {"C24"}), ("lighting", {"C38"}), ("jewelry", {"C24"}),
])
def test_named_pillars(code, parents):
    by_code = {i["code"]: i for i in industries.INDUSTRIES}
    assert code in by_code, code
    assert by_code[code]["is_pillar"] is True
    assert by_code[code]["parent"] in parents


# --- scenarios --------------------------------------------------------------

def test_stage_positions_unique_and_contiguous():
    positions = sorted(s["position"] for s in scenarios.STAGES)
    assert all(isinstance(p, int) and not isinstance(p, bool) for p in positions)
    assert positions == list(range(1, len(scenarios.STAGES) + 1))
    assert len(scenarios.STAGES) == 8


def test_every_scenario_stage_exists():
    stage_codes = {s["code"] for s in scenarios.STAGES}
    for sc in scenarios.SCENARIOS:
        assert sc["stage"] in stage_codes, (sc["slug"], sc["stage"])


def test_every_stage_has_scenarios():
    used = {sc["stage"] for sc in scenarios.SCENARIOS}
    for stage in scenarios.STAGES:
        assert stage["code"] in used, stage["code"]


def test_scenario_counts_and_sources():
    assert len(scenarios.SCENARIOS) >= 40
    sources = [sc["source"] for sc in scenarios.SCENARIOS]
    assert set(sources) <= {"miit-2025", "seeds"}
    assert sources.count("miit-2025") == 40
    assert sources.count("seeds") >= 1


def test_pain_points_shape():
    for sc in scenarios.SCENARIOS:
        zh, en = sc["pain_points_zh"], sc["pain_points_en"]
        assert isinstance(zh, tuple) and isinstance(en, tuple), sc["slug"]
        assert 2 <= len(zh) <= 4, sc["slug"]
        assert len(zh) == len(en), sc["slug"]
        for p in zh:
            assert isinstance(p, str) and p.strip() and CJK.search(p), (sc["slug"], p)
        for p in en:
            assert isinstance(p, str) and p.strip() and _is_ascii(p), (sc["slug"], p)
            assert not CJK.search(p), (sc["slug"], p)


def test_summaries_language():
    for sc in scenarios.SCENARIOS:
        assert CJK.search(sc["summary_zh"]), sc["slug"]
        assert _is_ascii(sc["summary_en"]), sc["slug"]
        assert len(sc["summary_en"].split()) >= 8, sc["slug"]
        assert len(sc["summary_zh"]) >= 15, sc["slug"]


def test_seed_scenarios_covered_without_duplicates():
    names = {sc["name_zh"] for sc in scenarios.SCENARIOS}
    for expected in ("在线智能检测", "设备故障诊断与预测", "车间智能排产",
                     "能源智能管控", "智能客服", "营销内容生成",
                     "工业大模型知识问答", "数字人直播"):
        assert expected in names, expected
    assert any("配方" in n for n in names)
    assert any("巡检" in n for n in names)
    assert any("生成式" in n for n in names)


# --- technologies -----------------------------------------------------------

def test_technology_count():
    assert 20 <= len(technologies.TECHNOLOGIES) <= 40


# --- regions ----------------------------------------------------------------

def test_exactly_21_cities():
    cities = [r for r in regions.REGIONS if r["level"] == "city"]
    assert len(cities) == 21
    assert all(r["parent"] is None for r in cities)
    names = {r["name_zh"] for r in cities}
    for n in ("广州市", "深圳市", "珠海市", "汕头市", "佛山市", "韶关市", "湛江市",
              "肇庆市", "江门市", "茂名市", "惠州市", "梅州市", "汕尾市", "河源市",
              "阳江市", "清远市", "东莞市", "中山市", "潮州市", "揭阳市", "云浮市"):
        assert n in names, n


def test_region_levels_codes_and_parents():
    by_code = {r["code"]: r for r in regions.REGIONS}
    for r in regions.REGIONS:
        assert r["level"] in ("city", "district"), r["code"]
        assert re.fullmatch(r"44\d{4}", r["code"]), r["code"]
        if r["level"] == "city":
            assert r["code"].endswith("00"), r["code"]
        else:
            parent = by_code.get(r["parent"])
            assert parent is not None and parent["level"] == "city", r["code"]
            assert r["code"][:4] == r["parent"][:4], r["code"]
            assert not r["code"].endswith("00"), r["code"]


def test_dongguan_zhongshan_have_no_children():
    parents = {r["parent"] for r in regions.REGIONS}
    assert "441900" not in parents
    assert "442000" not in parents


def test_known_districts():
    by_code = {r["code"]: r for r in regions.REGIONS}
    assert by_code["440114"]["name_zh"] == "花都区"
    assert by_code["440114"]["name_en"] == "Huadu District"
    assert by_code["440100"]["name_en"] == "Guangzhou"
    districts = [r for r in regions.REGIONS if r["level"] == "district"]
    # Guangdong has 122 county-level divisions (2024).
    assert len(districts) == 122
    for city in ("440100", "440300", "440600", "441300"):
        assert any(r["parent"] == city for r in districts), city
