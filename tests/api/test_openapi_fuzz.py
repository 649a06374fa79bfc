"""Property-based run of schemathesis against the generated OpenAPI description.

Bounded (a few examples per operation, on the WSGI app directly): no 5xx, every response
matches its documented schema and content type, and no response carries a confidential text.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import CHECKS

from catalog_app.models import UserRole
from tests.api.conftest import SECRET_MARKER

MAX_EXAMPLES = 25


def _check(name: str):
    return next(check for check in CHECKS.get_all() if check.__name__ == name)


@schemathesis.check
def no_confidential_text(ctx, response, case):
    assert SECRET_MARKER not in response.text, "confidential details in a response"
    assert "confidential_details" not in response.text, "the confidential field name in a response"


def _headers_for(path: str, headers_by_role: dict) -> dict:
    """Writes are explored with a token that may make them, so they get past the 401."""
    if path.startswith("/api/v1/demands"):
        return headers_by_role[UserRole.ENTERPRISE]
    if path.startswith(("/api/v1/solutions", "/api/v1/products", "/api/v1/cases", "/api/v1/me")):
        return headers_by_role[UserRole.SUPPLIER]
    return {}


def test_api_never_fails_or_leaks(app, seeded, make_token):
    app.config["API_RATE_LIMIT_ENABLED"] = False
    headers_by_role = {role: make_token(role)[1] for role in (UserRole.ENTERPRISE, UserRole.SUPPLIER)}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checks = [_check("not_a_server_error"), _check("response_schema_conformance"),
              _check("content_type_conformance"), no_confidential_text]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
        def run(case):
            case.call_and_validate(headers=_headers_for(case.path, headers_by_role), checks=checks)

        run()
