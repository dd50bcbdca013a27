"""A whole session against the sandbox: real emulator, real OAuth flow, real boto3 events."""

from collections.abc import Callable
from pathlib import Path

import pytest

from c2c_cli.errors import UsageError
from c2c_cli.simulate import SandboxOptions, SessionOptions, simulation
from c2c_cli.simulate.messages import command_endpoints


@pytest.mark.parametrize("isolated", [False, True], ids=["in-process", "subprocess"])
def test_lifecycle_of_a_correct_connector(broken: Callable[[str], Path], isolated: bool) -> None:
    options = SessionOptions(sandbox=SandboxOptions(devices_per_user=3), isolated=isolated)
    with simulation(broken("correct"), options) as sim:
        activated = sim.activate()
        assert activated.ok and activated.user_id
        discovered = sim.discover()
        assert discovered.ok, discovered.violations
        assert discovered.events[-1].body["StatusCode"] == 200
        assert discovered.events[-1].account_id == sim.environment.account_id
        device = sim.devices[0]["ConnectorDeviceId"]
        commanded = sim.command(device, command_endpoints("1", "OnOff", "Toggle", []))
        assert commanded.ok, commanded.violations
        response = commanded.events[-1].body
        assert response["TraceId"] == commanded.request["payload"]["traceId"]
        assert response["UserId"] == activated.user_id
        assert commanded.request["header"]["auth"]["token"] == "[REDACTED]"
        assert sim.deactivate().ok


def test_repeat_gives_percentiles(broken: Callable[[str], Path]) -> None:
    from c2c_cli.simulate import SimulationSettings

    options = SessionOptions(
        sandbox=SandboxOptions(devices_per_user=1), settings=SimulationSettings(repeat=4)
    )
    with simulation(broken("correct"), options) as sim:
        result = sim.activate()
    assert len(result.attempts) == 4
    assert result.timings.cold_ms is not None and len(result.timings.warm_ms) == 3
    assert result.timings.p95_ms >= result.timings.p50_ms


def test_retries_stop_after_six_invocations(broken: Callable[[str], Path]) -> None:
    with simulation(broken("raises"), SessionOptions(sandbox=SandboxOptions(devices_per_user=1))) as sim:
        result = sim.activate()
    assert [a.outcome for a in result.attempts] == ["raised"] * 6
    assert "sim.handler-raised" in result.rules()


def test_no_credentials_is_a_usage_error(broken: Callable[[str], Path]) -> None:
    with pytest.raises(UsageError, match="General Authorization needs"):
        with simulation(broken("correct"), SessionOptions(auth="general")):
            pass
