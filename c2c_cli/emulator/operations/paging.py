"""``MaxResults`` / ``NextToken`` paging of the List* operations (contract.md §7.2, §9 #27).

The bounds come from botocore's model and are enforced before a handler runs (every List* operation
of ``iot-managed-integrations`` uses ``MaxResults`` 1-1000 and a ``NextToken`` of 1-65535 characters of
``[a-zA-Z0-9=_-]``; ``tests/integration/emulator/test_emulator_paging.py`` reads them from the model).
Without ``MaxResults`` a page holds :data:`DEFAULT_PAGE_SIZE` items: the service documents no default.

A ``NextToken`` is opaque and bound to the one query it came from. It is the URL-safe base64 of a
version byte, a random nonce, the next offset masked with a keystream, and an HMAC-SHA256 tag over the
nonce, the masked offset, the calling account, the operation and every other parameter of the request
(path ids and filters; ``MaxResults`` may change between pages, as AWS allows). The key is random, kept
in the store (so tokens survive a restart of a file database and die with ``reset``). A token that does
not decode, was forged, or comes from another query (another discovery, another filter, another
operation or account) is a ``ValidationException``. An offset past the end (items deleted meanwhile)
is an empty last page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from typing import TYPE_CHECKING, Any

from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.store import Store

if TYPE_CHECKING:
    from c2c_cli.emulator.operations.context import Context

__all__ = ["DEFAULT_PAGE_SIZE", "PAGE_KEY", "Window", "paginate", "window_of"]

DEFAULT_PAGE_SIZE = 100
"""Items per page when the request has no ``MaxResults`` (undocumented by the service; our choice)."""

PAGE_KEY = "paging-key"
"""The store kind of the HMAC key (one record, no account)."""

_VERSION = b"\x01"
_NONCE = 8
_OFFSET = 4
_TAG = 16
_LENGTH = 1 + _NONCE + _OFFSET + _TAG
_UNBOUND = frozenset({"NextToken", "MaxResults"})


def _key(store: Store) -> bytes:
    """The store's paging key, created on first use (handlers run inside a transaction: no race)."""
    found = store.get(PAGE_KEY, "key")
    if found is not None:
        return bytes.fromhex(found[1]["key"])
    key = secrets.token_bytes(32)
    store.put("", PAGE_KEY, "key", {"key": key.hex()}, 0.0)
    return key


def _binding(account_id: str, operation: str, params: dict[str, Any]) -> bytes:
    rest = {k: v for k, v in params.items() if k not in _UNBOUND}
    return json.dumps([account_id, operation, rest], sort_keys=True, default=str).encode()


def _mask(key: bytes, nonce: bytes) -> bytes:
    return hmac.new(key, b"mask" + nonce, hashlib.sha256).digest()[:_OFFSET]


def _tag(key: bytes, nonce: bytes, masked: bytes, binding: bytes) -> bytes:
    return hmac.new(key, b"tag" + nonce + masked + binding, hashlib.sha256).digest()[:_TAG]


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def _invalid() -> ApiError:
    return ApiError("ValidationException", "NextToken is not valid for this request")


class Window:
    """The slice one request asks for: ``start`` and ``size``, from its ``NextToken`` and ``MaxResults``.

    Args:
        store: the emulator's store (holds the key).
        account_id: the caller.
        operation: the operation's model name.
        params: the request's validated parameters.

    Raises:
        ApiError: ``ValidationException`` for a token that is not one of ours for this very query.
    """

    def __init__(self, store: Store, account_id: str, operation: str, params: dict[str, Any]) -> None:
        self._key = _key(store)
        self._binding = _binding(account_id, operation, params)
        self.size = int(params.get("MaxResults") or DEFAULT_PAGE_SIZE)
        token = params.get("NextToken")
        self.start = self._decode(str(token)) if token else 0

    def _decode(self, token: str) -> int:
        try:
            raw = base64.urlsafe_b64decode(token.encode("ascii"))
        except (ValueError, binascii.Error):
            raise _invalid() from None
        if len(raw) != _LENGTH or raw[:1] != _VERSION:
            raise _invalid()
        nonce, masked, tag = raw[1 : 1 + _NONCE], raw[1 + _NONCE : -_TAG], raw[-_TAG:]
        if not hmac.compare_digest(tag, _tag(self._key, nonce, masked, self._binding)):
            raise _invalid()
        return int.from_bytes(_xor(masked, _mask(self._key, nonce)), "big")

    @property
    def stop(self) -> int:
        """One past the last index of this page."""
        return self.start + self.size

    def token(self, offset: int) -> str:
        """A ``NextToken`` that resumes this query at ``offset``."""
        nonce = secrets.token_bytes(_NONCE)
        masked = _xor(offset.to_bytes(_OFFSET, "big"), _mask(self._key, nonce))
        raw = _VERSION + nonce + masked + _tag(self._key, nonce, masked, self._binding)
        return base64.urlsafe_b64encode(raw).decode("ascii")

    def answer(self, page: list[dict[str, Any]], total: int, key: str) -> dict[str, Any]:
        """The response: ``page`` under ``key``, and ``NextToken`` when items remain after it."""
        out: dict[str, Any] = {key: page}
        if self.stop < total:
            out["NextToken"] = self.token(self.stop)
        return out


def window_of(ctx: Context, operation: str, params: dict[str, Any]) -> Window:
    """The caller's :class:`Window` of ``operation``."""
    return Window(ctx.store, ctx.account.account_id, operation, params)


def paginate(
    ctx: Context, operation: str, items: list[dict[str, Any]], params: dict[str, Any], key: str
) -> dict[str, Any]:
    """One page of ``items`` (in a stable order) under ``key``, with ``NextToken`` when more remain."""
    window = window_of(ctx, operation, params)
    return window.answer(items[window.start : window.stop], len(items), key)
