"""Registration preselects no organization type, size or city: the visitor chooses."""
from __future__ import annotations

import re

import pytest

from tests.accounts.conftest import field_errors


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option selected value="([^"]*)"', select) + re.findall(
        r'<option value="([^"]*)" selected', select)


def test_the_registration_form_starts_with_please_choose(client):
    html = client.get("/register").get_data(as_text=True)
    for name in ("kind", "tier", "region_id"):
        assert _selected(html, name) in ([], [""]), name
        assert re.search(rf'<select[^>]*name="{name}"[^>]*><option[^>]*value="">请选择</option>', html), name


@pytest.mark.parametrize("field", ["kind", "tier", "region_id"])
def test_leaving_a_choice_open_is_an_error_beside_it(client, registration, field):
    response = client.post("/register", data=registration(**{field: ""}))
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True))[field]
