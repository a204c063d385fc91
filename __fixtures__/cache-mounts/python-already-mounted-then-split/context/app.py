"""Standard-library web app: GET /health and GET /quotes (read from data/ at run time)."""
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from webapp.quotes import load_quotes


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            self._send(200, "text/plain", b"ok\n")
        elif self.path == "/quotes":
            body = json.dumps({"app": "python-web", "quotes": load_quotes()}).encode() + b"\n"
            self._send(200, "application/json", body)
        else:
            self._send(404, "text/plain", b"not found\n")


if __name__ == "__main__":
    host = os.environ.get("HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", "8000"))
    print(f"python-web listening on {host}:{port}", flush=True)
    ThreadingHTTPServer((host, port), Handler).serve_forever()
