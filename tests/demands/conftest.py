"""Fixtures of the demand tests: a signed-in enterprise member and a private upload folder."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import g

from catalog_app.models import UserRole
from tests.conftest import login_as


@pytest.fixture
def private_uploads(app, tmp_path):
    """Attachments go to the test's own folder, never to instance/."""
    app.config["DEMAND_UPLOAD_DIR"] = str(tmp_path / "demand-uploads")
    return tmp_path / "demand-uploads"


@pytest.fixture
def enterprise_user(create_user):
    return create_user(role=UserRole.ENTERPRISE)


@pytest.fixture
def enterprise_client(client, enterprise_user):
    login_as(client, enterprise_user)
    return client


def forget_current_user() -> None:
    """Let the next request load its user from its own cookie (the app context, and so `g`,
    spans the whole test; Flask-Login caches the user there)."""
    g.pop("_login_user", None)


def in_days(days: int) -> date:
    return date.today() + timedelta(days=days)


def form_data(**overrides) -> dict:
    """A complete, specific demand as the browser posts it."""
    data = {
        "title": "皮具表面划痕视觉检测",
        "summary": "皮具车间8条产线需要自动识别皮面划痕与色差，替代人工目检。",
        "background": "目前每条产线安排2名质检员人工目检，每班漏检率约3%，高峰期漏检更多，客户投诉每月10次以上。",
        "requirements": ("检测速度需匹配产线节拍，支持与现有MES对接，部署在车间本地服务器，不依赖公网，"
                         "光源与相机方案由供应商提供。"),
        "expected_outcomes": "缺陷检出准确率≥99%，漏检率<0.5%，单件检测节拍≤3秒。",
        "data_available": "可提供5000张已标注缺陷图片及一年的质检记录。",
        "budget_min": "50",
        "budget_max": "120",
        "deadline": in_days(60).isoformat(),
        "confidentiality": "public",
        "region": "",
        "save_draft": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
