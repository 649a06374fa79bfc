from tests.proposals.conftest import as_user


def test_pages_render(client, demand, supplier, enterprise, submit):
    proposal = submit()
    as_user(client, supplier)
    assert client.get(f"/demands/{demand.id}").status_code == 200
    assert client.get(f"/proposals/{proposal.id}").status_code == 200
    assert client.get(f"/proposals/{proposal.id}/edit").status_code == 200
    assert client.get("/proposals/mine").status_code == 200
    as_user(client, enterprise)
    assert client.get(f"/demands/{demand.id}").status_code == 200
    assert client.get(f"/proposals/demand/{demand.id}").status_code == 200
    assert client.get(f"/proposals/{proposal.id}/decline").status_code == 200
