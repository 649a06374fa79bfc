"""Bad input through the pages: a message beside the field, status 422, nothing stored, no 500s."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import DeclineReason, IntentAgreement, Proposal, ProposalMessage, ProposalStatus
from catalog_app.proposals import services
from tests.proposals.conftest import as_user

VALID = {"approach": "视觉检测方案", "timeline": "3 周", "price_min": "10", "price_max": "20"}


def field_error(html: str, field_id: str) -> str:
    """The error text rendered right after the field with this id, or ''."""
    match = re.search(rf'id="{field_id}".*?<p class="lm-field__error"[^>]*>([^<]+)</p>', html, re.S)
    return match.group(1) if match else ""


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("changes, field_id, message", [
    ({"price_min": "80", "price_max": "50"}, "price_max", "报价下限不能高于报价上限"),
    ({"price_min": "-5"}, "price_min", "0 到"),
    ({"approach": "长" * 5001}, "approach", "5000"),
    ({"approach": ""}, "approach", "请填写解决思路"),
    ({"approach": "\u200b\u2060\u3000"}, "approach", "请输入可见文字"),
    ({"timeline": "t" * 201}, "timeline", "200"),
    ({"price_max": "abc"}, "price_max", ""),
])
def test_bad_proposal_input(client, supplier, demand, changes, field_id, message):
    as_user(client, supplier)
    response = client.post(f"/proposals/demand/{demand.id}/new", data={**VALID, **changes})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "lm-field--invalid" in html
    error = field_error(html, field_id)
    assert error and message in error
    assert count(Proposal) == 0


def test_linking_a_foreign_listing_is_refused(client, supplier, demand, create_listing):
    foreign = create_listing(title="别家的方案")
    db.session.commit()
    as_user(client, supplier)
    response = client.post(f"/proposals/demand/{demand.id}/new", data={**VALID, "listing_ids": str(foreign.id)})
    assert response.status_code == 422 and count(Proposal) == 0


def test_valid_proposal_is_stored(client, supplier, demand, own_listing):
    as_user(client, supplier)
    response = client.post(f"/proposals/demand/{demand.id}/new", data={**VALID, "listing_ids": str(own_listing.id)})
    assert response.status_code == 302
    proposal = db.session.scalar(sa.select(Proposal))
    assert proposal.price_min == 10 and [listing.id for listing in proposal.listings] == [own_listing.id]


@pytest.mark.parametrize("data, field_id, message", [
    ({}, "reason", "请选择"),
    ({"reason": "nonsense"}, "reason", ""),
    ({"reason": "other", "note": "  "}, "note", "其他"),
    ({"reason": "cost", "note": "x" * 501}, "note", "500"),
])
def test_bad_decline(client, submit, enterprise, data, field_id, message):
    proposal = submit()
    as_user(client, enterprise)
    response = client.post(f"/proposals/{proposal.id}/decline", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "lm-field--invalid" in html
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status is ProposalStatus.SUBMITTED


def test_decline_with_reason(client, submit, enterprise):
    proposal = submit()
    as_user(client, enterprise)
    assert client.post(f"/proposals/{proposal.id}/decline", data={"reason": "too_early"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status is ProposalStatus.DECLINED


@pytest.mark.parametrize("amount, message", [("-1", "0 到"), ("", "请输入协议金额"), ("12x", ""),
                                             ("99999999999", "0 到")])
def test_bad_agreement_amount(client, submit, enterprise, amount, message):
    proposal = submit()
    services.shortlist_proposal(proposal, enterprise)
    as_user(client, enterprise)
    response = client.post(f"/proposals/{proposal.id}/agreement", data={"amount": amount})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "lm-field--invalid" in html and message in field_error(html, "amount")
    assert count(IntentAgreement) == 0


@pytest.mark.parametrize("body, message", [("", "请输入留言内容"), ("长" * 2001, "2000")])
def test_bad_message(client, submit, enterprise, body, message):
    proposal = submit()
    as_user(client, enterprise)
    response = client.post(f"/proposals/{proposal.id}/messages", data={"body": body})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(ProposalMessage) == 0


def test_user_text_is_escaped_everywhere(client, submit, supplier, enterprise, demand):
    script = "<script>alert(1)</script>"
    proposal = submit(approach=f"方案{script}", timeline=script)
    services.post_message(proposal, f"问题{script}", enterprise)
    services.decline_proposal(proposal, DeclineReason.OTHER, f"原因{script}", enterprise)
    for user, paths in ((enterprise, [f"/proposals/demand/{demand.id}?open={proposal.id}", f"/proposals/{proposal.id}"]),
                        (supplier, [f"/proposals/{proposal.id}", "/proposals/mine", f"/demands/{demand.id}"])):
        as_user(client, user)
        for path in paths:
            html = client.get(path).get_data(as_text=True)
            assert script not in html, path
    as_user(client, supplier)
    assert "&lt;script&gt;" in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)


def test_odd_requests_never_cause_a_server_error(client, submit, supplier, enterprise, demand):
    proposal = submit()
    as_user(client, supplier)
    odd = [
        ("post", f"/proposals/demand/{demand.id}/new", {"approach": "x", "listing_ids": "abc", "price_min": "1e99"}),
        ("post", f"/proposals/{proposal.id}/edit", {"approach": "x", "price_max": "９９"}),
        ("get", "/proposals/attachments/999999", None),
        ("get", "/proposals/999999", None),
        ("get", f"/proposals/demand/{demand.id}/terms", None),
        ("post", f"/proposals/{proposal.id}/attachments/424242/delete", {}),
    ]
    as_user(client, enterprise)
    odd_enterprise = [
        ("get", f"/proposals/demand/{demand.id}?open=abc", None),
        ("post", f"/proposals/{proposal.id}/decline", {"reason": ["cost", "other"], "note": ""}),
        ("post", f"/proposals/{proposal.id}/agreement", {"amount": "10"}),  # not shortlisted
        ("post", "/proposals/access/999/approve", {}),
        ("get", "/proposals/demand/999999", None),
    ]
    for user, requests in ((supplier, odd), (enterprise, odd_enterprise)):
        as_user(client, user)
        for method, path, data in requests:
            response = getattr(client, method)(path, data=data) if data is not None else getattr(client, method)(path)
            assert response.status_code < 500, (path, response.status_code)
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status in (ProposalStatus.SUBMITTED, ProposalStatus.DECLINED)
