"""Expert accounts created by staff (with a choose-your-password link), assignment, and the
expert's workbench listing their events; the event page's panel for each viewer."""
from __future__ import annotations

import re

import pytest
from flask import render_template_string
from flask_login import login_user

from catalog_app.challenges import experts
from catalog_app.challenges.errors import Forbidden, RoundError
from catalog_app.extensions import db
from catalog_app.models import EventExpert, OutboxMessage, PitchScore, RoundEntryStatus, User, UserRole
from catalog_app.models._types import utcnow
from tests.conftest import login_as


def test_staff_create_an_expert_who_chooses_a_password(client, event, staff):
    login_as(client, staff)
    response = client.post(f"/events/{event.slug}/round/experts",
                           data={"display_name": "陈教授", "email": "Chen.Prof@Example.com"})
    assert response.status_code == 302
    expert = db.session.query(User).filter_by(email="chen.prof@example.com").one()
    assert expert.role is UserRole.EXPERT and expert.organization_id is None
    assert db.session.get(EventExpert, (event.id, expert.id)) is not None
    mail = db.session.query(OutboxMessage).filter_by(recipient=expert.email).one()
    assert mail.kind == "challenges_expert_invitation" and event.title in mail.body_text
    link = re.search(r"https?://\S+/password/reset/\S+", mail.body_text).group(0)
    client.post("/logout")
    token = link.rsplit("/", 1)[1]
    assert client.get(f"/password/reset/{token}").status_code == 200
    response = client.post(f"/password/reset/{token}",
                           data={"password": "expert-pass-2026", "password_confirm": "expert-pass-2026"})
    assert response.status_code == 302
    assert client.post("/login", data={"email": expert.email, "password": "expert-pass-2026"}).status_code == 302


def test_an_existing_expert_is_assigned_not_created_again(event, create_event, staff):
    first = experts.create_expert(staff, event, "陈教授", "chen@example.com")
    again = experts.create_expert(staff, create_event(), "陈教授", "chen@example.com")
    assert again.id == first.id and db.session.query(EventExpert).count() == 2
    assert db.session.query(OutboxMessage).count() == 1


def test_a_member_account_cannot_become_an_expert(event, staff, supplier):
    with pytest.raises(RoundError):
        experts.create_expert(staff, event, "李工", supplier.email)
    assert supplier.role is UserRole.SUPPLIER


def test_only_staff_manage_experts(client, event, expert, enterprise, outsider_expert):
    for user in (expert, enterprise):
        with pytest.raises(Forbidden):
            experts.create_expert(user, event, "某人", "someone@example.com")
        with pytest.raises(Forbidden):
            experts.assign_expert(user, event, outsider_expert.id)
        login_as(client, user)
        assert client.get(f"/events/{event.slug}/round/experts").status_code == 403


def test_assign_and_remove(event, staff, outsider_expert, supplier):
    experts.assign_expert(staff, event, outsider_expert.id)
    assert outsider_expert in experts.event_experts(event)
    with pytest.raises(RoundError):
        experts.assign_expert(staff, event, supplier.id)
    experts.unassign_expert(staff, event, outsider_expert.id)
    assert outsider_expert not in experts.event_experts(event)


def test_the_expert_workbench_lists_their_events(client, event, create_event, expert, create_entry):
    create_entry(event)
    other = create_event(title="别人的活动")
    login_as(client, expert)
    page = client.get("/workbench").get_data(as_text=True)
    assert event.title in page and other.title not in page
    assert f"/events/{event.slug}/round/screening" in page  # one demand to screen


def test_event_panel_for_expert_staff_and_public(app, event, expert, staff, create_entry, create_pitch):
    entry = create_entry(event, status=RoundEntryStatus.SHORTLISTED, position=1)
    create_pitch(entry)
    template = "{{ challenge_panel(event) }}"

    def panel_for(user):
        with app.test_request_context("/"):
            if user is not None:
                login_user(user)
            return render_template_string(template, event=event)

    public = panel_for(None)
    assert "/round" in public and "/round/manage" not in public and "<dd>1</dd>" in public
    assert "/round/manage" in panel_for(staff) and "/round/live" in panel_for(staff)
    assert "/round/screening" in panel_for(expert)
    event.shortlist_published_at = utcnow()
    assert "/round/score" in panel_for(expert)
    assert db.session.query(PitchScore).count() == 0
