import queue
import socket

import pytest
import requests

from c2c_cli.errors import AuthError, UsageError
from c2c_cli.oauth.loopback import LoopbackServer, StateMismatch, evaluate_callback

STATE = "s3cr3t-state-value"


@pytest.fixture
def server():
    outcomes: queue.Queue = queue.Queue()
    with LoopbackServer(STATE, outcomes.put) as srv:
        yield srv, outcomes


def _get(srv: LoopbackServer, suffix: str) -> requests.Response:
    base = srv.redirect_uri.rsplit("/", 1)[0]
    return requests.get(base + suffix, timeout=5)


def test_redirect_uri_is_loopback_random_port(server):
    srv, _ = server
    assert srv.redirect_uri.startswith("http://127.0.0.1:")
    assert srv.redirect_uri.endswith("/callback")
    assert not srv.redirect_uri.startswith("http://127.0.0.1:0/")


def test_valid_callback_delivers_code_and_shows_closable_page(server):
    srv, outcomes = server
    response = _get(srv, f"/callback?code=abc&state={STATE}")
    assert response.status_code == 200
    assert "close this window" in response.text
    assert outcomes.get(timeout=5) == "abc"


@pytest.mark.parametrize("path", ["/", "/favicon.ico", "/callbackx?code=a", "/other/callback"])
def test_only_the_callback_path_answers(server, path):
    srv, outcomes = server
    assert _get(srv, path).status_code == 404
    assert outcomes.empty()


def test_callback_without_parameters_is_400_and_keeps_waiting(server):
    srv, outcomes = server
    assert _get(srv, "/callback").status_code == 400
    assert outcomes.empty()
    assert _get(srv, f"/callback?code=later&state={STATE}").status_code == 200
    assert outcomes.get(timeout=5) == "later"


@pytest.mark.parametrize(
    "query",
    [
        f"code=forged&state={STATE}x",
        "code=forged",
        "code=forged&state=",
        f"error=access_denied&state={STATE[:-1]}",
    ],
)
def test_a_callback_with_the_wrong_state_is_400_and_the_login_keeps_waiting(server, query):
    # issue 13 §5: anyone on the machine can hit the port; only the request's own state may end the login.
    srv, outcomes = server
    response = _get(srv, f"/callback?{query}")
    assert response.status_code == 400
    assert "forged" not in response.text
    assert outcomes.empty()
    assert _get(srv, f"/callback?code=genuine&state={STATE}").status_code == 200
    assert outcomes.get(timeout=5) == "genuine"


def test_evaluate_callback_reports_a_state_mismatch():
    outcome = evaluate_callback(f"code=abc&state={STATE}x", STATE)
    assert isinstance(outcome, StateMismatch)
    assert "state" in outcome.message


def test_access_denied_is_an_auth_error_with_hint(server):
    srv, outcomes = server
    response = _get(srv, f"/callback?error=access_denied&error_description=User+said+no&state={STATE}")
    assert response.status_code == 400
    outcome = outcomes.get(timeout=5)
    assert isinstance(outcome, AuthError)
    assert "access_denied" in outcome.message and "User said no" in outcome.message
    assert "allow access" in (outcome.hint or "")


def test_only_one_callback_is_accepted(server):
    srv, outcomes = server
    assert _get(srv, f"/callback?code=first&state={STATE}").status_code == 200
    assert _get(srv, f"/callback?code=second&state={STATE}").status_code == 400
    assert outcomes.get(timeout=5) == "first"
    assert outcomes.empty()


def test_server_stops_on_exit():
    with LoopbackServer(STATE, lambda outcome: None) as srv:
        uri = srv.redirect_uri
    with pytest.raises(requests.ConnectionError):
        requests.get(uri, timeout=2)


def test_port_in_use_is_a_usage_error_with_hint():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(UsageError) as info, LoopbackServer(STATE, lambda o: None, port=port):
            pass
    assert f"127.0.0.1:{port}" in info.value.message and "already in use" in info.value.message
    assert "--port" in (info.value.hint or "")


def test_only_get_answers_and_nothing_is_logged(server, capfd, caplog):
    srv, outcomes = server
    assert requests.post(srv.redirect_uri, data={"code": "c", "state": STATE}, timeout=5).status_code == 404
    assert _get(srv, f"/callback?code=logged-never&state={STATE}").status_code == 200
    assert outcomes.get(timeout=5) == "logged-never"
    captured = capfd.readouterr()
    assert "logged-never" not in captured.out + captured.err + caplog.text


def test_exact_port_and_path():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with LoopbackServer(STATE, lambda o: None, port=port, path="/oauth/cb") as srv:
        assert srv.redirect_uri == f"http://127.0.0.1:{port}/oauth/cb"


@pytest.mark.parametrize(
    "text",
    [
        f"http://127.0.0.1:8765/callback?code=c1&state={STATE}",
        f"  https://app.example/cb?state={STATE}&code=c1\n",
        f"?code=c1&state={STATE}",
        f"code=c1&state={STATE}",
    ],
)
def test_evaluate_callback_accepts_urls_and_queries(text):
    assert evaluate_callback(text, STATE) == "c1"


@pytest.mark.parametrize("state", ["", STATE[:-1], STATE + "0", "S3CR3T-STATE-VALUE", "ü" * 5])
def test_evaluate_callback_rejects_any_other_state(state):
    outcome = evaluate_callback(f"code=c1&state={state}", STATE)
    assert isinstance(outcome, AuthError)


def test_evaluate_callback_ignores_unrelated_text():
    assert evaluate_callback("hello world", STATE) is None


def test_evaluate_callback_requires_code():
    outcome = evaluate_callback(f"state={STATE}", STATE)
    assert isinstance(outcome, AuthError) and "code" in outcome.message
