"""docs/configuration.md is generated from Config and current; every setting is explained there."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from catalog_app.config import Config

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("config_table", ROOT / "docs" / "config_table.py")
config_table = importlib.util.module_from_spec(_spec)
sys.modules["config_table"] = config_table  # dataclasses look their module up
_spec.loader.exec_module(config_table)


@pytest.fixture(scope="module")
def table() -> str:
    return config_table.render()


def test_the_committed_table_is_the_generated_one(table):
    assert (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8") == table, \
        "docs/configuration.md is stale: run .venv/bin/python docs/config_table.py"


def test_every_setting_of_config_is_in_the_table_with_a_comment(table):
    settings = {name for name in dir(Config) if name.isupper()}
    listed = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    assert settings <= listed
    assert config_table.undocumented() == []


def test_a_setting_read_from_the_environment_names_its_variable_and_default():
    groups = {name: group for group in config_table.groups() for name in group.names}
    assert "STATS_CACHE_SECONDS" in groups["STATS_CACHE_SECONDS"].variables
    assert groups["SQLALCHEMY_DATABASE_URI"].variables == ["DATABASE_URL"]
    assert groups["EXTRA_TRUSTED_HOSTS"].variables == ["TRUSTED_HOSTS"]
    assert groups["API_TITLE"].variables == []  # fixed in code
    values = config_table.defaults({"STATS_CACHE_SECONDS"})
    assert values["Config"]["STATS_CACHE_SECONDS"] == "900.0"
