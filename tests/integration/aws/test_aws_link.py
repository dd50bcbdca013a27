"""c2c register --link: an account association with the vendor's authorization URL, polled until final."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from c2c_cli.aws import make_clients
from c2c_cli.aws.link import start_link, wait_for_link


def test_link_creates_an_association_and_prints_its_url(aws_env, project, c2c) -> None:
    result = c2c("register", "--project", str(project), "--yes", "--link", "--link-timeout", "0", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    association = report["association"]
    assert association["state"] == "ASSOCIATION_IN_PROGRESS"
    url = urlsplit(association["authorization_url"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://auth.acme.example/oauth/authorize"
    # The emulator read clientId from the secret register stored: the service can use the secret.
    assert parse_qs(url.query)["client_id"] == ["acme-client-id"]
    assert association["authorization_url"] in result.stderr
    state = json.loads((project / ".c2c" / "state.json").read_text())
    assert state["association_ids"] == [association["id"]]


def test_wait_polls_until_the_timeout_with_an_injected_clock(aws_env, project, c2c) -> None:
    assert c2c("register", "--project", str(project), "--yes").exit_code == 0
    destination = json.loads((project / ".c2c" / "state.json").read_text())["destination_id"]
    iot = make_clients(None, "us-east-1").iot
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    started = start_link(iot, destination, "alice")
    final = wait_for_link(iot, started, timeout=5, interval=2, sleep=sleep, clock=lambda: now[0])
    assert final.state == "ASSOCIATION_IN_PROGRESS" and not final.final
    assert sleeps == [2, 2, 1]
    assert final.authorization_url == started.authorization_url
