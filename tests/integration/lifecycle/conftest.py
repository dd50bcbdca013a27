"""Fixtures: sandbox + emulator (with moto) on 127.0.0.1, and a customer who links an account with boto3.

The connector is ``fixture_connector/lifecycle_fixture.py`` attached to a fresh function name per test,
so tests of one module share the servers but never each other's connector. The customer side is plain
boto3 against the emulator; the end user is the sandbox's fake browser.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from c2c_cli.emulator import Emulator, EmulatorSettings, start_emulator
from c2c_cli.sandbox import ClientConfig, Sandbox, SandboxSettings, start_sandbox
from c2c_cli.sandbox.browser import login_and_consent

FIXTURE_DIR = Path(__file__).parent / "fixture_connector"
COMPLETE_URL = "https://app.example.com/linked"
#: a second sandbox client that authenticates with client_secret_post (RFC 6749 §2.3.1).
POST_CLIENT = ClientConfig(
    client_id="post-client",
    token_endpoint_auth="REQUEST_BODY_CREDENTIALS",
    client_secret="post-client-secret-0001",
)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """A sandbox with its default confidential client (HTTP_BASIC)."""
    settings = SandboxSettings(
        port=0, users=("alice", "bob"), devices_per_user=2, extra_clients=(POST_CLIENT,)
    )
    with start_sandbox(settings) as sb:
        yield sb


def make_emulator(**settings: Any) -> Any:
    """An emulator with moto, fast invocation budget and discovery timeout unless overridden."""
    defaults: dict[str, Any] = {"port": 0, "db": ":memory:", "with_moto": True, "invocation_budget_ms": 2000}
    return start_emulator(EmulatorSettings(**{**defaults, **settings}))


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    """An emulator with default lifecycle settings."""
    with make_emulator() as emulator:
        yield emulator


def boto(emulator: Emulator, service: str) -> Any:
    """A boto3 client of the emulator's default account (the customer and the developer here)."""
    url = emulator.endpoint_url if service == "iot-managed-integrations" else emulator.aws_endpoint_url
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=emulator.region,
        aws_access_key_id=emulator.account.access_key_id,
        aws_secret_access_key=emulator.account.secret_access_key,
    )


@dataclass
class Link:
    """One linked (or attempted) account association."""

    emulator: Emulator
    sandbox: Sandbox
    client: Any
    connector_id: str
    destination_id: str
    association_id: str
    final_location: str
    function: str

    def discover(self, timeout: float = 10.0) -> dict[str, Any]:
        """Start a discovery and wait until it leaves RUNNING."""
        did = self.client.start_device_discovery(
            DiscoveryType="CLOUD", AccountAssociationId=self.association_id
        )["Id"]
        return wait_for(lambda: _finished(self.client, did), timeout)


def _finished(client: Any, did: str) -> dict[str, Any] | None:
    found = client.get_device_discovery(Identifier=did)
    return found if found["Status"] != "RUNNING" else None


def wait_for(probe: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll ``probe`` until it returns something truthy."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def setup_destination(
    emulator: Emulator, sandbox: Sandbox, function: str, client: tuple[str, str, str] | None = None
) -> tuple[str, str]:
    """Secret (moto) + cloud connector + destination for the sandbox's OAuth server; their ids.

    ``client`` is ``(client id, secret, scheme)``; the sandbox's default HTTP_BASIC client otherwise.
    """
    info = sandbox.info
    client_id, client_secret, scheme = client or (info["client_id"], info["client_secret"], "HTTP_BASIC")
    secret = boto(emulator, "secretsmanager").create_secret(
        Name=f"c2c/{function}/oauth-client",
        SecretString=json.dumps({"clientId": client_id, "clientSecret": client_secret}),
    )
    client = boto(emulator, "iot-managed-integrations")
    arn = f"arn:aws:lambda:{emulator.region}:{emulator.account.account_id}:function:{function}"
    connector_id = client.create_cloud_connector(Name=function, EndpointConfig={"lambda": {"arn": arn}})["Id"]
    oauth = {
        "authUrl": info["authorize_url"],
        "tokenUrl": info["token_url"],
        "tokenEndpointAuthenticationScheme": scheme,
        "scope": "devices:read devices:write",
        "oAuthCompleteRedirectUrl": COMPLETE_URL,
    }
    destination_id = client.create_connector_destination(
        CloudConnectorId=connector_id,
        AuthType="OAUTH",
        AuthConfig={"oAuth": oauth},
        SecretsManager={"arn": secret["ARN"], "versionId": secret["VersionId"]},
    )["Id"]
    return connector_id, destination_id


def deploy_fixture(emulator: Emulator, function: str, env: dict[str, str]) -> str:
    """The fixture connector as a Lambda function in moto (zip + handler + environment)."""
    import io
    import zipfile

    role = boto(emulator, "iam").create_role(
        RoleName=f"{function}-role", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17"})
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.write(FIXTURE_DIR / "lifecycle_fixture.py", "lifecycle_fixture.py")
    made = boto(emulator, "lambda").create_function(
        FunctionName=function,
        Runtime="python3.12",
        Role=role["Role"]["Arn"],
        Handler="lifecycle_fixture.handler",
        Code={"ZipFile": buf.getvalue()},
        Environment={"Variables": env},
    )
    return str(made["FunctionArn"])


def browse(url: str, username: str = "alice", consent: bool = True) -> str:
    """The end user signs in on the sandbox page; the browser follows to the emulator's callback."""
    location = login_and_consent(url, username, f"{username}-password", consent=consent)
    answer = requests.get(location, allow_redirects=False, timeout=30)
    return str(answer.headers.get("Location", f"HTTP {answer.status_code}"))


@pytest.fixture
def link(sandbox: Sandbox, tmp_path: Path) -> Callable[..., Link]:
    """``link(emulator, mode="normal", consent=True)`` → a linked association with the fixture connector."""

    def make(
        emulator: Emulator,
        mode: str = "normal",
        consent: bool = True,
        deploy: bool = False,
        client: tuple[str, str, str] | None = None,
    ) -> Link:
        function = f"fixture-{uuid.uuid4().hex[:10]}"
        connector_id, destination_id = setup_destination(emulator, sandbox, function, client)
        env = {
            "VENDOR_API_URL": sandbox.base_url,
            "FIXTURE_MODE": mode,
            "FIXTURE_CLIENT_SECRET": sandbox.info["client_secret"],
            "FIXTURE_ATTEMPTS_FILE": str(tmp_path / "attempts.jsonl"),
        }
        if deploy:  # moto holds the code: the emulator unpacks and runs it
            deploy_fixture(emulator, function, env)
        else:
            emulator.attach_connector(
                function, FIXTURE_DIR, handler="lifecycle_fixture:handler", webhook_handler=None, env=env
            )
        client = boto(emulator, "iot-managed-integrations")
        created = client.create_account_association(ConnectorDestinationId=destination_id)
        final = browse(created["OAuthAuthorizationUrl"], consent=consent)
        return Link(
            emulator,
            sandbox,
            client,
            connector_id,
            destination_id,
            created["AccountAssociationId"],
            final,
            function,
        )

    return make


@pytest.fixture
def wait() -> Callable[..., Any]:
    """``wait(probe, timeout=10)``: poll until truthy (test modules cannot import conftest)."""
    return wait_for


@pytest.fixture
def end_user() -> Callable[..., str]:
    """``end_user(url, username="alice", consent=True)`` → where the browser ends up."""
    return browse


@pytest.fixture
def aws() -> Callable[[Emulator, str], Any]:
    """``aws(emulator, service)`` → a boto3 client of the default account."""
    return boto


@pytest.fixture
def fixture_dir() -> Path:
    """The fixture connector's project directory."""
    return FIXTURE_DIR
