"""Real HTTP on 127.0.0.1: pytest-httpserver, plus a raw socket server for broken bodies."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from callanalytics.sources.http import RetryPolicy

CANARY = "canary-secret-5c1e-never-print"


class Sleeps(list):
    """A stand-in for time.sleep that records how long the client asked to wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def quick_retry() -> RetryPolicy:
    return RetryPolicy(attempts=3, base_delay=0.0, max_delay=0.0, max_retry_after=30)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("CALLANALYTICS_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch, tmp_path):
    """Tests see only the credentials they pass: no real env vars, no .env on the way up."""
    for name in (
        "ENGAGE_VOICE_TOKEN",
        "ENGAGE_VOICE_ACCOUNT_ID",
        "ENGAGE_VOICE_BASE_URL",
        "RINGCENTRAL_CLIENT_ID",
        "RINGCENTRAL_CLIENT_SECRET",
        "RINGCENTRAL_JWT",
        "RINGCENTRAL_SERVER_URL",
        "DIALOGTECH_ACCESS_KEY",
        "DIALOGTECH_SECRET_KEY",
        "DIALOGTECH_API_KEY",
        "DIALOGTECH_BASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def raw_server() -> Iterator:
    """Start a one-response-per-connection server that sends exact bytes, then closes."""
    servers = []

    def start(payload: bytes) -> str:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(10)
        stop = threading.Event()

        def serve() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except OSError:
                    return
                with conn:
                    conn.settimeout(5)
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    head, _, rest = data.partition(b"\r\n\r\n")
                    length = 0
                    for line in head.split(b"\r\n"):
                        if line.lower().startswith(b"content-length:"):
                            length = int(line.split(b":")[1])
                    while len(rest) < length:
                        rest += conn.recv(65536)
                    conn.sendall(payload)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        servers.append((listener, stop, thread))
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    for listener, stop, thread in servers:
        stop.set()
        listener.close()
        thread.join(timeout=5)
