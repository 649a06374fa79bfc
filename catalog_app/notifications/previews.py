"""Sample contexts for `flask emails preview KIND`, so templates can be checked by eye.

A feature that adds `templates/emails/<kind>.txt` registers its sample here with
`register_preview`; kinds without one are rendered with an empty context.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import current_app
from jinja2 import ChainableUndefined

from catalog_app.email_queue import render_email
from catalog_app.models import DeclineReason
from catalog_app.models import ListingKind

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
    "budget_min": 80, "budget_max": 150,
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


# ---------------------------------------------------------------- account, moderation and proposal emails
# Plain namespaces stand in for the model objects: the templates only read attributes.

def _accounts_samples() -> None:
    from types import SimpleNamespace as NS

    base = "https://scenario-catalog.local"
    user = NS(display_name="王晓明", email="wang.xiaoming@example.com")
    register_preview("accounts_invitation", lambda: {
        "inviter": NS(display_name="陈立华", email="chen.lihua@example.com"),
        "invitation": NS(organization=NS(name="广州视觉智能科技有限公司")),
        "link": f"{base}/accounts/invitation/accept/sample-token", "days": 7})
    register_preview("accounts_verify_email", lambda: {
        "user": user, "link": f"{base}/accounts/verify/sample-token", "hours": 48})
    register_preview("accounts_reset_password", lambda: {
        "user": user, "link": f"{base}/accounts/reset/sample-token", "hours": 2})
    register_preview("accounts_password_changed", lambda: {
        "user": user, "link": f"{base}/accounts/reset"})
    register_preview("accounts_account_exists", lambda: {
        "user": user, "login_link": f"{base}/login", "reset_link": f"{base}/password/forgot"})


def _moderation_samples() -> None:
    from types import SimpleNamespace as NS


    owner = NS(display_name="李经理", email="li.jingli@example.com")
    listing = NS(kind=ListingKind.SOLUTION, title="皮具表面缺陷视觉检测系统 DefectEye")
    register_preview("moderation_approved", lambda: {
        "owner": owner, "obj": listing, "object_type": "listing",
        "url": "https://scenario-catalog.local/solutions/1"})
    register_preview("moderation_rejected", lambda: {
        "owner": owner, "obj": listing, "object_type": "listing",
        "reason": "缺少验收指标：请补充检测准确率、漏检率和单件检测节拍。"})


def _proposal_samples() -> None:
    from types import SimpleNamespace as NS


    demand = NS(title="皮具表面缺陷视觉检测", organization=NS(name="佛山皮革制品集团有限公司"))
    url = "https://scenario-catalog.local/demands/1/proposals/3"
    supplier = {"recipient_name": "李经理", "demand": demand, "url": url}
    enterprise = {"recipient_name": "张工", "demand": demand, "url": url}
    register_preview("proposals_submitted", lambda: {**enterprise, "supplier_name": "广州视觉智能科技有限公司"})
    register_preview("proposals_shortlisted", lambda: dict(supplier))
    register_preview("proposals_agreement", lambda: {**supplier, "amount": 85.5})
    register_preview("proposals_declined", lambda: {
        **supplier, "reason": DeclineReason.COST, "note": "今年预算已用完，明年一季度可以再联系。"})
    register_preview("proposals_message", lambda: {
        **supplier, "author_org": "佛山皮革制品集团有限公司",
        "body": "您好，能否安排下周三到我们顺德工厂现场测试？\n请带上样机和光源套件。"})
    register_preview("proposals_access_requested", lambda: {
        **enterprise, "supplier_name": "广州视觉智能科技有限公司",
        "note": "我们已在三家皮具厂部署同类方案，希望了解产线节拍和缺陷样本。"})
    register_preview("proposals_access_decided", lambda: {
        **supplier, "approved": True, "url": "https://scenario-catalog.local/demands/1"})


_accounts_samples()
_moderation_samples()
_proposal_samples()
register_preview("outbox_test", lambda: {
    "queued_at": "2026-03-18 09:30", "note": "这是一封由管理员在后台发起的测试邮件。"})


def _enquiry_samples() -> None:
    from datetime import date

    url = "https://scenario-catalog.local/enquiries/7"
    register_preview("enquiries_received", lambda: {
        "recipient_name": "李经理", "sender_org": "佛山皮革制品集团有限公司", "listing_title": "皮具表面瑕疵AI视觉检测系统",
        "body": "我们有三条皮具产线，想了解检测方案的报价和试点周期。", "budget": 60,
        "deadline": date(2027, 3, 31), "url": url})
    register_preview("enquiries_message", lambda: {
        "recipient_name": "张工", "author_org": "广州视觉智能科技有限公司",
        "body": "可以安排试点，请提供产线节拍和缺陷样本照片。", "url": url})
    register_preview("enquiries_accepted", lambda: {
        "recipient_name": "张工", "supplier_org": "广州视觉智能科技有限公司", "note": "联系方式已共享，欢迎来电。",
        "url": url})
    register_preview("enquiries_declined", lambda: {
        "recipient_name": "张工", "supplier_org": "广州视觉智能科技有限公司", "note": "暂不承接该类项目。", "url": url})


_enquiry_samples()
