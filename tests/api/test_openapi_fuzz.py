"""Property-based run of schemathesis against the generated OpenAPI description.

Bounded (a few examples per operation, on the WSGI app directly, in `make test`), once
anonymously and once with API tokens, with valid inputs (positive) and invalid ones
(negative): no 5xx, every valid request's response matches its documented schema and
content type, and no response carries a confidential text. The rate limits are raised
through the config, not switched off, so the limiter's own code runs on every request.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS

from catalog_app.models import UserRole
from tests.api.conftest import SECRET_MARKER

# Examples per operation and generation mode; two identities x two modes x ~30 operations.
MAX_EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}
RAISED_LIMIT = "100000 per minute"


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
    return headers_by_role[UserRole.SUPPLIER]


@pytest.mark.parametrize("identity", ["anonymous", "token"])
def test_api_never_fails_or_leaks(app, seeded, make_token, identity):
    app.config.update(API_RATE_LIMIT_ANONYMOUS=RAISED_LIMIT, API_RATE_LIMIT_TOKEN=RAISED_LIMIT)
    headers_by_role = {role: make_token(role)[1] for role in (UserRole.ENTERPRISE, UserRole.SUPPLIER)}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    server_checks = [_check("not_a_server_error"), no_confidential_text]
    checks = {GenerationMode.POSITIVE: [*server_checks, _check("response_schema_conformance"),
                                        _check("content_type_conformance")],
              GenerationMode.NEGATIVE: server_checks}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for mode, max_examples in MAX_EXAMPLES.items():
        for operation in operations:
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=max_examples, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
            def run(case):
                headers = {} if identity == "anonymous" else _headers_for(case.path, headers_by_role)
                case.call_and_validate(headers={**(case.headers or {}), **headers}, checks=checks[mode])

            try:
                run()
            except Unsatisfiable:
                # An operation without parameters or body has nothing to make invalid.
                assert mode is GenerationMode.NEGATIVE, operation.label
