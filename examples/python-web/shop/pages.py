import string
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def render_page(name):
    """Renders templates/<name>.html; the templates are read at run time, not imported."""
    if not name.isidentifier():
        return None
    template = TEMPLATES / f"{name}.html"
    if not template.exists():
        return None
    return string.Template(template.read_text()).substitute(site="Corner Shop")
