"""The API reference in Chinese and English; the machine-readable document stays as it was."""
from __future__ import annotations

import re

CJK = re.compile(r"[\u4e00-\u9fff]")


def _operations(spec):
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "summary" in operation:
                yield operation


def test_the_reference_page_reads_a_chinese_document_by_default(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert 'data-spec-url="/api/v1/docs/openapi.json?lang=zh"' in page
    spec = client.get("/api/v1/docs/openapi.json?lang=zh").get_json()
    tag_names = [tag["name"] for tag in spec["tags"]]
    assert "解决方案、产品与案例" in tag_names
    assert not any(name.startswith("api_") for name in tag_names), tag_names
    assert all(CJK.search(tag["description"]) for tag in spec["tags"])
    operations = list(_operations(spec))
    assert len(operations) > 20
    untranslated = [op["summary"] for op in operations if not CJK.search(op["summary"])]
    assert untranslated == [], "add the summary to catalog_app/api/docs_text.py and translate it"
    assert all(set(op["tags"]) <= set(tag_names) for op in operations)
    assert CJK.search(spec["info"]["title"])


def test_english_readers_get_titles_instead_of_identifiers(client):
    spec = client.get("/api/v1/docs/openapi.json?lang=en").get_json()
    assert "Solutions, products and cases" in [tag["name"] for tag in spec["tags"]]
    assert not any(CJK.search(op["summary"]) for op in _operations(spec))


def test_the_openapi_document_for_clients_keeps_its_identifiers(client):
    spec = client.get("/api/v1/openapi.json?lang=zh").get_json()
    assert "api_listings" in [tag["name"] for tag in spec["tags"]]
    assert not any(CJK.search(op["summary"]) for op in _operations(spec))
