"""Which addresses are this machine's own: the loopback decision of c2c, copied for the Lambda.

Plain ``http`` is acceptable only to a loopback address, because nothing else can read the traffic: the
vendor client refuses to send credentials anywhere else over plain http. A host is loopback when it
*parses* as a loopback IP address (``127.0.0.0/8``, ``::1``, IPv4-mapped ``::ffff:127.x``) or is exactly
``localhost``; ``127.0.0.1.evil.com``, ``localhost.evil.com``, ``127.1``, ``0x7f000001``, userinfo and
IDN look-alikes are not.

This file is a verbatim copy of ``c2c_cli/network.py`` below this docstring (the Lambda cannot import
c2c); c2c's own tests keep the two identical, so c2c and the generated connector decide alike.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["is_loopback", "is_loopback_host", "url_host"]


def is_loopback_host(host: str) -> bool:
    """Whether a bare host (``127.0.0.1``, ``::1``, ``[::1]``, ``localhost``) is this machine's loopback.

    Args:
        host: a host name or IP literal, optionally in brackets (IPv6).
    """
    if not host or not host.isascii():
        return False  # IDN look-alikes (``１２７.0.0.1``, ``locaIhost`` in Cyrillic) never count
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if bare.lower().rstrip(".") == "localhost":
        return True
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def url_host(url: str) -> str:
    """The host of ``url`` (without brackets), "" when it has none or cannot be parsed."""
    try:
        parts = urlsplit(url)
        return parts.hostname or ""
    except ValueError:
        return ""


def is_loopback(url_or_host: str) -> bool:
    """Whether a URL's host (or a bare host) is loopback; a URL with userinfo never is.

    ``http://user@127.0.0.1`` is refused too: credentials in a URL are a phishing pattern
    (``http://127.0.0.1@evil.com``) and c2c never needs them.
    """
    if "://" not in url_or_host:
        return is_loopback_host(url_or_host)
    try:
        parts = urlsplit(url_or_host)
        netloc = parts.netloc
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    if "@" in netloc or "\\" in url_or_host:
        return False
    return is_loopback_host(parts.hostname or "")
