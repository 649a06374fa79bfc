"""The bare Flask app `bench/catalog_web.py` measures beside the catalog: one route, no
database, no templates, no extensions. Its req/s under the same gunicorn settings is the
ceiling a page's figure is read against (the page's share of "hello")."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
