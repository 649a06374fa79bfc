from tests.conftest import login_as


def test_pages_render(client, create_event, moderator, enterprise):
    event = create_event()
    from catalog_app.extensions import db
    db.session.commit()
    assert client.get("/events").status_code == 200
    assert client.get(f"/events/{event.slug}").status_code == 200
    assert client.get(f"/events/{event.slug}.ics").status_code == 200
    login_as(client, moderator)
    assert client.get("/events/new").status_code == 200
    assert client.get(f"/events/{event.slug}/edit").status_code == 200
    assert client.get(f"/events/{event.slug}/registrations").status_code == 200
    assert client.get(f"/events/{event.slug}/participants").status_code == 200
    assert client.get("/stats/").status_code == 200
