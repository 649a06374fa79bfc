"""Money, ranges, plurals and times read right in Chinese and English (catalog_app/formatting.py)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from flask import render_template_string
from flask_babel import force_locale

from catalog_app import create_app, formatting
from catalog_app.config import TestConfig
from catalog_app.models import DemandStatus


@pytest.fixture
def zh(app):
    with app.test_request_context("/"), force_locale("zh"):
        yield


@pytest.fixture
def en(app):
    with app.test_request_context("/?lang=en"), force_locale("en"):
        yield


def test_money_in_chinese_uses_wan_and_yi(zh):
    assert formatting.money(35) == "35 万元"
    assert formatting.money(1200) == "1,200 万元"
    assert formatting.money(15_000) == "1.5 亿元"
    assert formatting.money(None) == ""


def test_money_in_english_is_whole_yuan_with_separators(en):
    assert formatting.money(35) == "CNY 350,000"
    assert formatting.money(150) == "CNY 1,500,000"
    assert formatting.money(500_000) == "CNY 5,000,000,000"


def test_a_range_with_equal_ends_is_one_value(zh):
    assert formatting.money_range(35, 35) == "35 万元"
    assert "35–35" not in formatting.money_range(35, 35)


def test_ranges_in_chinese(zh):
    assert formatting.money_range(150, 220) == "150–220 万元"
    assert formatting.money_range(500_000, 900_000) == "50–90 亿元"
    assert formatting.money_range(8000, 12_000) == "8,000 万元 – 1.2 亿元"
    assert formatting.money_range(50, None) == "≥ 50 万元"
    assert formatting.money_range(None, 80) == "≤ 80 万元"
    assert formatting.money_range(None, None) == "面议"
    assert formatting.money_range(None, None, "待定") == "待定"


def test_ranges_in_english(en):
    assert formatting.money_range(150, 220) == "CNY 1,500,000–2,200,000"
    assert formatting.money_range(24, 24) == "CNY 240,000"
    assert formatting.money_range(50, None) == "≥ CNY 500,000"
    assert formatting.money_range(None, None) == "To be discussed"


def test_plurals_follow_the_count(en):
    assert formatting.count(1, "%(num)d demand", "%(num)d demands") == "1 demand"
    assert formatting.count(2, "%(num)d demand", "%(num)d demands") == "2 demands"


def test_plurals_in_chinese_have_one_form(zh):
    assert render_template_string("{{ ngettext('%(num)d demand', '%(num)d demands', 1) }}") == "1 项需求"
    assert render_template_string("{{ ngettext('%(num)d demand', '%(num)d demands', 3) }}") == "3 项需求"


def test_times_are_shown_in_beijing_time_with_the_zone(zh):
    stored = datetime(2026, 12, 3, 17, 30)  # naive UTC, as the database holds it
    assert formatting.local_datetime(stored) == "2026-12-04 01:30"
    assert formatting.local_datetime(stored, with_zone=True) == "2026-12-04 01:30 UTC+8"
    assert formatting.local_date(stored) == "2026-12-04"  # already the next day in Beijing
    assert formatting.local_date(date(2026, 1, 2)) == "2026-01-02"
    assert formatting.iso_local(stored) == "2026-12-04T01:30+08:00"
    assert formatting.local_datetime(None) == ""


def test_the_display_zone_is_configurable():
    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                      "BABEL_DEFAULT_TIMEZONE": "UTC"})
    with app.test_request_context("/"), force_locale("en"):
        assert formatting.local_datetime(datetime(2026, 12, 3, 17, 30), with_zone=True) == "2026-12-03 17:30 UTC+0"


def test_filters_are_registered(zh):
    html = render_template_string("{{ 35|money }} · {{ money_range(10, 20) }} · {{ when|local_datetime }}",
                                  when=datetime(2026, 1, 1, 0, 0))
    assert html == "35 万元 · 10–20 万元 · 2026-01-01 08:00"


def test_a_single_value_budget_on_the_demand_list_reads_once(client, create_demand):
    create_demand(budget_min=35, budget_max=35, title="单一预算的需求")
    create_demand(budget_min=50, budget_max=None, title="开放预算的需求")
    html = client.get("/demands").get_data(as_text=True)
    assert "35 万元" in html and "35–35" not in html
    assert "≥ 50 万元" in html
    english = client.get("/demands?lang=en").get_data(as_text=True)
    assert "CNY 350,000" in english and "×10k" not in english


def test_organization_cards_say_one_demand(client, create_organization, create_demand):
    organization = create_organization(name="单需求企业")
    create_demand(organization=organization, status=DemandStatus.PUBLISHED)
    html = client.get("/organizations?lang=en").get_data(as_text=True)
    assert "1 demand" in html and "1 demands" not in html


def test_a_missing_template_variable_reads_as_no_amount(zh):
    assert render_template_string("{{ money_range(nothing, 80) }}|{{ nothing|money }}") == "≤ 80 万元|"
