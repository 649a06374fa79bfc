"""The diff behind the review page: character-level for Chinese, whole tokens for Latin text."""
from __future__ import annotations

from catalog_app.moderation import diffing
from catalog_app.moderation.diffing import LIST, TEXT, VALUE, Segment, compare_snapshots, diff_list, diff_text


def _spell(segments, side):
    keep = {"old": ("equal", "delete"), "new": ("equal", "insert")}[side]
    return "".join(segment.text for segment in segments if segment.op in keep)


def test_chinese_text_is_compared_character_by_character():
    segments = diff_text("基于深度学习的外观缺陷检测", "基于深度学习的表面缺陷检测系统")

    assert Segment("delete", "外观") in segments
    assert Segment("insert", "表面") in segments
    assert segments[-1] == Segment("insert", "系统")
    assert segments[0] == Segment("equal", "基于深度学习的")


def test_segments_spell_both_versions():
    old = "适用于五金、皮具等行业的表面缺陷检测，准确率99.5%。\n支持OCR识别。"
    new = "适用于五金、陶瓷等行业的外观缺陷检测，准确率达到99.8%。\n支持OCR与条码识别。"

    segments = diff_text(old, new)

    assert _spell(segments, "old") == old
    assert _spell(segments, "new") == new


def test_latin_words_and_numbers_change_as_a_whole():
    segments = diff_text("accuracy 99.5% on OCR", "accuracy 99.8% on OCRv2")

    assert Segment("delete", "99.5%") in segments and Segment("insert", "99.8%") in segments
    assert Segment("delete", "OCR") in segments and Segment("insert", "OCRv2") in segments


def test_a_single_unchanged_character_between_changes_is_folded_into_one_replacement():
    segments = diff_text("甲乙丙丁戊", "甲子乙午戊")

    assert [segment.op for segment in segments] == ["equal", "delete", "insert", "equal"]
    assert segments[1] == Segment("delete", "乙丙丁")
    assert segments[2] == Segment("insert", "子乙午")


def test_identical_and_empty_texts():
    assert diff_text("不变", "不变") == [Segment("equal", "不变")]
    assert diff_text(None, "") == []
    assert diff_text(None, "新增") == [Segment("insert", "新增")]


def test_very_long_texts_fall_back_to_lines(monkeypatch):
    monkeypatch.setattr(diffing, "MAX_TOKENS", 10)
    old = "第一行没有变化\n第二行旧的内容\n"
    new = "第一行没有变化\n第二行新的内容\n"

    segments = diff_text(old, new)

    assert segments == [Segment("equal", "第一行没有变化\n"), Segment("delete", "第二行旧的内容\n"),
                        Segment("insert", "第二行新的内容\n")]


def test_markup_stays_plain_text():
    segments = diff_text("标题", "标题<script>alert(1)</script>")

    assert _spell(segments, "new") == "标题<script>alert(1)</script>"


def test_list_diff_reports_added_removed_and_kept():
    added, removed, kept = diff_list(["质量检测", "设备运维"], ["质量检测", "仓储物流"])

    assert (added, removed, kept) == (["仓储物流"], ["设备运维"], ["质量检测"])


def test_compare_snapshots_lists_only_changed_fields_in_order():
    kinds = {"title": TEXT, "scenarios": LIST, "maturity_trl": VALUE, "summary": TEXT}
    old = {"title": "旧标题", "scenarios": ["质量检测"], "maturity_trl": 6, "summary": "相同", "extra": None}
    new = {"title": "新标题", "scenarios": ["质量检测", "仓储物流"], "maturity_trl": 7, "summary": "相同",
           "extra": "", "unknown_field": 3}

    changes = compare_snapshots(old, new, kinds)

    assert [change.name for change in changes] == ["title", "scenarios", "maturity_trl", "unknown_field"]
    assert changes[1].added == ["仓储物流"] and changes[1].removed == []
    assert (changes[2].old, changes[2].new) == (6, 7)
    assert changes[3].kind == VALUE


def test_case_outcomes_compare_as_readable_lines():
    old = {"outcomes": [{"label": "检测效率", "before": 120.0, "after": 600.0, "unit": "件/小时"}]}
    new = {"outcomes": [{"label": "检测效率", "before": 120.0, "after": 800.0, "unit": "件/小时"}]}

    (change,) = compare_snapshots(old, new, {"outcomes": LIST})

    assert change.added == ["检测效率: 120 → 800 件/小时"]
    assert change.removed == ["检测效率: 120 → 600 件/小时"]
