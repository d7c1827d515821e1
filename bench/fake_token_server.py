"""A minimal Virtuous-style token endpoint and API for the benchmarks (loopback only).

POST /Token answers every password or refresh_token grant with fresh tokens, so
login and refresh round trips can be timed without a real server. The tokens
live 15 days; under the prefix /expires-in/SECONDS (a profile URL of
http://127.0.0.1:PORT/expires-in/1800, so POST /expires-in/1800/Token) they
live that many seconds instead.

GET /grants answers the number of grants answered so far, as plain text: the
single-flight benchmark reads it before and after a burst of parallel calls.

Any other GET is a stand-in for an API call: a small JSON body (200) when the
request carries an Authorization header, 401 without one, so that `curl -f`
fails when the header did not arrive.

Prints its port on stdout once listening.
"""

import json
import re
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_EXPIRES_IN = 1295999
EXPIRES_IN_PREFIX = re.compile(r"^/expires-in/(\d+)(/|$)")

grants = 0
grants_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        global grants
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        prefix = EXPIRES_IN_PREFIX.match(self.path)
        with grants_lock:
            grants += 1
        body = json.dumps(
            {
                "access_token": secrets.token_hex(32),
                "token_type": "bearer",
                "expires_in": int(prefix.group(1)) if prefix else DEFAULT_EXPIRES_IN,
                "refresh_token": secrets.token_hex(32),
                "userName": "bench@example.org",
            }
        ).encode()
        self.answer(200, "application/json;charset=UTF-8", body)

    def do_GET(self):
        if self.path == "/grants":
            with grants_lock:
                count = grants
            self.answer(200, "text/plain", f"{count}\n".encode())
        elif self.headers.get("Authorization"):
            self.answer(200, "application/json;charset=UTF-8", b'{"id":1,"name":"bench"}')
        else:
            self.answer(401, "application/json;charset=UTF-8", b'{"message":"no credential"}')

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that hangs up early (curl -f on a 401) is not an error here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
