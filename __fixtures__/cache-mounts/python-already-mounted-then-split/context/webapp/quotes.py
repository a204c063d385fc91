"""Quotes loaded from data/quotes.json at run time (not imported, so the image must ship data/)."""
import json
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "quotes.json"


def load_quotes():
    with DATA_FILE.open(encoding="utf-8") as f:
        return json.load(f)
