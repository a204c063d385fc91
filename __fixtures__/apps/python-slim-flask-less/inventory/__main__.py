import os
from wsgiref.simple_server import make_server

from inventory.app import application

if __name__ == "__main__":
    host = os.environ.get("HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", "5000"))
    print(f"inventory serving on http://{host}:{port}", flush=True)
    with make_server(host, port, application) as httpd:
        httpd.serve_forever()
