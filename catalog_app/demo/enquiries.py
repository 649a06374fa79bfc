"""Demo enquiries: a few threads between the demo accounts' organizations.

Enquiries go from enterprises with a member account to suppliers with a member account and
published listings, so that logging in as either side shows an inbox with real threads:
some accepted (contacts shared), some answered but pending, some not answered yet, one
declined. Reply times vary, so the suppliers' profiles show a median and a reply rate.
Written with ORM adds after the bulk load (a dozen rows; ids come from the sequences).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import (Enquiry, EnquiryMessage, EnquirySide, EnquiryStatus, Listing, ListingStatus, User,
                                UserRole)
from catalog_app.models._types import utcnow

MAX_SUPPLIERS = 3
MAX_ENTERPRISES = 3


@dataclass(frozen=True)
class Script:
    """One demo thread: the request and what happened to it (hours after it was sent)."""

    request: str
    budget: int | None
    reply_hours: float | None  # the supplier's first answer; None: not answered yet
    outcome: EnquiryStatus
    messages: tuple[tuple[EnquirySide, float, str], ...] = ()


SCRIPTS = (
    Script("我们在佛山有两条产线，想了解「{title}」在我们场景下的部署方式、实施周期和大致报价，能否先做一个月的试点？",
           80, 3.5, EnquiryStatus.ACCEPTED,
           ((EnquirySide.SUPPLIER, 3.5, "可以试点。请提供产线节拍和现有检测工位照片，我们安排工程师到现场评估。"),
            (EnquirySide.ENTERPRISE, 6, "照片已整理好，下周二上午现场方便吗？"),
            (EnquirySide.SUPPLIER, 7, "下周二上午可以，我们两位工程师到场。联系方式已共享，有变动请电话联系。"))),
    Script("「{title}」是否支持与我们现有的 MES 系统对接？另外想了解软件授权是买断还是按年订阅。",
           None, 20, EnquiryStatus.PENDING,
           ((EnquirySide.SUPPLIER, 20, "支持通过标准接口对接主流 MES。授权两种方式都有，方便说一下贵司 MES 的厂商和版本吗？"),)),
    Script("看到贵司的「{title}」，我们是中小企业，预算有限，想问是否有标准化的轻量版本，以及最短交付周期。",
           30, None, EnquiryStatus.PENDING),
    Script("我们计划今年内完成质检环节改造，想请贵司基于「{title}」出一份初步方案，需要现场调研的话可以安排。",
           150, 1.5, EnquiryStatus.ACCEPTED,
           ((EnquirySide.SUPPLIER, 1.5, "感谢关注。方案需要了解产品品类和缺陷类型，联系方式已共享，我们先电话沟通需求。"),)),
    Script("想了解「{title}」在同行业的落地案例，是否可以安排参观已部署的客户现场？",
           None, 50, EnquiryStatus.DECLINED,
           ((EnquirySide.SUPPLIER, 50, "抱歉，现有客户现场暂不接待参观，如有需要可先提供视频资料。该咨询我们先关闭。"),)),
    Script("请问「{title}」的硬件部分是否可以利用我们已有的工业相机，只采购软件和算法服务？",
           45, 9, EnquiryStatus.ACCEPTED,
           ((EnquirySide.SUPPLIER, 9, "可以，需确认相机型号和分辨率是否满足要求，联系方式已共享，请把相机参数发给我们。"),
            (EnquirySide.ENTERPRISE, 30, "相机参数已通过邮件发送，请查收。"))),
    Script("贵司「{title}」能否在三个月内完成交付？我们希望在旺季前上线。",
           None, None, EnquiryStatus.PENDING),
)


def _members(role: UserRole) -> dict[int, User]:
    """The first active member of each organization with a member account of `role`."""
    users = db.session.scalars(sa.select(User).where(User.role == role, User.is_active.is_(True),
                                                     User.organization_id.is_not(None)).order_by(User.id))
    first: dict[int, User] = {}
    for user in users:
        first.setdefault(user.organization_id, user)
    return first


def _published_listings(organization_id: int) -> list[Listing]:
    return list(db.session.scalars(
        sa.select(Listing).where(Listing.organization_id == organization_id, Listing.status == ListingStatus.PUBLISHED)
        .order_by(Listing.id).limit(6)))


def add_demo_enquiries(rng: random.Random) -> int:
    """Add the demo threads (flushes; the loader commits). Returns how many enquiries were added."""
    enterprises = list(_members(UserRole.ENTERPRISE).items())[:MAX_ENTERPRISES]
    suppliers = [(org_id, user, listings) for org_id, user in _members(UserRole.SUPPLIER).items()
                 if (listings := _published_listings(org_id))][:MAX_SUPPLIERS]
    if not enterprises or not suppliers:
        return 0
    now = utcnow()
    added = 0
    for n, script in enumerate(SCRIPTS):
        supplier_org, supplier_user, listings = suppliers[n % len(suppliers)] if n < 4 else suppliers[0]
        enterprise_org, enterprise_user = enterprises[n % len(enterprises)]
        if enterprise_org == supplier_org:
            continue
        listing = rng.choice(listings)
        sent_at = now - timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 9))
        enquiry = Enquiry(sender_organization_id=enterprise_org, sender_id=enterprise_user.id,
                          organization_id=supplier_org, listing_id=listing.id,
                          body=script.request.format(title=listing.title), budget=script.budget,
                          status=script.outcome, created_at=sent_at, last_message_at=sent_at,
                          last_side=EnquirySide.ENTERPRISE, enterprise_read_at=sent_at)
        if script.reply_hours is not None:
            enquiry.first_reply_at = sent_at + timedelta(hours=script.reply_hours)
        if script.outcome is EnquiryStatus.ACCEPTED:
            enquiry.accepted_at, enquiry.accepted_by_id = enquiry.first_reply_at, supplier_user.id
        elif script.outcome is EnquiryStatus.DECLINED:
            enquiry.declined_at = enquiry.first_reply_at
        for side, hours, body in script.messages:
            at = sent_at + timedelta(hours=hours)
            author = supplier_user if side is EnquirySide.SUPPLIER else enterprise_user
            enquiry.messages.append(EnquiryMessage(author_id=author.id, side=side, body=body, created_at=at))
            enquiry.last_message_at, enquiry.last_side = at, side
        # Each side has read everything up to its own last word; the other side's last one is new.
        enquiry.supplier_read_at = enquiry.first_reply_at
        db.session.add(enquiry)
        added += 1
    db.session.flush()
    return added
