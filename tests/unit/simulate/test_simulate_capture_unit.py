"""Waiting for events: bounded, and over as soon as the closing event is there."""

from c2c_cli.simulate.capture import captured, closes, wait_for_events


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _record(seq: int, operation: str, **body: object) -> dict:
    return {
        "seq": seq,
        "operation": operation,
        "verdict": "accepted",
        "account_id": "1",
        "body": body,
        "violations": [],
    }


def test_discovery_wait_stops_at_the_final_page() -> None:
    clock = _Clock()
    log = [_record(1, "DEVICE_DISCOVERY", StatusCode=300), _record(2, "DEVICE_DISCOVERY", StatusCode=200)]
    reads: list[int] = []

    def read(after: int) -> list[dict]:
        reads.append(after)
        return [r for r in log[: len(reads)] if r["seq"] > after]

    events = wait_for_events(read, 0, closes("AWS.DiscoverDevices", "x"), 5.0, clock=clock, sleep=clock.sleep)
    assert [e.seq for e in events] == [1, 2]
    assert clock.now < 5.0


def test_wait_gives_up_at_the_deadline() -> None:
    clock = _Clock()
    events = wait_for_events(
        lambda _a: [], 0, closes("AWS.SendCommand", "t"), 1.0, clock=clock, sleep=clock.sleep
    )
    assert events == []
    assert clock.now >= 1.0


def test_captured_keeps_violations_with_severity() -> None:
    record = _record(7, "DEVICE_EVENT")
    record["violations"] = [
        {"path": "$.UserId", "message": "m", "rule": "event.recommended-member", "severity": "warning"}
    ]
    event = captured(record)
    assert event.seq == 7
    assert event.violations[0].severity == "warning"
    assert event.violations[0].rule == "event.recommended-member"
