"""``c2c.yaml``, the project file, loaded into frozen dataclasses.

Every problem (unknown key, wrong type, missing value, bad value) is collected with its key path and line
number and raised together as one :class:`~c2c_cli.errors.ConfigError` (exit 2). Adding a setting is
adding a dataclass field: the loader (:mod:`.loader`, generic over dataclasses) reads the field's type and
its ``check`` metadata.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from c2c_cli.config.loader import Loader
from c2c_cli.errors import ConfigError

__all__ = [
    "CONFIG_FILENAME",
    "AuthMaterialSettings",
    "AwsSettings",
    "ConnectorSettings",
    "GeneralAuthSettings",
    "OAuthSettings",
    "ProjectConfig",
    "find_config",
    "load_config",
    "parse_config",
    "validate_connector_name",
]

CONFIG_FILENAME = "c2c.yaml"

Check = Callable[[Any], "str | None"]

# contract.md §7.3: a Lambda function name (the last part of LambdaArn) is [a-zA-Z0-9-_]+, 1-64.
_FUNCTION_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
# Toolkit rule: the connector name is also used as the default Lambda function name, the cloud
# connector Name (contract.md §7.2: 1-128 [A-Za-z0-9-_ ]+) and a directory name, so it must fit all.
_CONNECTOR_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9_-]{0,63}")
_HANDLER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# contract.md §7.3 (model AuthMaterialName): 1-100 of [a-zA-Z0-9=_+/-]; AuthMaterials holds 0-3.
_AUTH_MATERIAL_NAME = re.compile(r"[a-zA-Z0-9=_+/-]{1,100}")
MAX_AUTH_MATERIALS = 3


def validate_connector_name(name: str) -> str | None:
    """Why ``name`` cannot be a connector name, or ``None`` when it can.

    The name doubles as Lambda function, cloud connector and directory name (``_CONNECTOR_NAME``).
    """
    if _CONNECTOR_NAME.fullmatch(name):
        return None
    return f"connector name must start with a letter and use 1-64 of [A-Za-z0-9_-] (got {name!r})"


def _matches(pattern: re.Pattern[str], what: str) -> Check:
    def check(value: Any) -> str | None:
        if pattern.fullmatch(str(value)):
            return None
        return f"{what} (got {value!r})"

    return check


def _url(value: Any) -> str | None:
    if re.fullmatch(r"https?://[^\s/]+(/\S*)?", str(value)):
        return None
    return f"must be an http(s) URL (got {value!r})"


def _setting(default: Any = dataclasses.MISSING, check: Check | None = None, doc: str = "") -> Any:
    meta = {"check": check, "doc": doc}
    if default is dataclasses.MISSING:
        return field(metadata=meta)
    if isinstance(default, (list, dict, set)):
        raise TypeError("use tuples or None for mutable defaults")
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class ConnectorSettings:
    """``connector:`` — what the connector is and how to load it."""

    name: str = _setting(
        check=_matches(_CONNECTOR_NAME, "must start with a letter and use 1-64 of [A-Za-z0-9_-]"),
        doc="Connector name; default Lambda function and cloud connector name.",
    )
    handler: str = _setting(
        "connector.handler:lambda_handler",
        check=_matches(_HANDLER, "must be module.path:function"),
        doc="Lambda entry point as module:function, relative to the project directory.",
    )
    auth: Literal["oauth2", "general"] = _setting("oauth2", doc="oauth2 or general (General Authorization).")
    description: str = _setting(
        "",
        check=_matches(
            re.compile(r"[0-9A-Za-z_\- ]{1,256}"),
            "must be 1-256 of [0-9A-Za-z_- ] (CloudConnectorDescription)",
        ),
        doc="Cloud connector description.",
    )


@dataclass(frozen=True)
class OAuthSettings:
    """``oauth:`` — the vendor's OAuth 2.0 server (contract.md §6)."""

    authorization_url: str = _setting(check=_url, doc="Vendor authorization endpoint.")
    token_url: str = _setting(check=_url, doc="Vendor token endpoint.")
    client_id: str = _setting(doc="OAuth client id registered at the vendor.")
    revocation_url: str | None = _setting(None, check=_url, doc="RFC 7009 revocation endpoint.")
    userinfo_url: str | None = _setting(None, check=_url, doc="Endpoint returning the user's id.")
    client_secret_env: str | None = _setting(
        None,
        check=_matches(_ENV_NAME, "must be an environment variable name"),
        doc="Environment variable holding the client secret.",
    )
    client_secret_file: str | None = _setting(None, doc="File holding the client secret.")
    scopes: tuple[str, ...] = _setting((), doc="Scopes to request.")
    token_endpoint_auth: Literal["HTTP_BASIC", "REQUEST_BODY_CREDENTIALS"] = _setting(
        "HTTP_BASIC", doc="Client authentication at the token endpoint (client_secret_basic / _post)."
    )
    complete_redirect_url: str | None = _setting(
        None, check=_url, doc="Where the service sends the browser after linking (oAuthCompleteRedirectUrl)."
    )
    proactive_refresh_days: int | None = _setting(
        None,
        check=lambda v: None if v >= 30 else f"must be 30 or more (got {v})",
        doc="Ask the service to renew tokens this many days before expiry (proactiveRefreshTokenRenewal).",
    )


@dataclass(frozen=True)
class AwsSettings:
    """``aws:`` — where the connector is deployed and registered."""

    region: str | None = _setting(
        None, check=_matches(_REGION, "must be an AWS region such as us-east-1"), doc="AWS region."
    )
    function_name: str | None = _setting(
        None,
        check=_matches(_FUNCTION_NAME, "must be a Lambda function name: 1-64 of [a-zA-Z0-9-_]"),
        doc="Lambda function name (default: <connector.name>).",
    )
    profile: str | None = _setting(None, doc="AWS named profile.")
    account_id: str | None = _setting(
        None,
        check=_matches(re.compile(r"\d{12}"), "must be a 12-digit AWS account id"),
        doc="Expected AWS account; c2c register refuses credentials of another account.",
    )
    kms_key_id: str | None = _setting(
        None,
        doc="Customer-managed KMS key (id, ARN or alias) for the OAuth client secret (default: c2c creates one).",
    )
    secret_name: str | None = _setting(
        None,
        check=_matches(re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}"), "must be a Secrets Manager name"),
        doc="Secrets Manager name of the OAuth client secret (default: c2c/<connector.name>/oauth-client).",
    )


@dataclass(frozen=True)
class AuthMaterialSettings:
    """One ``general_auth.materials`` entry: a credential set kept in Secrets Manager (contract.md §7.1)."""

    name: str = _setting(
        check=_matches(_AUTH_MATERIAL_NAME, "must be 1-100 of [a-zA-Z0-9=_+/-] (AuthMaterialName)"),
        doc="AuthMaterialName: what CreateAccountAssociation's GeneralAuthorization names.",
    )
    secret_env: str = _setting(
        check=_matches(_ENV_NAME, "must be an environment variable name"),
        doc="Environment variable holding the secret's JSON object (never the value in the file).",
    )


@dataclass(frozen=True)
class GeneralAuthSettings:
    """``general_auth:`` — the auth materials of a General Authorization connector (contract.md §1, §7.1)."""

    materials: tuple[AuthMaterialSettings, ...] = _setting(
        check=lambda v: (
            None
            if 1 <= len(v) <= MAX_AUTH_MATERIALS
            else f"must list 1-{MAX_AUTH_MATERIALS} materials (AuthMaterials; got {len(v)})"
        ),
        doc="The auth materials, each {name, secret_env}; c2c register stores one secret per material.",
    )


@dataclass(frozen=True)
class ProjectConfig:
    """A loaded ``c2c.yaml``."""

    connector: ConnectorSettings
    oauth: OAuthSettings | None = None
    general_auth: GeneralAuthSettings | None = None
    aws: AwsSettings = field(default_factory=AwsSettings)
    project_dir: Path = field(default=Path(), metadata={"internal": True})

    @property
    def function_name(self) -> str:
        """The Lambda function name, defaulting to the connector name."""
        return self.aws.function_name or self.connector.name


def _cross_checks(cfg: ProjectConfig) -> list[str]:
    problems = []
    if cfg.connector.auth == "oauth2" and cfg.oauth is None:
        problems.append("oauth: required when connector.auth is oauth2")
    if cfg.oauth and cfg.oauth.client_secret_env and cfg.oauth.client_secret_file:
        problems.append("oauth: set client_secret_env or client_secret_file, not both")
    if cfg.connector.auth != "general" and cfg.general_auth is not None:
        problems.append("general_auth: only used when connector.auth is general")
    if cfg.general_auth is not None:
        names = [m.name for m in cfg.general_auth.materials]
        problems += [
            f"general_auth.materials[{i}].name: duplicate name {n!r}"
            for i, n in enumerate(names)
            if n in names[:i]
        ]
    return problems


def parse_config(
    text: str, *, source: str = CONFIG_FILENAME, project_dir: Path | None = None
) -> ProjectConfig:
    """Parse ``c2c.yaml`` text.

    Args:
        text: the YAML document.
        source: file name used in messages.
        project_dir: directory the relative paths (handler) are resolved against.

    Returns:
        The loaded configuration.

    Raises:
        ConfigError: listing every problem found, each with key path and line number.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"not valid YAML{where}: {problem}"], source=source) from None
    loader = Loader()
    cfg = loader.build(ProjectConfig, node, "") if node is not None else None
    if node is None:
        loader.problem(None, "(top level)", "the file is empty")
    if cfg is not None and not loader.problems:
        loader.problems.extend(_cross_checks(cfg))
    if loader.problems or cfg is None:
        raise ConfigError(loader.problems, source=source, hint=f"Fix {source}; see README 'Configuration'.")
    loaded: ProjectConfig = dataclasses.replace(cfg, project_dir=(project_dir or Path()).resolve())
    return loaded


def find_config(start: Path) -> Path | None:
    """The ``c2c.yaml`` in ``start`` or its nearest parent, if any."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
    return None


def load_config(project_dir: Path) -> ProjectConfig:
    """Load ``c2c.yaml`` from ``project_dir`` (or its nearest parent).

    Raises:
        ConfigError: when the file is missing or invalid.
    """
    path = find_config(project_dir)
    if path is None:
        raise ConfigError(
            [f"no {CONFIG_FILENAME} in {project_dir} or its parents"],
            source=str(project_dir),
            hint="Run 'c2c init' to create a project, or pass --project DIR.",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"cannot read: {exc}"], source=str(path)) from None
    return parse_config(text, source=str(path), project_dir=path.parent)
