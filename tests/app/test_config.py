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
