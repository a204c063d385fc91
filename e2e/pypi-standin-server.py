"""The PyPI stand-in's web server: the files of the index, as `python -m http.server` serves them,
and the download of a distribution with the header PyPI's file host sends
(`Cache-Control: max-age=365000000, immutable`). pip and poetry keep a download in their HTTP
cache only when the answer says it may be kept: without the header, a pip or pipenv cache mount
had nothing to keep, and the original images lacked the cache they have on PyPI.

    python3 pypi-standin-server.py PORT INDEX_DIR
"""
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        if self.path.startswith("/files/"):
            self.send_header("Cache-Control", "max-age=365000000, immutable, public")
        super().end_headers()


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    handler = functools.partial(Handler, directory=directory)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()


if __name__ == "__main__":
    main()
