"""A small Flask app served by gunicorn: the bakery's daily specials, rendered from a template that
Flask reads from templates/ at the first request (not at import), with data from data/specials.json."""
import json
from importlib.metadata import version
from pathlib import Path

from flask import Flask, render_template, request

app = Flask(__name__)
DATA = Path(__file__).parent / "data" / "specials.json"


@app.get("/health")
def health():
    return "ok\n", 200, {"Content-Type": "text/plain"}


@app.get("/specials")
def specials():
    with DATA.open() as f:
        items = json.load(f)
    # Which server and Flask answered: gunicorn (from the virtualenv on PATH), not the dev server.
    return render_template(
        "specials.html",
        items=items,
        server=request.environ.get("SERVER_SOFTWARE", "?"),
        flask_version=version("flask"),
    )
