"""SimulationSettings and SessionOptions check their own values: one error for every caller (CLI, plugin)."""

import pytest

from c2c_cli.errors import UsageError
from c2c_cli.runtime.delivery import RetryPolicy
from c2c_cli.simulate.session import SessionOptions
from c2c_cli.simulate.simulator import SimulationSettings


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SimulationSettings(commands_shape="tree"), "--commands-shape must be list or map"),
        (lambda: SimulationSettings(retries=6), "--retries must be 0 to 5"),
        (lambda: SimulationSettings(retries=-1), "--retries must be 0 to 5"),
        (lambda: SimulationSettings(repeat=0), "--repeat must be positive"),
        (lambda: SessionOptions(auth="basic"), "--auth must be oauth or general"),
    ],
)
def test_bad_values_are_usage_errors(make, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        make()


def test_the_settings_give_the_invocation_policy() -> None:
    assert SimulationSettings().policy == RetryPolicy()
    assert SimulationSettings(budget_ms=500, retries=1).policy == RetryPolicy(budget_ms=500, retries=1)
