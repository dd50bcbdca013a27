"""Emulator settings and accounts: plain frozen values, no I/O except locating the user's c2c home."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2c_cli.errors import ConfigError, UsageError
from c2c_cli.network import is_loopback_host
from c2c_cli.paths import c2c_home

__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_REGION",
    "SECOND_ACCOUNT",
    "Account",
    "ConnectorAttachment",
    "EmulatorSettings",
    "c2c_home",
    "default_db_path",
    "load_accounts",
    "state_file_path",
]

DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class Account:
    """An emulated AWS account and the one access key that signs for it (test credentials only).

    Attributes:
        account_id: 12-digit AWS account id.
        access_key_id: the SigV4 access key id.
        secret_access_key: the SigV4 secret key.
    """

    account_id: str
    access_key_id: str
    secret_access_key: str = field(repr=False)


# moto's default account is 123456789012 for any non-numeric key, so Lambda ARNs created in the
# companion moto server carry the same account id as the emulator's default account.
DEFAULT_ACCOUNT = Account("123456789012", "AKIAC2CEMULATOR00001", "c2c-emulator-default-test-secret-key-0001")
# A second account for multi-account tests (SendConnectorEvent from a non-registering account, scoping).
# moto attributes unknown access keys to its default account, so in moto this key also acts as
# 123456789012 (docs/emulator.md, "Limitations").
SECOND_ACCOUNT = Account("210987654321", "AKIAC2CEMULATOR00002", "c2c-emulator-second-test-secret-key-00002")


@dataclass(frozen=True)
class ConnectorAttachment:
    """A local project that plays a Lambda function (``c2c emulator start --connector DIR``).

    Attributes:
        function: the function name or full ARN the cloud connector points to.
        project_dir: the connector project (its ``c2c.yaml`` names the handler).
        handler: ``module:function`` of the connector entry point.
        webhook_handler: ``module:function`` served at ``/_emulator/function-url/<function>`` (a Lambda
            Function URL), or None for no function URL.
        env: extra environment variables of the function (e.g. ``VENDOR_API_URL``).
    """

    function: str
    project_dir: Path
    handler: str = "connector.handler:lambda_handler"
    webhook_handler: str | None = "connector.webhook:lambda_handler"
    env: tuple[tuple[str, str], ...] = ()


_ACCOUNT_ID = re.compile(r"[0-9]{12}")
_KEY_ID = re.compile(r"[A-Z0-9]{16,128}")


def _account_problems(i: int, entry: Any) -> list[str]:
    if not isinstance(entry, dict):
        return [f"[{i}]: must be a mapping with account_id, access_key_id, secret_access_key"]
    problems = [
        f"[{i}].{k}: missing" for k in ("account_id", "access_key_id", "secret_access_key") if k not in entry
    ]
    problems += [
        f"[{i}].{k}: unknown key"
        for k in entry
        if k not in ("account_id", "access_key_id", "secret_access_key")
    ]
    if "account_id" in entry and not _ACCOUNT_ID.fullmatch(str(entry["account_id"])):
        problems.append(f"[{i}].account_id: must be 12 digits")
    if "access_key_id" in entry and not _KEY_ID.fullmatch(str(entry["access_key_id"])):
        problems.append(f"[{i}].access_key_id: must be 16-128 of A-Z and 0-9")
    return problems


def load_accounts(path: Path) -> tuple[Account, ...]:
    """Extra emulator accounts from a YAML/JSON file: a list of ``{account_id, access_key_id, secret_access_key}``.

    Raises:
        ConfigError: listing every problem in the file.
    """
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError([f"cannot read: {exc}"], source=str(path)) from None
    if not isinstance(data, list):
        raise ConfigError(["must be a list of accounts"], source=str(path))
    problems = [p for i, entry in enumerate(data) for p in _account_problems(i, entry)]
    if problems:
        raise ConfigError(problems, source=str(path), hint="See docs/emulator.md, 'Accounts'.")
    return tuple(
        Account(str(e["account_id"]), str(e["access_key_id"]), str(e["secret_access_key"])) for e in data
    )


def default_db_path() -> Path:
    """Where the emulator keeps its state unless ``--db`` says otherwise."""
    return c2c_home() / "emulator.db"


def state_file_path() -> Path:
    """The 0600 file a running emulator writes (URL, admin token) so other commands find it."""
    return c2c_home() / "emulator.json"


@dataclass(frozen=True)
class EmulatorSettings:
    """How to run the emulator.

    Attributes:
        host: interface to bind (loopback by default).
        allow_public: permit a non-loopback ``host`` (it and moto then accept the well-known test keys
            from the network, issue 13 §3).
        port: TCP port; 0 picks a free one.
        db: sqlite path, ``":memory:"``, or None for :func:`default_db_path`.
        region: the region clients sign for and ARNs carry.
        with_moto: also start moto's server (Lambda, Secrets Manager, IAM, STS).
        latency_ms: sleep this long before answering each faulted operation.
        throttle_rate: probability of a 429 ThrottlingException per faulted request.
        error_rate: probability of a 500 InternalServerException per faulted request.
        fault_operations: operations faults apply to; empty means all.
        seed: seed of the fault RNG (deterministic tests).
        accounts: known accounts; the first is the default one.
        clock: epoch-seconds clock (SigV4 skew checks, timestamps).
        max_skew_seconds: accepted distance between x-amz-date and the clock.
        write_state_file: write :func:`state_file_path` while running (the CLI does, tests don't).
        strict_events: validate SendConnectorEvent in the contract's strict mode (warnings reject too).
        connectors: project directories attached to Lambda functions (``--connector DIR``).
        invocation_budget_ms: how long the service waits for one connector invocation (contract.md §2.1).
        invocation_retries: retries after an exception or timeout (5: at most 6 invocations, §9 #4).
        discovery_timeout_seconds: a discovery without its final event becomes ``TIMED_OUT`` after this.
        token_refresh_margin_seconds: refresh an access token this long before it expires.
        http_timeout_seconds: timeout of the emulator's own HTTP calls (token endpoint).
        async_retry_delays: seconds before each retry of a failed ``Event`` invocation (Lambda's async
            retry policy: at most 2 retries; AWS waits about 1 and 2 minutes, the emulator less).
        async_duplicate_rate: probability that an ``Event`` invocation is delivered twice (Lambda's
            at-least-once delivery, as a test knob).
        concurrency: how many invocations of one function may run at once (separate worker processes).
    """

    host: str = "127.0.0.1"
    allow_public: bool = False
    port: int = 0
    db: str | None = ":memory:"
    region: str = DEFAULT_REGION
    with_moto: bool = True
    latency_ms: int = 0
    throttle_rate: float = 0.0
    error_rate: float = 0.0
    fault_operations: tuple[str, ...] = ()
    seed: int | None = None
    accounts: tuple[Account, ...] = (DEFAULT_ACCOUNT, SECOND_ACCOUNT)
    clock: Callable[[], float] = field(default=time.time, repr=False, compare=False)
    max_skew_seconds: int = 300
    write_state_file: bool = False
    strict_events: bool = True
    connectors: tuple[ConnectorAttachment, ...] = ()
    invocation_budget_ms: int = 2000
    invocation_retries: int = 5
    discovery_timeout_seconds: float = 300.0
    token_refresh_margin_seconds: float = 60.0
    http_timeout_seconds: float = 10.0
    async_retry_delays: tuple[float, ...] = (1.0, 2.0)
    async_duplicate_rate: float = 0.0
    concurrency: int = 4

    def __post_init__(self) -> None:
        """Reject impossible settings, all problems at once.

        Raises:
            UsageError: listing every problem.
        """
        problems = [
            f"{name} must be between 0 and 1 (got {value})"
            for name, value in (
                ("throttle rate", self.throttle_rate),
                ("error rate", self.error_rate),
                ("async duplicate rate", self.async_duplicate_rate),
            )
            if not 0.0 <= value <= 1.0
        ]
        problems += [
            f"{name} must not be negative"
            for name, value in (
                ("latency", self.latency_ms),
                ("port", self.port),
                ("invocation retries", self.invocation_retries),
                ("token refresh margin", self.token_refresh_margin_seconds),
            )
            if value < 0
        ]
        problems += [
            f"{name} must be positive"
            for name, value in (
                ("invocation budget", self.invocation_budget_ms),
                ("discovery timeout", self.discovery_timeout_seconds),
                ("HTTP timeout", self.http_timeout_seconds),
            )
            if value <= 0
        ]
        if not (is_loopback_host(self.host) or self.allow_public):
            problems.append(
                f"host {self.host} is not a loopback address; the emulator and moto accept well-known "
                "test credentials, so binding it needs --allow-public"
            )
        if not self.accounts:
            problems.append("at least one account is needed")
        if len(self.async_retry_delays) > 2 or any(d < 0 for d in self.async_retry_delays):
            problems.append("async retry delays: at most 2 (Lambda retries an Event twice), none negative")
        if self.concurrency < 1:
            problems.append(f"concurrency must be at least 1 (got {self.concurrency})")
        keys = [a.access_key_id for a in self.accounts]
        if len(set(keys)) != len(keys):
            problems.append("access key ids must be unique across accounts")
        if problems:
            raise UsageError("; ".join(problems))
