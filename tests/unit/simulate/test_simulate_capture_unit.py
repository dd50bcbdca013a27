"""Waiting for events: bounded, over as soon as the closing event is there, woken by announcements."""

import threading
from types import SimpleNamespace

from c2c_cli.emulator.http.store import EVENT_LOG, REQUEST_LOG, Store
from c2c_cli.simulate.capture import QUIET_S, arrivals_of, captured, closes, wait_for_events


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


class _Announcer:
    """Fake :class:`Arrivals` on the fake clock: ``wait`` returns at once when the count moved."""

    def __init__(self, clock: _Clock) -> None:
        self.clock, self.appended, self.waits = clock, 0, []

    def count(self) -> int:
        return self.appended

    def wait(self, seen: int, timeout: float) -> bool:
        self.waits.append((seen, timeout))
        if self.appended != seen:
            return True
        self.clock.now += timeout
        return False


def _no_sleep(_seconds: float) -> None:
    raise AssertionError("an announcing log is waited on, not polled")


def test_an_announced_event_ends_the_wait_without_sleeping() -> None:
    clock = _Clock()
    announcer = _Announcer(clock)
    log: list[dict] = []

    def read(after: int) -> list[dict]:
        if not log:  # the handler's response arrives just after the first read found nothing
            log.append(_record(1, "DEVICE_COMMAND_RESPONSE", TraceId="t"))
            announcer.appended += 1
            return []
        return [r for r in log if r["seq"] > after]

    done = closes("AWS.SendCommand", "t")
    events = wait_for_events(read, 0, done, 5.0, arrivals=announcer, clock=clock, sleep=_no_sleep)
    assert [e.seq for e in events] == [1]
    # The count was taken before the read, so the append during it is not lost: no time passed.
    assert announcer.waits == [(0, QUIET_S)]
    assert clock.now == 0.0


def test_without_announcements_the_log_is_reread_every_quiet_interval_until_the_deadline() -> None:
    clock = _Clock()
    announcer = _Announcer(clock)
    reads: list[float] = []

    def read(_after: int) -> list[dict]:
        reads.append(clock.now)
        return []

    events = wait_for_events(
        read, 0, closes("AWS.SendCommand", "t"), 0.6, arrivals=announcer, clock=clock, sleep=_no_sleep
    )
    assert events == []
    assert reads == [0.0, QUIET_S, 2 * QUIET_S, 0.6]  # the last read is at the deadline
    assert [timeout for _, timeout in announcer.waits][-1] == 0.6 - 2 * QUIET_S


def test_the_store_announces_event_records_to_a_waiting_reader() -> None:
    store = Store(":memory:")
    try:
        arrivals = arrivals_of(SimpleNamespace(service=SimpleNamespace(store=store)))
        assert arrivals is not None
        seen = arrivals.count()
        store.append_log(REQUEST_LOG, {"operation": "X"})  # another log: not an event arrival
        assert arrivals.count() == seen
        writer = threading.Timer(0.05, store.append_log, (EVENT_LOG, {"operation": "DEVICE_EVENT"}, "c1"))
        writer.start()
        assert arrivals.wait(seen, 30.0) is True
        writer.join()
        assert arrivals.count() == seen + 1
        assert arrivals.wait(seen + 1, 0.0) is False
        assert [r["operation"] for r in store.read_log(EVENT_LOG, connector_id="c1")] == ["DEVICE_EVENT"]
    finally:
        store.close()


def test_an_emulator_without_announcements_is_polled() -> None:
    assert arrivals_of(object()) is None
    assert arrivals_of(SimpleNamespace(service=SimpleNamespace(store=object()))) is None
