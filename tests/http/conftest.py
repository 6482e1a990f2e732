"""Real HTTP on 127.0.0.1: pytest-httpserver, plus a raw socket server for broken bodies."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from callanalytics.config import DIALOGTECH_SETTINGS, ENGAGE_VOICE_SETTINGS
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
    for item in (*ENGAGE_VOICE_SETTINGS, *DIALOGTECH_SETTINGS):
        monkeypatch.delenv(item.variable, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def raw_server() -> Iterator:
    """Start a one-response-per-connection server that sends exact bytes, then closes."""
    servers = []

    def start(payload: bytes) -> str:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.2)  # wake up now and then to see whether the test is over
        stop = threading.Event()

        def serve() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
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


class Served(list):
    """What a scripted server received: one ``(method, path, headers, body)`` per request."""

    def paths(self) -> list[str]:
        return [path for _, path, _, _ in self]


@pytest.fixture
def script_server() -> Iterator:
    """Start a 127.0.0.1 server whose answer to the n-th request (from 0) is written by
    ``script(n, (method, path, headers, body)) -> iterable of bytes``; it may sleep between
    pieces (a trickle), and the connection closes after the last piece (a cut body).
    Returns ``(base_url, served)``."""
    servers = []

    def start(script) -> tuple[str, Served]:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.settimeout(0.2)
        served = Served()
        stop = threading.Event()

        def serve() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                with conn:
                    conn.settimeout(10)
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    head, _, body = data.partition(b"\r\n\r\n")
                    lines = head.decode("latin-1").split("\r\n")
                    method, path = [*lines[0].split(" "), "", ""][:2]
                    headers = {
                        k.strip().lower(): v.strip()
                        for k, _, v in (line.partition(":") for line in lines[1:])
                    }
                    length = int(headers.get("content-length", 0))
                    while len(body) < length:
                        body += conn.recv(65536)
                    index = len(served)
                    served.append((method, path, headers, body))
                    try:
                        for piece in script(index, served[index]):
                            conn.sendall(piece)
                    except OSError:
                        pass  # the client hung up (a stall it detected)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        servers.append((listener, stop, thread))
        return f"http://127.0.0.1:{listener.getsockname()[1]}", served

    yield start
    for listener, stop, thread in servers:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def http_response(
    body: bytes,
    *,
    status: str = "200 OK",
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
    length: int | None = None,
) -> bytes:
    """The exact bytes of an HTTP/1.1 response that closes its connection."""
    lines = [
        f"HTTP/1.1 {status}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body) if length is None else length}",
        "Connection: close",
        *(f"{k}: {v}" for k, v in (headers or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class FakeClock:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
