"""Long fields show a counter that agrees with the server's limit instead of cutting text."""
from __future__ import annotations

import re

from catalog_app.demands.forms import TEXT_MAX, DemandForm
from tests.demands.conftest import form_data


def _textarea(html: str, name: str) -> str:
    return re.search(rf'<textarea[^>]*name="{name}"[^>]*>', html).group(0)


def test_long_fields_carry_the_validator_limit_and_no_maxlength(enterprise_client):
    html = enterprise_client.get("/demands/new").get_data(as_text=True)
    for name in ("background", "requirements", "expected_outcomes", "data_available"):
        tag = _textarea(html, name)
        assert f'data-maxlength="{TEXT_MAX}"' in tag
        assert " maxlength=" not in tag  # the browser would silently cut pasted text
        assert f'data-counter-for="{name}"' in html
    summary_limit = next(v.max for v in DemandForm.summary.kwargs["validators"] if hasattr(v, "max"))
    assert f'data-maxlength="{summary_limit}"' in _textarea(html, "summary")
    assert "已输入 {count} / {max} 个字符" in html
    assert 'src="/static/js/char_counter.js"' in html


def test_the_server_refuses_too_long_text_with_its_message(enterprise_client):
    response = enterprise_client.post("/demands/new", data=form_data(background="测" * (TEXT_MAX + 1)))
    assert "最多 5000 个字符" in response.get_data(as_text=True)


def test_line_breaks_count_once_as_in_the_counter(enterprise_client):
    # 2,500 lines of one character and a CRLF each: 4,999 characters once CRLF reads as LF.
    text = "\r\n".join(["测"] * 2500)
    response = enterprise_client.post("/demands/new", data=form_data(background=text))
    assert response.status_code == 302  # saved
    assert "最多 5000 个字符" not in response.get_data(as_text=True)
