"""nginx in front of gunicorn (deploy/nginx.conf.template): slow clients cannot take the workers.

gunicorn's sync workers serve one request each. Without a buffering proxy, a
client that announces a body and sends it a byte at a time holds a worker until
gunicorn's timeout; a dozen such clients hold them all and /healthz stops
answering. nginx reads the whole body before it passes the request on.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import io
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from scripts import stack

pytestmark = pytest.mark.production

SLOW_CLIENTS = 12


@pytest.fixture(scope="module")
def server(site, quiz_map) -> stack.Fronted:
    return site.start_gunicorn(workers=2)


@contextlib.contextmanager
def slow_bodies(port: int, path: str, count: int = SLOW_CLIENTS) -> Iterator[list[socket.socket]]:
    """`count` POSTs that announce 1000 bytes of body, send 3 and then wait; all closed on the way out."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            conn = socket.create_connection((stack.HOST, port), timeout=2)
            sockets.append(conn)
            conn.sendall(
                f"POST {path} HTTP/1.1\r\nHost: {stack.HOST}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\na=b".encode()
            )
        time.sleep(0.3)  # long enough for a server that reads bodies eagerly to be stuck in them
        yield sockets
    finally:
        for conn in sockets:
            conn.close()


def healthz_within(port: int, seconds: float) -> tuple[int | None, float]:
    started = time.monotonic()
    try:
        status, _ = stack.http_get(port, "/healthz", timeout=seconds)
    except OSError:
        status = None
    return status, time.monotonic() - started


def test_slow_request_bodies_do_not_hold_the_workers(server, quiz_map):
    path = f"/quizzes/{quiz_map.slug}/start/"
    with slow_bodies(server.port, path) as sockets:
        assert len(sockets) == SLOW_CLIENTS
        status, took = healthz_within(server.port, 1.0)
        assert status == 200 and took < 1.0, (status, took)
        # Still waiting for their bodies: nginx holds them, not gunicorn.
        for conn in sockets:
            conn.setblocking(False)
            with pytest.raises(BlockingIOError):
                conn.recv(1)
    # The same attack on gunicorn directly: its 2 sync workers are stuck reading bodies (what nginx prevents).
    with slow_bodies(server.app.port, path):
        status, _ = healthz_within(server.app.port, 1.0)
        assert status is None, "gunicorn alone answered: this test would not notice a missing proxy"
    status, took = healthz_within(server.port, 5.0)
    assert status == 200, "the workers did not come back after the slow clients left"


def test_pages_are_compressed_and_static_files_cached_for_good(server):
    conn = http.client.HTTPConnection(stack.HOST, server.port, timeout=5)
    try:
        conn.request("GET", "/", headers={"Host": stack.HOST, "Accept-Encoding": "gzip"})
        response = conn.getresponse()
        body = gzip.decompress(response.read()).decode()
        assert response.status == 200
        assert response.getheader("Content-Encoding") == "gzip"
        assert "Accept-Encoding" in (response.getheader("Vary") or "")
        stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', body)
        assert stylesheet, body[:1000]
        conn.request("GET", stylesheet.group(1), headers={"Host": stack.HOST, "Accept-Encoding": "gzip"})
        response = conn.getresponse()
        response.read()
        assert response.status == 200
        assert response.getheader("Content-Encoding") == "gzip"
        assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    finally:
        conn.close()


def test_uploaded_pictures_are_served_by_nginx_and_cached_for_good(server, site):
    """What claims/pictures.py writes under MEDIA_ROOT, nginx serves at /media/ (deploy/nginx.conf.template)."""
    buffer = io.BytesIO()
    Image.new("RGB", (480, 270), (200, 30, 30)).save(buffer, format="JPEG")
    name = "pictures/ab/ab0123456789/480w.jpg"
    path = Path(site.env["MEDIA_ROOT"]) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    conn = http.client.HTTPConnection(stack.HOST, server.port, timeout=5)
    try:
        conn.request("GET", f"/media/{name}", headers={"Host": stack.HOST})
        response = conn.getresponse()
        assert response.status == 200
        assert response.read() == buffer.getvalue()
        assert response.getheader("Content-Type") == "image/jpeg"
        assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        conn.request("GET", "/media/pictures/none.jpg", headers={"Host": stack.HOST})
        missing = conn.getresponse()
        missing.read()
        assert missing.status == 404
    finally:
        conn.close()
