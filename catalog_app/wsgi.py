"""WSGI entry point for gunicorn: `gunicorn -w 2 catalog_app.wsgi:app`."""
from catalog_app import create_app

app = create_app()
