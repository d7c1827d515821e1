"""A minimal Virtuous-style token endpoint for the benchmarks (loopback only).

POST /Token answers every password or refresh_token grant with fresh tokens, so
login and refresh round trips can be timed without a real server. Prints its
port on stdout once listening.
"""

import json
import secrets
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps(
            {
                "access_token": secrets.token_hex(32),
                "token_type": "bearer",
                "expires_in": 1295999,
                "refresh_token": secrets.token_hex(32),
                "userName": "bench@example.org",
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
