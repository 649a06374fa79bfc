import pytest

from catalog_app import create_app
from catalog_app.config import ProductionConfig
from catalog_app.security import UnsafeConfiguration


def _production(**overrides):
    settings = {k: getattr(ProductionConfig, k) for k in dir(ProductionConfig) if k.isupper()}
    settings.update(SQLALCHEMY_DATABASE_URI="sqlite://", PUBLIC_BASE_URL="https://catalog.example.cn", **overrides)
    return type("Cfg", (), settings)


def test_production_refuses_default_secret_key():
    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY"):
        create_app(_production(SECRET_KEY="dev-only-not-secret"))


def test_production_refuses_short_secret_key():
    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY"):
        create_app(_production(SECRET_KEY="short"))


def test_production_refuses_debug():
    with pytest.raises(UnsafeConfiguration, match="debug"):
        create_app(_production(SECRET_KEY="x" * 40, DEBUG=True))


def test_production_starts_with_a_real_key():
    app = create_app(_production(SECRET_KEY="x" * 40))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")


def test_database_url_forms(monkeypatch):
    from catalog_app import config

    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert config._database_url() == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert config._database_url() == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("DATABASE_URL")
    assert config._database_url().startswith("sqlite:///")


def test_no_setting_has_a_default_outside_config():
    """Every default lives in Config (documented in docs/configuration.md): code reads
    `config["X"]`, never `config.get("X", default)` nor `config.setdefault(...)`."""
    import ast
    from pathlib import Path

    import catalog_app

    offenders = []
    package = Path(catalog_app.__file__).parent
    for path in sorted(package.rglob("*.py")):
        if path.name == "config.py" and path.parent == package:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("get", "setdefault") \
                    and ast.unparse(node.func.value).split(".")[-1] == "config":
                offenders.append(f"{path.relative_to(package)}:{node.lineno}: {ast.unparse(node)}")
    assert offenders == []
