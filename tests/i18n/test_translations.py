"""Every UI string has a Chinese translation, and the English switch renders English."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from catalog_app.labels import LABELS, label
from catalog_app.models import OrganizationTier

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PO_PATH = PROJECT_ROOT / "catalog_app" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "false"}


def _catalog():
    with PO_PATH.open("rb") as po_file:
        return read_po(po_file, locale="zh")


def _extracted_msgids() -> dict[str, str]:
    """msgid -> the first file it appears in, from the Python code and the templates."""
    found: dict[str, str] = {}
    sources = [(path, "python") for path in (PROJECT_ROOT / "catalog_app").rglob("*.py")]
    sources += [(path, babel_extract) for path in (PROJECT_ROOT / "templates").rglob("*.html")]
    for path, method in sources:
        options = JINJA_OPTIONS if method is babel_extract else {}
        for _lineno, message, _comments, _context in extract_from_file(method, str(path), keywords=KEYWORDS,
                                                                       options=options):
            msgid = message[0] if isinstance(message, tuple) else message
            found.setdefault(msgid, str(path.relative_to(PROJECT_ROOT)))
    return found


def test_every_msgid_has_a_chinese_translation():
    catalog = _catalog()
    untranslated = [message.id for message in catalog if message.id and not message.string]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert len(catalog) > 100


def test_every_extracted_message_is_in_the_po_file():
    catalog = _catalog()
    extracted = _extracted_msgids()
    missing = {msgid: where for msgid, where in extracted.items() if catalog.get(msgid) is None}
    assert missing == {}, "run the extraction (see babel.cfg) and translate the new messages"
    # The extraction really saw both kinds of source.
    assert "Skip to main content" in extracted and "Chain leader" in extracted


def test_placeholders_survive_translation():
    for message in _catalog():
        if message.id and "%(" in message.id:
            names = sorted(part.split(")")[0] for part in message.id.split("%(")[1:])
            translated = sorted(part.split(")")[0] for part in message.string.split("%(")[1:])
            assert names == translated, message.id


def test_enum_labels_follow_the_request_locale(app):
    # A fresh app context per request, as in production: Flask-Babel caches the locale on `g`.
    with app.app_context(), app.test_request_context("/?lang=en"):
        assert label(OrganizationTier.CHAIN_LEADER) == "Chain leader"
    with app.app_context(), app.test_request_context("/"):
        assert label(OrganizationTier.CHAIN_LEADER) == "链主企业"
    assert len(LABELS) >= 25


def test_chinese_is_the_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert "跳到主要内容" in html and "解决方案" in html


def test_english_switch_renders_english_and_is_remembered(client):
    response = client.get("/?lang=en")
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Scenario Catalog" in html and "场景目录" not in html
    assert "Browse by scenario" in html and "按场景浏览" not in html
    assert "lang=en" in response.headers.get("Set-Cookie", "")
    # The cookie keeps English on the next page without the parameter.
    assert "Application cases" in client.get("/cases").get_data(as_text=True)


def test_taxonomy_names_follow_the_locale(client, create_listing):
    from tests.catalog.helpers import scenario

    create_listing(scenarios=[scenario()])
    assert "在线智能检测" in client.get("/solutions").get_data(as_text=True)
    assert "Online Intelligent Inspection" in client.get("/solutions?lang=en").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/solutions?industry=bogus&lang=en", "/solutions?page=0&lang=en"])
def test_error_messages_are_translated(client, path):
    html = client.get(path).get_data(as_text=True)
    assert "The request could not be understood" in html


def test_language_links_keep_the_current_url(client):
    html = client.get("/solutions?scenario=online-intelligent-inspection").get_data(as_text=True)
    assert 'href="/solutions?scenario=online-intelligent-inspection&amp;lang=en"' in html
