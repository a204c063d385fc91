"""Standard-library web app: GET /health and GET /report (data/report.json, formatted by jq at run time)."""
import os
import subprocess
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            self._send(200, b"ok\n")
        elif self.path == "/report":
            # jq comes from apt: the image must still have it
            out = subprocess.run(["jq", "-S", "{app: \"python-apt-tool\", totals: .totals}", "data/report.json"], capture_output=True, check=True)
            self._send(200, out.stdout)
        else:
            self._send(404, b"not found\n")


if __name__ == "__main__":
    host = os.environ.get("HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", "8000"))
    print(f"python-apt-tool listening on {host}:{port}", flush=True)
    ThreadingHTTPServer((host, port), Handler).serve_forever()
