"""The fake Lambda context counts down from the service's 2 s, not the function's timeout."""

from c2c_cli.runtime.context import FakeLambdaContext, function_arn


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_remaining_time_counts_down_and_stops_at_zero() -> None:
    clock = _Clock()
    context = FakeLambdaContext("fn", function_arn("fn", "us-east-1", "123456789012"), clock=clock)
    assert context.get_remaining_time_in_millis() == 2000
    clock.now += 1.5
    assert context.get_remaining_time_in_millis() == 500
    clock.now += 5
    assert context.get_remaining_time_in_millis() == 0


def test_context_names_the_function() -> None:
    context = FakeLambdaContext("acme", function_arn("acme", "eu-west-1", "210987654321"))
    assert context.invoked_function_arn == "arn:aws:lambda:eu-west-1:210987654321:function:acme"
    assert context.log_group_name == "/aws/lambda/acme"
    assert context.aws_request_id
