"""README.md's demo-account table is the loader's own list (issue 16: it listed 4 of 8)."""
from __future__ import annotations

from pathlib import Path

import pytest

from catalog_app.demo.accounts import DEMO_ACCOUNTS
from catalog_app.demo.services import load_demo_data
from catalog_app.demo_accounts import (
    README_END,
    README_START,
    demo_accounts,
    markdown_table,
    readme_section,
    replace_readme_section,
)
from catalog_app.extensions import db
from tests.conftest import fresh_app

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def make_run_demo():
    """The demo data exactly as `make run` loads it (the loader's default seed)."""
    app = fresh_app()
    with app.app_context():
        load_demo_data()
        yield app
        db.session.remove()


def test_readme_table_equals_a_fresh_demo_load(make_run_demo):
    expected = markdown_table(demo_accounts())
    assert readme_section(README.read_text(encoding="utf-8")) == expected, (
        "README.md's demo accounts differ from the loader's: run `flask demo load` on an empty "
        "database, then `flask demo accounts --update-readme README.md`")


def test_every_loaded_account_is_in_the_table(make_run_demo):
    accounts = demo_accounts()
    section = readme_section(README.read_text(encoding="utf-8"))
    assert [account.email for account in accounts] == [account.email for account in DEMO_ACCOUNTS]
    assert all(f"`{account.email}`" in section for account in accounts)


def test_the_command_prints_the_table(make_run_demo):
    result = make_run_demo.test_cli_runner().invoke(args=["demo", "accounts", "--markdown"])
    assert result.exit_code == 0
    assert result.output.strip() == markdown_table(demo_accounts())


def test_the_command_on_an_empty_database_says_what_to_do():
    app = fresh_app()
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo", "accounts"])
    assert result.exit_code != 0 and "flask demo load" in result.output


def test_replacing_the_section_keeps_the_rest():
    text = f"intro\n{README_START}\nold\n{README_END}\noutro\n"
    replaced = replace_readme_section(text, "new table")
    assert replaced == f"intro\n{README_START}\nnew table\n{README_END}\noutro\n"
    assert readme_section(replaced) == "new table"
