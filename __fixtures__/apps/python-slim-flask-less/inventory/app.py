import configparser
import json
from pathlib import Path

# conf/ sits next to the package and is parsed on every request
CONF = Path(__file__).resolve().parent.parent / "conf" / "warehouses.ini"


def warehouses():
    parser = configparser.ConfigParser()
    if not parser.read(CONF):
        raise FileNotFoundError(CONF)
    return {name: dict(parser[name]) for name in parser.sections()}


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path == "/health":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    if path == "/warehouses":
        body = json.dumps({"app": "python-slim-flask-less", "warehouses": warehouses()}).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]
