"""Keyword matching: CJK bigrams, Latin words, escaping, bounds."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.browsing.keywords import MAX_TERMS, keyword_filter, parse_terms
from catalog_app.extensions import db
from catalog_app.models import Listing


def _matching_titles(query: str) -> set[str]:
    match = keyword_filter(query, [Listing.title, Listing.summary, Listing.body, Listing.keywords], Listing.title)
    return set(db.session.scalars(sa.select(Listing.title).where(match.where)))


def test_cjk_terms_become_bigrams():
    (term,) = parse_terms("视觉检测")
    assert term.patterns == ("视觉", "觉检", "检测")
    assert term.required_matches == 2


def test_mixed_query_splits_latin_and_cjk_runs():
    assert [term.text for term in parse_terms("AI质检，  MES")] == ["ai", "质检", "mes"]


def test_query_of_only_punctuation_has_no_terms():
    assert parse_terms(" ，。!! ") == []
    assert keyword_filter("，。", [Listing.title], Listing.title) is None


def test_number_of_terms_is_bounded():
    assert len(parse_terms(" ".join(f"w{i}" for i in range(50)))) == MAX_TERMS


def test_visual_inspection_finds_machine_vision_defect_detection(create_listing):
    create_listing(title="机器视觉缺陷检测", summary="", body="", keywords="")
    create_listing(title="智能仓储调度", summary="", body="", keywords="")
    assert _matching_titles("视觉检测") == {"机器视觉缺陷检测"}


def test_every_term_must_match(create_listing):
    create_listing(title="机器视觉缺陷检测", summary="", body="", keywords="")
    create_listing(title="设备预测性维护", summary="机器视觉", body="", keywords="")
    assert _matching_titles("机器视觉 维护") == {"设备预测性维护"}


def test_latin_words_match_case_insensitively_in_any_column(create_listing):
    create_listing(title="排产系统", summary="", body="与 MES 无缝对接", keywords="")
    assert _matching_titles("mes") == {"排产系统"}


def test_like_wildcards_in_the_query_are_literal(create_listing):
    create_listing(title="良率提升 50%", summary="", body="", keywords="")
    create_listing(title="良率提升 500", summary="", body="", keywords="")
    create_listing(title="型号 a_b", summary="", body="", keywords="")
    create_listing(title="型号 axb", summary="", body="", keywords="")
    assert _matching_titles("50%") == {"良率提升 50%"}
    assert _matching_titles("a_b") == {"型号 a_b"}
