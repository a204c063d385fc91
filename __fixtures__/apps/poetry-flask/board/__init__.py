"""Departures board for the harbour line's tram stops."""
from flask import Flask

from board.timetable import next_departures


def create_app():
    app = Flask(__name__)

    @app.route("/departures/<stop>")
    def departures(stop):
        from flask import render_template, request

        return render_template(
            "departures.html",
            stop=stop,
            departures=next_departures(stop),
            server=request.environ.get("SERVER_SOFTWARE", "?"),
        )

    return app
