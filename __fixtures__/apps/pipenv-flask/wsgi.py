"""Opening hours of the town library's branches, rendered from templates/hours.html."""
from importlib.metadata import version

from flask import Flask, render_template, request

app = Flask(__name__)

BRANCHES = [
    {"name": "Central", "hours": "Mon-Sat 9:00-19:00"},
    {"name": "Riverside", "hours": "Tue-Fri 10:00-17:00"},
    {"name": "Hillcrest", "hours": "Wed, Sat 10:00-14:00"},
]


@app.route("/hours")
def hours():
    return render_template(
        "hours.html",
        branches=BRANCHES,
        server=request.environ.get("SERVER_SOFTWARE", "?"),
        flask_version=version("flask"),
    )


if __name__ == "__main__":
    app.run(debug=True)
