"""The enquiry pages: who sees what, status codes, and that contacts never leak early."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.enquiries import services
from catalog_app.extensions import db
from catalog_app.models import Enquiry, EnquiryReport, EnquiryStatus, OutboxMessage, UserRole
from tests.conftest import login_as
from tests.enquiries.conftest import ENTERPRISE_PHONE, SUPPLIER_ORG_EMAIL, SUPPLIER_PHONE


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_anonymous_visitors_see_a_login_link_and_no_contact(client, listing):
    db.session.commit()
    for url in (f"/solutions/{listing.id}", f"/organizations/{listing.organization_id}"):
        html = _html(client.get(url))
        assert "登录后咨询" in html
        assert "/login?next=/enquiries/new/" in html
        assert SUPPLIER_PHONE not in html and SUPPLIER_ORG_EMAIL not in html
    assert client.get(f"/enquiries/new/listing/{listing.id}").status_code == 302


def test_signed_in_enterprise_gets_the_enquiry_button_but_no_contact(client, listing, enterprise):
    login_as(client, enterprise)
    html = _html(client.get(f"/solutions/{listing.id}"))
    assert f'href="/enquiries/new/listing/{listing.id}"' in html
    assert SUPPLIER_PHONE not in html and SUPPLIER_ORG_EMAIL not in html
    html = _html(client.get(f"/organizations/{listing.organization_id}"))
    assert f'href="/enquiries/new/organization/{listing.organization_id}"' in html


def test_suppliers_cannot_open_the_enquiry_form(client, listing, outsider_supplier):
    login_as(client, outsider_supplier)
    assert client.get(f"/enquiries/new/listing/{listing.id}").status_code == 403
    html = _html(client.get(f"/solutions/{listing.id}"))
    assert "/enquiries/new/" not in html


def test_sending_through_the_form(client, listing, enterprise, supplier):
    login_as(client, enterprise)
    assert client.get(f"/enquiries/new/listing/{listing.id}").status_code == 200
    response = client.post(f"/enquiries/new/listing/{listing.id}",
                           data={"body": "三条产线，求报价", "budget": "60", "deadline": "", "demand_id": "0"})
    assert response.status_code == 302
    enquiry = db.session.scalar(sa.select(Enquiry))
    assert response.headers["Location"].endswith(f"/enquiries/{enquiry.id}")
    assert (enquiry.body, enquiry.budget, enquiry.demand_id) == ("三条产线，求报价", 60, None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


def test_bad_form_input_shows_errors_not_a_500(client, listing, enterprise):
    login_as(client, enterprise)
    response = client.post(f"/enquiries/new/listing/{listing.id}",
                           data={"body": "  ", "budget": "-5", "deadline": "not a date", "demand_id": "999"})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enquiry)) == 0


def test_rate_limited_form_answers_429(app, client, listing, enterprise):
    app.config["ENQUIRY_LIMIT_PER_SENDER"] = "1 per hour"
    login_as(client, enterprise)
    data = {"body": "求报价", "demand_id": "0"}
    assert client.post(f"/enquiries/new/listing/{listing.id}", data=data).status_code == 302
    response = client.post(f"/enquiries/new/listing/{listing.id}", data={**data, "body": "再次求报价"})
    assert response.status_code == 429
    assert "请稍后再试" in _html(response)


def test_third_parties_get_404_on_every_enquiry_url(client, send, outsider_supplier, outsider_enterprise,
                                                    create_user):
    enquiry = send()
    db.session.commit()
    moderator = create_user(role=UserRole.MODERATOR, organization=None)
    for outsider in (outsider_supplier, outsider_enterprise, moderator):
        login_as(client, outsider)
        assert client.get(f"/enquiries/{enquiry.id}").status_code == 404
        assert client.post(f"/enquiries/{enquiry.id}/messages", data={"body": "hi"}).status_code == 404
        assert client.post(f"/enquiries/{enquiry.id}/accept", data={}).status_code == 404
        assert client.post(f"/enquiries/{enquiry.id}/read", data={}).status_code == 404
        assert client.get(f"/enquiries/{enquiry.id}/report").status_code == 404
    assert not enquiry.messages and enquiry.status is EnquiryStatus.PENDING


def test_inbox_boxes(client, send, enterprise, supplier, outsider_supplier):
    send(body="第一条询价内容")
    login_as(client, supplier)
    html = _html(client.get("/enquiries"))
    assert "第一条询价内容" in html and enterprise.organization.name in html
    login_as(client, enterprise)
    assert "第一条询价内容" in _html(client.get("/enquiries?box=sent"))
    assert "第一条询价内容" not in _html(client.get("/enquiries?box=received"))
    assert client.get("/enquiries?box=bogus").status_code == 400
    login_as(client, outsider_supplier)
    assert "第一条询价内容" not in _html(client.get("/enquiries"))


def test_contacts_appear_in_the_thread_only_after_acceptance(client, send, enterprise, supplier):
    enquiry = send()
    db.session.commit()
    login_as(client, enterprise)
    html = _html(client.get(f"/enquiries/{enquiry.id}"))
    assert SUPPLIER_PHONE not in html and SUPPLIER_ORG_EMAIL not in html and supplier.email not in html
    login_as(client, supplier)
    html = _html(client.get(f"/enquiries/{enquiry.id}"))
    assert ENTERPRISE_PHONE not in html and enterprise.email not in html
    assert client.post(f"/enquiries/{enquiry.id}/accept", data={"note": "欢迎来电"}).status_code == 302
    html = _html(client.get(f"/enquiries/{enquiry.id}"))
    assert ENTERPRISE_PHONE in html and enterprise.email in html
    login_as(client, enterprise)
    html = _html(client.get(f"/enquiries/{enquiry.id}"))
    assert SUPPLIER_PHONE in html and SUPPLIER_ORG_EMAIL in html and supplier.email in html
    assert "欢迎来电" in html


def test_only_the_supplier_accepts_and_only_once(client, send, enterprise, supplier):
    enquiry = send()
    db.session.commit()
    login_as(client, enterprise)
    assert client.post(f"/enquiries/{enquiry.id}/accept", data={}).status_code == 403
    login_as(client, supplier)
    assert client.post(f"/enquiries/{enquiry.id}/decline", data={}).status_code == 302
    assert client.post(f"/enquiries/{enquiry.id}/accept", data={}).status_code == 403
    db.session.refresh(enquiry)
    assert enquiry.status is EnquiryStatus.DECLINED


def test_thread_messages_through_the_page(client, send, enterprise, supplier):
    enquiry = send()
    login_as(client, supplier)
    assert client.post(f"/enquiries/{enquiry.id}/messages", data={"body": "请提供样品照片"}).status_code == 302
    assert client.post(f"/enquiries/{enquiry.id}/messages", data={"body": "   "}).status_code == 422
    login_as(client, enterprise)
    html = _html(client.get(f"/enquiries/{enquiry.id}"))
    assert "请提供样品照片" in html


def test_report_and_moderator_list(client, send, supplier, enterprise, create_user):
    enquiry = send(body="加微信领取优惠券")
    login_as(client, enterprise)
    assert client.get(f"/enquiries/{enquiry.id}/report").status_code == 403
    assert client.get("/enquiries/reports").status_code == 403
    login_as(client, supplier)
    assert client.post(f"/enquiries/{enquiry.id}/report", data={"reason": "广告"}).status_code == 302
    assert client.get(f"/enquiries/{enquiry.id}/report").status_code == 403  # once
    moderator = create_user(role=UserRole.MODERATOR, organization=None)
    login_as(client, moderator)
    html = _html(client.get("/enquiries/reports"))
    assert "加微信领取优惠券" in html and "广告" in html
    report = db.session.scalar(sa.select(EnquiryReport))
    assert client.post(f"/enquiries/reports/{report.id}/uphold", data={}).status_code == 302
    db.session.refresh(enquiry)
    assert enquiry.status is EnquiryStatus.DECLINED
    assert client.post("/enquiries/reports/9999/dismiss", data={}).status_code == 404


def test_profile_shows_reply_figures(client, app, send, supplier, listing):
    app.config["ENQUIRY_FIGURES_MIN_RECEIVED"] = 2
    first = send(body="询价一")
    send(body="询价二")
    services.post_message(first, "已收到", supplier)
    html = _html(client.get(f"/organizations/{supplier.organization_id}"))
    assert "咨询响应" in html and "50%" in html and "不到 1 小时" in html


def test_opening_a_thread_writes_nothing_and_the_page_posts_read(client, send, supplier):
    enquiry = send()
    db.session.commit()
    login_as(client, supplier)
    html = _html(client.get(f"/enquiries/{enquiry.id}"))
    assert 'id="enquiry-read"' in html and "js/enquiries.js" in html
    db.session.refresh(enquiry)
    assert enquiry.supplier_read_at is None
    assert services.inbox_summary(supplier).received_unread == 1
    assert client.post(f"/enquiries/{enquiry.id}/read", data={}).status_code == 204
    assert services.inbox_summary(supplier).received_unread == 0
    assert 'id="enquiry-read"' not in _html(client.get(f"/enquiries/{enquiry.id}"))


def test_both_workbenches_list_the_enquiry_in_their_own_box(client, send, enterprise, supplier, listing):
    enquiry = send()
    db.session.commit()
    login_as(client, supplier)
    html = _html(client.get("/workbench"))
    assert 'id="wb-enquiries-received"' in html
    assert f"/enquiries/{enquiry.id}" in html and "佛山皮具制造有限公司" in html
    assert "1 条待您回复" in html
    client.post("/logout")
    login_as(client, enterprise)
    html = _html(client.get("/workbench"))
    assert 'id="wb-enquiries-sent"' in html
    assert f"/enquiries/{enquiry.id}" in html and "广州视觉智能科技有限公司" in html
