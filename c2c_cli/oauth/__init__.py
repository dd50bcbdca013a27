"""OAuth 2.0 account linking against the vendor's authorization server (contract.md §6).

How it works: :func:`login` (``flow``) starts a one-shot loopback server on 127.0.0.1 (``loopback``),
builds the authorization URL with a random ``state`` and a PKCE S256 challenge (``pkce``), hands it to
an injected browser opener, waits for the callback (or a pasted redirect URL), and redeems the code at
the token endpoint with the configured client authentication (``client``). The resulting
:class:`TokenRecord` is kept per profile in a 0600 JSON file (``store``). ``refresh`` renews tokens
(:func:`valid_access_token` is what the simulator calls), ``revoke`` logs out with RFC 7009, and
``check`` runs the service's requirements against a provider. Endpoints must be https unless loopback
(``transport``, via :func:`c2c_cli.network.is_loopback`), and stored tokens only go back to the origin
that issued them (``origin``). A loopback callback whose ``state`` does not match is answered 400 and
ignored. Nothing here prints or prompts, and no token or secret ever appears in a message
(``c2c_cli.redaction.redact``, fingerprints instead).
"""

from __future__ import annotations

from c2c_cli.oauth.browser import system_opener
from c2c_cli.oauth.check import CHECK_IDS, CheckItem, CheckReport, check_provider
from c2c_cli.oauth.client import OAuthClient, TokenEndpointError
from c2c_cli.oauth.flow import Authorization, LoginOptions, Opener, Paste, Prompt, authorize, login
from c2c_cli.oauth.loopback import LoopbackServer, evaluate_callback
from c2c_cli.oauth.pkce import Pkce, new_pkce, s256_challenge
from c2c_cli.oauth.refresh import SecretSource, refresh, refresh_profile, valid_access_token
from c2c_cli.oauth.revoke import LogoutResult, logout, revoke_tokens
from c2c_cli.oauth.secret import SECRET_ENV, find_client_secret
from c2c_cli.oauth.store import DEFAULT_PROFILE, TokenRecord, TokenStore
from c2c_cli.oauth.tokens import fingerprint, jwt_subject, token_format_problem

__all__ = [
    "CHECK_IDS",
    "DEFAULT_PROFILE",
    "SECRET_ENV",
    "Authorization",
    "CheckItem",
    "CheckReport",
    "LoginOptions",
    "LogoutResult",
    "LoopbackServer",
    "OAuthClient",
    "Opener",
    "Paste",
    "Pkce",
    "Prompt",
    "SecretSource",
    "TokenEndpointError",
    "TokenRecord",
    "TokenStore",
    "authorize",
    "check_provider",
    "evaluate_callback",
    "find_client_secret",
    "fingerprint",
    "jwt_subject",
    "login",
    "logout",
    "new_pkce",
    "refresh",
    "refresh_profile",
    "revoke_tokens",
    "s256_challenge",
    "system_opener",
    "token_format_problem",
    "valid_access_token",
]
