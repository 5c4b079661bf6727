"""A small in-process OpenAI-compatible endpoint for the LLM tests (tests/test_llm.py).

``FakeLLM()`` listens on 127.0.0.1 (a free port) in a thread. Each request to
``/v1/chat/completions`` takes the next entry of ``script`` (the last one repeats):

* a string: a 200 answer with that message content (and a ``usage`` block);
* ``("status", code, text)``: that HTTP status with ``text`` as the body;
* ``("hang", seconds)``: nothing is sent for that long;
* ``("raw", text)``: a 200 answer whose body is ``text`` as is (not an OpenAI envelope);
* ``("echo_auth", code)``: that status, the body echoing the Authorization header.

``requests`` keeps every request's JSON body and headers; ``GET /v1/models`` lists
``model``.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLLM:
    def __init__(self, script=None, model: str = "fake-model"):
        self.script = list(script or ["[]"])
        self.model = model
        self.requests: list[dict] = []
        self._calls = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):   # quiet
                pass

            def _send(self, code: int, body: bytes, ctype="application/json"):
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, json.dumps({"object": "list", "data": [{"id": fake.model}]}).encode())
                else:
                    self._send(404, b'{"error": "not found"}')

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(n) or b"{}")
                fake.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
                step = fake.script[min(fake._calls, len(fake.script) - 1)]
                fake._calls += 1
                if isinstance(step, str):
                    answer = {"id": "x", "object": "chat.completion", "model": fake.model,
                              "choices": [{"index": 0, "finish_reason": "stop",
                                           "message": {"role": "assistant", "content": step}}],
                              "usage": {"prompt_tokens": 321, "completion_tokens": 45, "total_tokens": 366}}
                    self._send(200, json.dumps(answer).encode())
                elif step[0] == "status":
                    self._send(step[1], step[2].encode())
                elif step[0] == "hang":
                    time.sleep(step[1])
                    self._send(200, b"{}")
                elif step[0] == "raw":
                    self._send(200, step[1].encode())
                elif step[0] == "echo_auth":
                    self._send(step[1], json.dumps({"error": f"bad key: {self.headers.get('Authorization')}"}).encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def calls(self) -> int:
        return self._calls

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
