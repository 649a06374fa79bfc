"""Spam reports on enquiries: the recipient reports once; moderators uphold or dismiss.

Moderators see the request's text copied into the report, never the thread, which stays
the two organizations' business.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden

from catalog_app.enquiries import permissions
from catalog_app.enquiries.errors import EnquiryError
from catalog_app.enquiries.services import REASON_MAX
from catalog_app.extensions import db
from catalog_app.models import Enquiry, EnquiryReport, EnquiryStatus, User
from catalog_app.models._types import utcnow


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def report_for(enquiry: Enquiry) -> EnquiryReport | None:
    return db.session.scalar(sa.select(EnquiryReport).where(EnquiryReport.enquiry_id == enquiry.id))


def report_enquiry(enquiry: Enquiry, reason: str, actor: User) -> EnquiryReport:
    """Report an enquiry as spam; moderators see the request's text, never the thread."""
    _require(permissions.can_report_enquiry(actor, enquiry, report_for(enquiry) is not None))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise EnquiryError(_l("At most %(max)d characters.", max=REASON_MAX), "reason")
    report = EnquiryReport(enquiry_id=enquiry.id, reporter_id=actor.id, reason=reason, reported_text=enquiry.body)
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:  # a colleague reported it a moment earlier: one report is enough
        db.session.rollback()
        raise EnquiryError(_l("This enquiry has already been reported."))
    db.session.commit()
    return report


def open_reports(actor: User) -> list[EnquiryReport]:
    """Reports moderators have not decided yet, oldest first, then the 20 newest decided ones."""
    _require(permissions.can_review_reports(actor))
    options = (selectinload(EnquiryReport.enquiry).selectinload(Enquiry.sender_organization),
               selectinload(EnquiryReport.enquiry).selectinload(Enquiry.organization),
               selectinload(EnquiryReport.enquiry).selectinload(Enquiry.sender))
    pending = db.session.scalars(sa.select(EnquiryReport).where(EnquiryReport.resolved_at.is_(None))
                                 .options(*options).order_by(EnquiryReport.created_at, EnquiryReport.id))
    decided = db.session.scalars(sa.select(EnquiryReport).where(EnquiryReport.resolved_at.is_not(None))
                                 .options(*options).order_by(EnquiryReport.resolved_at.desc()).limit(20))
    return [*pending, *decided]


def resolve_report(report: EnquiryReport, upheld: bool, actor: User) -> EnquiryReport:
    """Confirm the spam (the enquiry is declined, closing the thread) or dismiss the report."""
    _require(permissions.can_review_reports(actor))
    if report.resolved_at is not None:
        raise EnquiryError(_l("This report has already been decided."))
    report.resolved_at, report.resolved_by_id, report.upheld = utcnow(), actor.id, upheld
    if upheld and report.enquiry.status is EnquiryStatus.PENDING:
        report.enquiry.status = EnquiryStatus.DECLINED
        report.enquiry.declined_at = utcnow()
    db.session.commit()
    return report
