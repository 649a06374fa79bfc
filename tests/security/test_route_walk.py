"""Every route, every role, hostile numbers and query strings: never a server error.

A property test over `app.url_map` (issue #13, finding 6 and the route walk): each GET
route is requested with generated path values (real ids, huge ones, negative ones, digits
of other scripts, junk text) and generated query strings (page, per_page, q, facets and
filters with junk, repeated keys) by an anonymous visitor, an enterprise, a supplier, a
moderator and an administrator; each POST route once or twice with a junk form. The app
runs with TESTING on, so an unhandled exception fails the test with its traceback rather
than hiding in a 500 page. Bounded: a few examples per rule, derandomized, well under a
minute on one core.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter

from catalog_app.extensions import db
from tests.conftest import login_as
from tests.security.access_fixtures import ROLES, build_world

GET_EXAMPLES = 3
POST_EXAMPLES = 2
SKIPPED = {"static", "accounts.logout"}
# POSTs whose cost is the point (Argon2 hashing, a matching run): their forms are fuzzed by
# their own tests; here they would only make the walk slow.
SLOW_POSTS = {"accounts.login", "accounts.register", "accounts.change_password", "accounts.reset_password",
              "accounts.accept_invitation", "api_match.match", "demands.preview"}
_VARIABLE = re.compile(r"<(?:[^<>]*:)?(\w+)>")

DIGITS = "0123456789²³¹٣٤۵०१３４"
numbers_as_text = st.one_of(
    st.integers(min_value=-5, max_value=2**70).map(str),
    st.text(alphabet=DIGITS, min_size=1, max_size=25),
    st.sampled_from(["9" * 5000, "9223372036854775807", "9223372036854775808", "2147483648", "0", "-1",
                     "1e3", "0x10", " 1", "1.5", ""]),
)
junk_text = st.one_of(st.text(max_size=40), st.sampled_from(["<script>alert(1)</script>", "' OR 1=1 --", "%00",
                                                             "\x00", "\ud800", "x" * 400, "../../etc/passwd"]))
query_value = st.one_of(numbers_as_text, junk_text)
QUERY_KEYS = ["page", "per_page", "size", "q", "industry", "scenario", "technology", "region", "tier", "kind",
              "sort", "status", "type", "actor", "object_id", "object_type", "action", "open", "show", "check",
              "lang", "top", "next", "id"]
query_strings = st.lists(st.tuples(st.sampled_from(QUERY_KEYS), query_value), max_size=5)
FORM_KEYS = ["id", "all", "next", "back", "email", "title", "summary", "demand_id", "listing_id", "reason",
             "body", "note", "kind", "year", "scenario", "region", "password", "name", "verdict"]
forms = st.dictionaries(st.sampled_from(FORM_KEYS), query_value, max_size=5)


def _path_value(converter, real_value):
    """Values for one path variable: the real one, and hostile ones of the converter's shape."""
    if isinstance(converter, IntegerConverter):
        return st.one_of(st.just(str(real_value)), numbers_as_text.filter(bool))
    if isinstance(converter, AnyConverter):
        choices = [value.replace("\\", "") for value in converter.regex[3:-1].split("|")]
        return st.one_of(st.sampled_from(choices), junk_text.filter(bool))
    return st.one_of(st.just(str(real_value)), junk_text.filter(bool))


def _path(rule, values: dict) -> str:
    return _VARIABLE.sub(lambda match: quote(values[match.group(1)], safe="", errors="surrogatepass"), rule.rule)


def _rules(app, method: str):
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if rule.endpoint in SKIPPED or method not in rule.methods:
            continue
        if method == "POST" and ("GET" in rule.methods or rule.endpoint in SLOW_POSTS):
            continue  # a form page's POST is exercised by its own form tests
        yield rule


def _strategy(rule, world):
    variables = {name: _path_value(converter, world.values.get(name, 1))
                 for name, converter in rule._converters.items()}
    return st.fixed_dictionaries(variables)


@pytest.fixture
def walk(app, create_user, create_organization, create_listing, create_demand):
    app.config.update(API_RATE_LIMIT_ENABLED=False, PROPAGATE_EXCEPTIONS=True)
    world = build_world(create_user, create_organization, create_listing, create_demand)
    return world


def _client(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        login_as(client, world.users[role])
    return client


def _check(response, method, url, role):
    status = response.status_code
    db.session.rollback()
    assert status < 500, f"{method} {url[:200]} as {role}: {status}"


HOSTILE_IDS = ["99999999999999999999999", "9223372036854775808", "9223372036854775807", "2147483648",
               "٣", "²", "-1", "0", "9" * 5000]
HOSTILE_QUERIES = ["page=²&per_page=1", "per_page=²", f"page={'9' * 5000}", "page=٣", "per_page=0&page=-1",
                   "object_id=" + "9" * 30 + "&actor=٣&open=²&top=²&size=²&id=²"]


def test_every_get_route_refuses_the_known_hostile_values(app, walk):
    """The findings' own examples, on every route: they need not wait for the generator to find them."""
    clients = {role: _client(app, walk, role) for role in ROLES}
    for number, rule in enumerate(_rules(app, "GET")):
        role = ROLES[number % len(ROLES)]
        integer_names = [name for name, converter in rule._converters.items()
                         if isinstance(converter, IntegerConverter)]
        real_values = {name: str(walk.values.get(name, "x")) for name in rule._converters}
        for name in integer_names:
            for hostile in HOSTILE_IDS:
                url = _path(rule, {**real_values, name: hostile})
                _check(clients[role].get(url), "GET", url, role)
        for query in HOSTILE_QUERIES:
            staff = "admin" if number % 2 else "moderator"
            url = _path(rule, real_values) + "?" + query
            _check(clients[staff].get(url), "GET", url, staff)


def test_every_get_route_survives_hostile_ids_and_query_strings(app, walk):
    clients = {role: _client(app, walk, role) for role in ROLES}
    rules = list(_rules(app, "GET"))
    assert len(rules) > 60

    for rule in rules:
        @given(path_values=_strategy(rule, walk), query=query_strings, role=st.sampled_from(ROLES))
        @settings(max_examples=GET_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink])
        def request_route(path_values, query, role):
            url = _path(rule, path_values) + ("?" + urlencode(query, errors="surrogatepass") if query else "")
            _check(clients[role].get(url), "GET", url, role)

        request_route()


def test_every_post_route_survives_junk_forms(app, walk):
    rules = list(_rules(app, "POST"))
    assert len(rules) > 20

    for rule in rules:
        @given(path_values=_strategy(rule, walk), form=forms, role=st.sampled_from(ROLES))
        @settings(max_examples=POST_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink])
        def post_route(path_values, form, role):
            url = _path(rule, path_values)
            _check(_client(app, walk, role).post(url, data=form), "POST", url, role)

        post_route()
