"""The published criteria ("name | weight" lines) and the weighted 0-100 totals."""
from __future__ import annotations

import pytest

from catalog_app.challenges.criteria import Criterion, clean_scores, parse_criteria, weighted_total


def test_lines_become_criteria_in_order():
    assert parse_criteria("技术可行性 | 40\n应用价值 | 30\n\n团队能力|30") == [
        Criterion("技术可行性", 40), Criterion("应用价值", 30), Criterion("团队能力", 30)]


def test_full_width_bar_percent_and_missing_weight():
    assert parse_criteria("创新性 ｜ 25%\n落地周期") == [Criterion("创新性", 25), Criterion("落地周期", 1)]


@pytest.mark.parametrize("text", ["成本 | abc", "成本 | 0", "成本 | -5", "成本 | nan", " | 20", "成本 | inf"])
def test_bad_lines_are_left_out(text):
    assert parse_criteria(text) == []


def test_a_repeated_name_keeps_its_first_line():
    assert parse_criteria("成本 | 20\n成本 | 80") == [Criterion("成本", 20)]


def test_empty_criteria():
    assert parse_criteria("") == [] and parse_criteria(None) == []


CRITERIA = parse_criteria("技术可行性 | 40\n应用价值 | 30\n团队能力 | 30")


def test_weighted_total_of_full_marks_is_100():
    assert weighted_total(CRITERIA, {"技术可行性": 10, "应用价值": 10, "团队能力": 10}) == 100.0


def test_weighted_total_follows_the_weights():
    # 40% × 8/10 + 30% × 5/10 + 30% × 0/10 = 32 + 15 + 0
    assert weighted_total(CRITERIA, {"技术可行性": 8, "应用价值": 5, "团队能力": 0}) == 47.0


def test_weights_need_not_add_up_to_100():
    scaled = parse_criteria("A | 4\nB | 3\nC | 3")
    assert weighted_total(scaled, {"A": 8, "B": 5, "C": 0}) == 47.0
    assert weighted_total(parse_criteria("A\nB"), {"A": 10, "B": 5}) == 75.0


def test_clean_scores_takes_whole_numbers_0_to_10():
    assert clean_scores(CRITERIA, {"技术可行性": "8", "应用价值": 0, "团队能力": "10", "extra": 3}) == {
        "技术可行性": 8, "应用价值": 0, "团队能力": 10}


@pytest.mark.parametrize("bad", ["11", "-1", "7.5", "", "٣", None, True])
def test_clean_scores_refuses_bad_values(bad):
    with pytest.raises(ValueError) as raised:
        clean_scores(CRITERIA, {"技术可行性": bad, "应用价值": 5, "团队能力": 5})
    assert str(raised.value) == "技术可行性"
