import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            body, kind = b"ok\n", "text/plain"
        elif self.path == "/menu":
            # Read from the working folder on every request: the image must ship data/ at /data.
            with open(os.path.join("data", "menu.json")) as f:
                menu = json.load(f)
            body = json.dumps({"menu": menu, "cwd": os.getcwd(), "file": os.path.abspath(__file__)}).encode()
            kind = "application/json"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    host = os.environ.get("HOST", "0.0.0.0")
    print("listening on %s:%d" % (host, port), flush=True)
    HTTPServer((host, port), Handler).serve_forever()
