"""The verdicts of ``c2c oauth check``: one :class:`CheckItem` per requirement of contract.md §6.1."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["CHECK_IDS", "CheckItem", "CheckReport", "Status", "build_report"]

Status = Literal["pass", "warn", "fail"]

CHECK_IDS: dict[str, str] = {
    "https": "Endpoints use HTTPS (loopback excepted)",
    "authorization_code": "Authorization-code grant works (§6.1 #1)",
    "pkce_s256": "PKCE S256 accepted and enforced (§6.1 #2)",
    "client_auth": "Configured client authentication works for code and refresh (§6.1 #7)",
    "client_auth_other": "Behaviour of the other client-authentication scheme (§6.1 #7)",
    "refresh_token_issued": "A refresh token is issued (§6.1 #3)",
    "refresh_grant": "The refresh grant works (§6.1 #3)",
    "token_format": "Token strings are Base64/Base64url (§6.1 #6)",
    "user_id": "User id extractable (JWT sub) or resolvable (userinfo) (§6.1 #5)",
    "per_user_tokens": "Tokens are per user: two users get different ids (§6.1 #4)",
    "revocation": "Access and refresh tokens can be revoked (§6.1 #9)",
    "redirect_uri": "Redirect URL to allowlist at the provider (§6.1 #8, §9 #14)",
}


@dataclass(frozen=True)
class CheckItem:
    """One requirement's verdict."""

    id: str
    status: Status
    title: str
    evidence: str


@dataclass(frozen=True)
class CheckReport:
    """All verdicts, in :data:`CHECK_IDS` order."""

    items: tuple[CheckItem, ...]
    redirect_uri: str | None = None

    @property
    def ok(self) -> bool:
        """No item failed (warnings allowed): exit 0."""
        return all(item.status != "fail" for item in self.items)

    def to_json(self) -> dict[str, Any]:
        """The documented ``--json`` shape."""
        counts = {s: sum(1 for i in self.items if i.status == s) for s in ("pass", "warn", "fail")}
        items = [
            {"id": i.id, "status": i.status, "title": i.title, "evidence": i.evidence} for i in self.items
        ]
        return {"ok": self.ok, "counts": counts, "redirect_uri": self.redirect_uri, "items": items}


def build_report(
    results: dict[str, tuple[Status, str]], redirect_uri: str | None, skipped: str
) -> CheckReport:
    """A report in :data:`CHECK_IDS` order; items without a verdict are warnings "not checked: <skipped>"."""
    items = []
    for item_id, title in CHECK_IDS.items():
        status, evidence = results.get(item_id, ("warn", f"not checked: {skipped}"))
        items.append(CheckItem(item_id, status, title, evidence))
    return CheckReport(tuple(items), redirect_uri)
