"""A fake browser for tests and demos: sign in on the sandbox page and read the final redirect.

Pure ``requests`` + ``html.parser``: GET the authorize URL, fill the form's hidden fields with the
credentials and the consent decision, POST it, and return the ``Location`` of the 302 (which carries
``code`` and ``state``, or ``error=access_denied``). Redirects are never followed, so the callback URL
does not need to be served.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from c2c_cli.errors import AuthError

__all__ = ["login_and_consent", "redirect_params"]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.hidden: dict[str, str] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = found.get("action", "")
        elif tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.hidden[found["name"]] = found.get("value", "")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())


def _location(response: Any, what: str) -> str:
    if response.status_code in (301, 302, 303, 307) and response.headers.get("Location"):
        return str(response.headers["Location"])
    page = _FormParser()
    page.feed(response.text)
    detail = " ".join(page.text[:4])[:200]
    raise AuthError(f"{what} answered HTTP {response.status_code} instead of a redirect: {detail}")


def login_and_consent(
    authorize_url: str, username: str, password: str, consent: bool = True, session: Any = None
) -> str:
    """Sign in as ``username`` on the sandbox page and allow (or deny) access.

    Args:
        authorize_url: the full authorization request URL (with client_id, redirect_uri, state...).
        username: a seeded user.
        password: that user's password.
        consent: press "Allow" (True) or "Deny" (False).
        session: a ``requests.Session`` to use (a new one by default).

    Returns:
        The redirect ``Location`` (the client's redirect URI with ``code``/``state`` or an error).

    Raises:
        AuthError: the page did not redirect (bad client, bad redirect URI, wrong password...).
    """
    import requests

    http = session or requests.Session()
    first = http.get(authorize_url, allow_redirects=False, timeout=10)
    if first.status_code != 200:
        return _location(first, "the authorize page")
    form = _FormParser()
    form.feed(first.text)
    fields = {
        **form.hidden,
        "username": username,
        "password": password,
        "consent": "allow" if consent else "deny",
    }
    target = urljoin(authorize_url, form.action or urlsplit(authorize_url).path)
    second = http.post(target, data=fields, allow_redirects=False, timeout=10)
    return _location(second, "the login form")


def redirect_params(location: str) -> dict[str, str]:
    """The query parameters of a redirect ``Location`` (first value of each)."""
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
