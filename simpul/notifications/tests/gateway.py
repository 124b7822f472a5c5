"""A real, tiny HTTP gateway on 127.0.0.1 for the transport tests: it records what it receives and answers
with the statuses a test queues (200 when none is queued)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Gateway:
    def __init__(self):
        self.received: list[dict] = []
        self.answers: list[int] = []  # statuses to answer, in order; then 200
        self.delay = 0.0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                length = int(self.headers.get("Content-Length") or 0)
                gateway.received.append({"path": self.path, "headers": dict(self.headers.items()),
                                         "json": json.loads(self.rfile.read(length) or b"null")})
                if gateway.delay:
                    time.sleep(gateway.delay)
                status = gateway.answers.pop(0) if gateway.answers else 200
                body = json.dumps({"ok": 200 <= status < 300}).encode()
                self.send_response(status)
                if status in (301, 302, 307, 308):
                    self.send_header("Location", f"http://127.0.0.1:{gateway.port}/elsewhere")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
