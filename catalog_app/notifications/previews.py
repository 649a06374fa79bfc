"""Sample contexts for `flask emails preview KIND`, so templates can be checked by eye.

A feature that adds `templates/emails/<kind>.txt` registers its sample here with
`register_preview`; kinds without one are rendered with an empty context.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import current_app
from jinja2 import ChainableUndefined

from catalog_app.notifications.services import render_email

_SAMPLES: dict[str, Callable[[], dict]] = {
    "outbox_test": lambda: {"queued_at": "2025-01-01T09:00:00", "note": "preview"},
}


# Values many templates take; a kind with its own sample does not use these.
GENERIC_SAMPLE = {"link": "https://scenario-catalog.local/example", "hours": 24, "days": 7}


def register_preview(kind: str, sample: Callable[[], dict]) -> None:
    """Give `kind` a sample context (a function, so it may build objects lazily)."""
    _SAMPLES[kind] = sample


def available_kinds() -> list[str]:
    directory = Path(current_app.template_folder) / "emails"
    return sorted(path.stem for path in directory.glob("*.txt") if not path.name.startswith("_"))


def render_preview(kind: str, locale: str) -> tuple[str, str]:
    """Render with the sample; variables it lacks render empty instead of failing (preview only)."""
    sample = _SAMPLES.get(kind, lambda: dict(GENERIC_SAMPLE))
    environment = current_app.jinja_env
    strict, environment.undefined = environment.undefined, ChainableUndefined
    try:
        return render_email(kind, locale, **sample())
    finally:
        environment.undefined = strict


# ---------------------------------------------------------------- recommendation emails

def _sample_item(n: int, listing_title: str, organization: str, percent: int, explanation: str) -> dict:
    base = "https://scenario-catalog.local/notifications"
    return {"match_id": n, "demand_title": "皮具表面缺陷视觉检测", "listing_title": listing_title,
            "organization_name": organization, "percent": percent, "explanation": explanation,
            "view_url": f"{base}/open/sample-{n}", "interested_url": f"{base}/feedback/sample-{n}-yes",
            "not_relevant_url": f"{base}/feedback/sample-{n}-no"}


_FOOTER = {"preferences_url": "https://scenario-catalog.local/notifications/preferences",
           "unsubscribe_url": "https://scenario-catalog.local/notifications/unsubscribe/sample"}
_ITEMS = [
    _sample_item(1, "皮具表面缺陷视觉检测系统 DefectEye", "广州视觉智能科技有限公司", 92,
                 "匹配原因：场景相同：质量检测 · 机器视觉 · 缺陷检测"),
    _sample_item(2, "工业相机 VX-3200 与光源套件", "广州视觉智能科技有限公司", 64, "匹配原因：技术相同：机器视觉 · 相机"),
]

register_preview("recommendations_demand", lambda: {
    "name": "张工", "demand_title": "皮具表面缺陷视觉检测", "enterprise_name": "佛山皮革制品集团有限公司",
    "demand_summary": "需要自动识别皮面划痕、色差，替代人工目检，产线节拍 2 秒/件。", "deadline": "2026-09-30",
    "demand_url": "https://scenario-catalog.local/notifications/open/sample-1", "items": _ITEMS, **_FOOTER})
register_preview("recommendations_strong", lambda: {"name": "李经理", "item": _ITEMS[0], **_FOOTER})
register_preview("recommendations_interest", lambda: {
    "name": "李经理", "organization_name": "广州视觉智能科技有限公司", "contact_name": "张工",
    "contact_email": "zhang@example.com", "demand_title": "皮具表面缺陷视觉检测",
    "listing_title": "皮具表面缺陷视觉检测系统 DefectEye", "from_supplier": True,
    "demand_url": "https://scenario-catalog.local/demands/1", "listing_url": "https://scenario-catalog.local/solutions/1",
    **_FOOTER})
register_preview("digest_email", lambda: {
    "name": "张工", "period": "daily",
    "demand_groups": [{"heading": "皮具表面缺陷视觉检测", "subheading": "佛山皮革制品集团有限公司", "items": _ITEMS}],
    "strong_groups": [{"heading": "注塑件外观检测", "subheading": "", "items": [_ITEMS[1]]}],
    "search_groups": [{"heading": "解决方案: 视觉检测", "items": [
        {"title": "PCB 焊点 AOI 检测方案", "organization_name": "深圳精测科技有限公司",
         "summary": "基于深度学习的焊点缺陷识别", "url": "https://scenario-catalog.local/solutions/7"}]}],
    **_FOOTER})
