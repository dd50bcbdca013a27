"""The emulator's keep-alive WSGI server: bodies by length or chunked, connections kept, unread bodies close."""

from __future__ import annotations

import http.client
import socket

import pytest

from c2c_cli.emulator.http.keepalive import KeepAliveServer
from c2c_cli.serving import BackgroundServer


def _echo(environ, start_response):
    if environ["PATH_INFO"] == "/skip":  # answers without reading the body (like a 403 before the body)
        start_response("403 Forbidden", [("Content-Type", "text/plain")])
        return [b"no"]
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {len(body)}:".encode() + body]


@pytest.fixture
def server():
    with BackgroundServer(_echo, "127.0.0.1", 0, name="test-keepalive", server=KeepAliveServer) as srv:
        yield srv


def test_one_connection_serves_many_requests(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("POST", "/a?x=1", body=b"hello")
    first = conn.getresponse()
    assert (first.status, first.read()) == (200, b"POST /a?x=1 5:hello")
    sock = conn.sock
    conn.request("GET", "/b")
    second = conn.getresponse()
    assert (second.status, second.read()) == (200, b"GET /b 0:")
    assert conn.sock is sock  # the same TCP connection
    assert second.getheader("Content-Length") == "9"


def test_chunked_body_is_read_whole(server):
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    raw.sendall(
        b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
        b"GET /next HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    data = b""
    while data.count(b"HTTP/1.1 200") < 2 or not data.endswith(b"GET /next 0:"):
        chunk = raw.recv(4096)
        assert chunk, data
        data += chunk
    assert b"POST /c 5:abcde" in data
    raw.close()


def test_unread_body_closes_the_connection(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("POST", "/skip", body=b"x" * 1000)
    answer = conn.getresponse()
    assert (answer.status, answer.read()) == (403, b"no")
    assert answer.getheader("Connection") == "close"


def _exchange(port, data):
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    raw.sendall(data)
    out = b""
    while chunk := raw.recv(4096):
        out += chunk
    raw.close()
    return out


def test_http10_and_connection_close_end_the_connection(server):
    out = _exchange(server.port, b"GET /old HTTP/1.0\r\nHost: x\r\n\r\n")  # recv returns b"" once closed
    assert out.startswith(b"HTTP/1.1 200 OK") and out.endswith(b"GET /old 0:")
    out = _exchange(server.port, b"POST /p HTTP/1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
    assert b"Connection: close" in out and out.endswith(b"POST /p 2:hi")


def test_bad_request_line_and_header_are_400(server):
    assert _exchange(server.port, b"NONSENSE\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert b" 400 " in _exchange(server.port, b"GET / HTTP/1.1\r\nno colon here\r\n\r\n").split(b"\r\n")[0]


def test_expect_100_continue_is_answered_before_the_body(server):
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    raw.sendall(b"POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
    assert raw.recv(4096).startswith(b"HTTP/1.1 100")
    raw.sendall(b"abc")
    assert raw.recv(4096).endswith(b"POST /e 3:abc")
    raw.close()
