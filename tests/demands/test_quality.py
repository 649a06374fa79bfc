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
    has_quantity,
    quantities,
    vague_phrases,
)
from catalog_app.demands.services import DemandInput

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
    report = assess_demand(DemandInput(**{**COMPLETE.__dict__, "summary": "皮具车间的质检环节希望实现全面智能化，降本增效，减少人工。"}))
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
        "scenario", "pain_point", "data", "acceptance", "budget", "deadline", "detail", "specificity"]
    assert payload["checks"][0]["title"] == "已选择应用场景"
    assert payload["checks"][0]["state_label"] == "缺失"
