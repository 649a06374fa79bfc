"""The demand-quality check: a pure function, so no app and no database here."""
from __future__ import annotations

from datetime import date

import pytest

from catalog_app.demands.quality import (
    MISSING,
    OK,
    QUALITY_THRESHOLD,
    VAGUE,
    assess_demand,
    budget_limit,
    has_quantity,
    is_repetitive,
    measurable_targets,
    quantities,
    vague_phrases,
)
from catalog_app.demands.services import DemandInput
from catalog_app.models import OrganizationTier

COMPLETE = DemandInput(
    title="皮具表面划痕视觉检测",
    summary="皮具车间8条产线需要自动识别皮面划痕与色差，替代人工目检。",
    background="目前每条产线安排2名质检员人工目检，每班漏检率约3%，高峰期漏检更多，客户投诉每月10次以上。",
    requirements="检测速度需匹配产线节拍，支持与现有MES对接，部署在车间本地服务器，不依赖公网，光源与相机方案由供应商提供。",
    expected_outcomes="缺陷检出准确率≥99%，漏检率<0.5%，单件检测节拍≤3秒。",
    data_available="可提供5000张已标注缺陷图片及一年的质检记录。",
    scenario_ids=(1,),
    budget_min=50,
    budget_max=120,
    deadline=date(2031, 1, 1),
)
EMPTY = DemandInput(title="")


def states(report) -> dict[str, str]:
    return {check.key: check.state for check in report.checks}


def test_a_complete_specific_demand_scores_100():
    report = assess_demand(COMPLETE)
    assert report.score == 100
    assert report.passes
    assert report.problems == ()
    assert set(states(report).values()) == {OK}


def test_an_empty_demand_scores_0_and_every_check_is_missing():
    report = assess_demand(EMPTY)
    assert report.score == 0
    assert not report.passes
    assert set(states(report).values()) == {MISSING}


def test_weights_add_up_to_100():
    assert sum(check.weight for check in assess_demand(EMPTY).checks) == 100


@pytest.mark.parametrize("change, key, state, lost", [
    ({"scenario_ids": ()}, "scenario", MISSING, 15),
    ({"background": ""}, "pain_point", MISSING, 15),
    ({"background": "人工目检，效率低。"}, "pain_point", VAGUE, 10),
    ({"data_available": ""}, "data", MISSING, 10),
    ({"data_available": "有图片"}, "data", VAGUE, 7),
    ({"expected_outcomes": ""}, "acceptance", MISSING, 20),
    ({"expected_outcomes": "检测准确，速度快，客户满意"}, "acceptance", VAGUE, 15),
    ({"budget_min": None, "budget_max": None}, "budget", MISSING, 10),
    ({"deadline": None}, "deadline", MISSING, 10),
    ({"requirements": ""}, "detail", MISSING, 4),
    ({"title": "检测"}, "detail", VAGUE, 4),
])
def test_each_gap_costs_its_points_and_is_named(change, key, state, lost):
    report = assess_demand(DemandInput(**{**COMPLETE.__dict__, **change}))
    assert states(report)[key] == state
    assert report.score == 100 - lost
    assert [check.key for check in report.problems] == [key]


def test_budget_with_only_a_maximum_counts():
    report = assess_demand(DemandInput(**{**COMPLETE.__dict__, "budget_min": None}))
    assert states(report)["budget"] == OK


@pytest.mark.parametrize("text", [
    "准确率≥99%", "节拍≤30秒", "漏检率<0.5%", "单件节拍 30 s", "能耗降低15%", "准确率达到 99.5 %",
    "每班8小时", "精度0.05mm", "准确率≥９９％", "cycle time at most 30 seconds", "response within 200 ms",
])
def test_figures_with_units_or_comparisons_are_quantities(text):
    assert has_quantity(text), text


@pytest.mark.parametrize("text", ["提升效率", "降本增效", "ISO 9001 认证", "3 sensors", "型号A7", "", None])
def test_text_without_a_measurable_figure_is_no_quantity(text):
    assert not has_quantity(text), text


def test_quantities_keeps_the_comparison_and_the_unit():
    assert quantities("准确率≥99%，节拍≤30秒") == ["≥99%", "≤30秒"]


def test_vague_words_without_figures_are_flagged_per_sentence():
    phrases = vague_phrases("实现质检智能化，提升效率。准确率达到99%以上。", "降本增效")
    assert [(p.word, p.sentence) for p in phrases] == [("智能化", "实现质检智能化，提升效率"), ("降本增效", "降本增效")]


def test_a_vague_word_next_to_a_figure_is_not_flagged():
    assert vague_phrases("提升效率30%，降本增效200万元/年") == []
    assert vague_phrases("Improve efficiency by 20%.") == []


def test_vague_wording_fails_the_specificity_check_and_lists_the_sentences():
    vague = "皮具车间的质检环节希望实现全面智能化，降本增效，减少人工。"
    report = assess_demand(DemandInput(**{**COMPLETE.__dict__, "summary": vague}))
    assert states(report)["specificity"] == VAGUE
    assert report.score == 90
    assert [p.word for p in report.vague_phrases] == ["智能化"]


def test_a_typical_vague_demand_falls_below_the_threshold():
    vague = DemandInput(title="质检智能化", summary="希望实现智能化，提升效率。", scenario_ids=(3,),
                        expected_outcomes="降本增效。")
    report = assess_demand(vague)
    assert report.score < QUALITY_THRESHOLD
    assert {"pain_point", "data", "acceptance", "budget", "deadline", "specificity"} <= {
        check.key for check in report.problems}


def test_long_texts_are_truncated_in_the_flagged_sentence():
    [phrase] = vague_phrases("智能化" + "很" * 100)
    assert len(phrase.sentence) == 60 and phrase.sentence.endswith("…")


def test_the_json_form_carries_score_checks_and_phrases(app):
    with app.test_request_context("/"):  # Chinese by default
        payload = assess_demand(EMPTY).as_json()
    assert payload["score"] == 0 and payload["threshold"] == QUALITY_THRESHOLD and payload["passes"] is False
    assert [c["key"] for c in payload["checks"]] == [
        "scenario", "pain_point", "data", "acceptance", "budget", "deadline", "detail", "specificity", "original"]
    assert payload["checks"][0]["title"] == "已选择应用场景"
    assert payload["checks"][0]["state_label"] == "缺失"


# --- Substance, not presence (issue 16) ---------------------------------------------------

def _with(**change) -> DemandInput:
    return DemandInput(**{**COMPLETE.__dict__, **change})


@pytest.mark.parametrize("field", ["background", "requirements", "expected_outcomes", "data_available"])
def test_a_phrase_pasted_1000_times_never_passes(field):
    report = assess_demand(_with(**{field: "设备老化，" * 1000}))
    assert not report.passes
    assert report.score < QUALITY_THRESHOLD
    assert states(report)["specificity"] == VAGUE  # no longer "表述具体 ✓"
    assert states(report)["original"] == VAGUE


def test_repeated_clauses_count_once_towards_length():
    report = assess_demand(_with(background="人工目检效率低，" * 30))
    assert states(report)["pain_point"] == VAGUE


def test_boilerplate_without_commas_is_caught_by_its_ngrams():
    assert is_repetitive("借助人工智能实现降本增效" * 40)
    assert is_repetitive("abcabcabcabc" * 20)


@pytest.mark.parametrize("text", [COMPLETE.background, COMPLETE.requirements, COMPLETE.expected_outcomes,
                                  "视觉检测系统需要识别划痕、凹坑、色差三类缺陷，检测节拍≤3秒，准确率≥99%，"
                                  "支持与MES对接，部署在本地，不依赖公网；相机、光源、工控机由供应商提供，"
                                  "提供一年质保与现场培训，验收以连续三个月的检测记录为准。"])
def test_ordinary_descriptions_are_not_repetitive(text):
    assert not is_repetitive(text)


def test_a_budget_of_50_to_90_yi_is_not_a_plausible_budget():
    report = assess_demand(_with(budget_min=500_000, budget_max=900_000), tier=OrganizationTier.CHAIN_LEADER)
    assert states(report)["budget"] == VAGUE
    assert report.score == 90


@pytest.mark.parametrize("tier, top, state", [
    (OrganizationTier.ONE_PERSON, 80, OK),
    (OrganizationTier.ONE_PERSON, 500, VAGUE),
    (OrganizationTier.SME, 1_500, OK),
    (OrganizationTier.SME, 8_000, VAGUE),
    (OrganizationTier.CHAIN_LEADER, 8_000, OK),
    (None, 20_000, OK),
])
def test_budget_plausibility_depends_on_the_organization_size(tier, top, state):
    report = assess_demand(_with(budget_min=top // 2, budget_max=top), tier=tier)
    assert states(report)["budget"] == state


def test_more_scenarios_allow_a_larger_budget():
    assert budget_limit(OrganizationTier.SME, 3) == 3 * budget_limit(OrganizationTier.SME, 1)
    assert budget_limit(OrganizationTier.SME, 9) == budget_limit(OrganizationTier.SME, 3)


def test_a_very_wide_budget_range_is_vague():
    report = assess_demand(_with(budget_min=50, budget_max=400))
    assert states(report)["budget"] == VAGUE and report.score == 95


def test_money_is_not_a_measurable_acceptance_target():
    assert measurable_targets("年节省成本200万元") == []
    assert measurable_targets("良率≥98%，节拍≤30秒") != []
    report = assess_demand(_with(expected_outcomes="项目总投资300万元，希望越快越好"))
    assert states(report)["acceptance"] == VAGUE
