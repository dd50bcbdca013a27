"""AWS.DiscoverDevices across invocations: hand-over to asynchronous self-invocations, vendor throttling
between pages, and never a page twice when invocations race (retries, duplicate Event deliveries).

``MAX_PAGES_PER_INVOCATION`` makes an invocation hand over after that many vendor pages, so the tests
do not depend on timing; continuations are queued by the ``continuations`` fixture and run here.
"""

from __future__ import annotations

import threading

import pytest

from connector import events, store
from connector.envelope import ConnectorError
from tests.conftest import USER, run_continuation

DISCOVERY_ID = "c0ffee00c0ffee00c0ffee00c0ffee00"


@pytest.fixture(params=["memory", "dynamodb"])
def state(request, fake):
    """The state store the invocations share: this process's memory, or template.yaml's table in moto."""
    if request.param == "dynamodb":
        store.set_store(request.getfixturevalue("dynamodb_store"))
    return store.get_store()


@pytest.fixture
def one_page_each(monkeypatch):
    monkeypatch.setenv("MAX_PAGES_PER_INVOCATION", "1")


def _seed(fake, count: int) -> list[str]:
    return [fake.add_device("plug", USER) for _ in range(count)]


def _drain(queue: list[dict], deliveries: int = 1) -> int:
    """Run every queued continuation ``deliveries`` times (at-least-once delivery); how many ran."""
    ran = 0
    while queue:
        event = queue.pop(0)
        for _ in range(deliveries):
            run_continuation(event)
            ran += 1
    return ran


def _discovered(sent: list[dict]) -> list[str]:
    return [d["ConnectorDeviceId"] for e in sent if e["Operation"] == "DEVICE_DISCOVERY" for d in e["Devices"]]


def test_a_large_account_continues_in_self_invocations(invoke, fake, auth, sent, continuations, state, one_page_each):
    ids = _seed(fake, 250)

    response = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    assert response["header"]["responseCode"] == 200
    assert "continues asynchronously" in response["payload"]["responseMessage"]
    assert [e["StatusCode"] for e in sent] == [300]
    (queued,) = continuations
    assert queued["c2cContinuation"] == {"page": 2}
    assert queued["header"] == {"auth": auth.header} and queued["payload"]["deviceDiscoveryId"] == DISCOVERY_ID
    assert _drain(continuations) == 2
    assert [e["StatusCode"] for e in sent] == [300, 300, 200]
    assert _discovered(sent) == ids
    assert {e["DeviceDiscoveryId"] for e in sent} == {DISCOVERY_ID}
    record = state.get(f"disc:{DISCOVERY_ID}")
    assert (record["done"], record["devices"], record["page"]) == (True, 250, 4)


def test_a_continuation_delivered_twice_sends_no_page_twice(
    invoke, fake, auth, sent, continuations, state, one_page_each
):
    ids = _seed(fake, 450)

    invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)
    _drain(continuations, deliveries=2)

    assert _discovered(sent) == ids
    assert [e["StatusCode"] for e in sent] == [300, 300, 300, 300, 200]


def test_concurrent_duplicate_deliveries_send_each_page_once(
    invoke, fake, auth, sent, continuations, state, one_page_each
):
    ids = _seed(fake, 350)
    invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    while continuations:
        event = continuations.pop(0)
        gate = threading.Barrier(3)

        def deliver(event=event, gate=gate):
            gate.wait()
            run_continuation(event)

        threads = [threading.Thread(target=deliver) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(_discovered(sent)) == sorted(ids)
    assert len(_discovered(sent)) == len(ids)
    assert sorted(e["StatusCode"] for e in sent) == [200, 300, 300, 300]


def test_a_service_retry_of_a_running_or_finished_discovery_sends_nothing(
    invoke, fake, auth, sent, continuations, state, one_page_each
):
    ids = _seed(fake, 150)
    invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    running = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)
    _drain(continuations)
    finished = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    assert running["payload"]["responseMessage"] == "discovery continues in another invocation"
    assert finished["payload"]["responseMessage"] == "discovery already complete"
    assert running["header"]["responseCode"] == finished["header"]["responseCode"] == 200
    assert _discovered(sent) == ids and continuations == []


def test_throttling_longer_than_the_budget_is_waited_out_by_the_continuation(
    invoke, fake, auth, sent, continuations, state, one_page_each
):
    ids = _seed(fake, 150)
    invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)
    fake.failures["/v1/devices"] = [429]
    fake.retry_after = "2.5"  # longer than one invocation's budget

    _drain(continuations)

    assert _discovered(sent) == ids
    assert [e["StatusCode"] for e in sent] == [300, 200]
    assert len(fake.calls_to("GET", "/v1/devices")) == 3  # page 1, the 429, page 2 after the pause


def test_a_throttled_first_page_is_handed_over_and_every_device_arrives_once(
    invoke, fake, auth, sent, continuations, state
):
    ids = _seed(fake, 150)
    fake.failures["/v1/devices"] = [429]
    fake.retry_after = "2.5"  # longer than the service's own invocation may wait

    first = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)
    _drain(continuations)

    assert first["header"]["responseCode"] == 200  # accepted: the continuation waits the vendor out
    assert _discovered(sent) == ids
    assert [e["StatusCode"] for e in sent] == [300, 200]


def test_a_vendor_outage_on_the_first_page_is_the_ack(invoke, fake, auth, sent, continuations, state):
    _seed(fake, 10)
    fake.failures["/v1/devices"] = [503] * 10

    first = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    assert first["header"]["responseCode"] == 503
    assert sent == [] and continuations == []


def test_a_short_retry_after_is_waited_inside_the_invocation(invoke, fake, auth, sent, continuations, state):
    ids = _seed(fake, 50)
    fake.failures["/v1/devices"] = [429, 429]
    fake.retry_after = "0.2"

    response = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    assert response["header"]["responseCode"] == 200
    assert _discovered(sent) == ids and continuations == []


def test_a_vendor_outage_between_pages_hands_over_and_recovers(
    invoke, fake, auth, sent, continuations, state, one_page_each
):
    ids = _seed(fake, 150)
    invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)
    fake.failures["/v1/devices"] = [503, 502, 500]  # every retry of one invocation fails

    ran = _drain(continuations)

    assert ran == 2
    assert _discovered(sent) == ids
    assert [e["StatusCode"] for e in sent] == [300, 200]


def test_a_failed_send_gives_the_page_back_to_the_retry(invoke, fake, auth, sent, continuations, state):
    ids = _seed(fake, 150)
    failing = [True]
    record_event = events._sender

    def flaky(**params):
        if failing and failing.pop():
            raise ConnectorError(502, "SendConnectorEvent failed: ThrottlingException")
        record_event(**params)

    events.set_sender(flaky)
    first = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)
    retry = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    assert first["header"]["responseCode"] == 502
    assert retry["header"]["responseCode"] == 200
    assert _discovered(sent) == ids
    assert [e["StatusCode"] for e in sent] == [300, 200]


def test_an_unanswered_send_keeps_its_page_so_the_retry_does_not_resend_it(
    invoke, fake, auth, sent, continuations, state
):
    ids = _seed(fake, 150)
    unanswered = [True]
    record_event = events._sender

    def answer_lost(**params):
        record_event(**params)  # the service took the event ...
        if unanswered and unanswered.pop():  # ... but its answer never came (a read timeout)
            raise events.OutcomeUnknown(504, "SendConnectorEvent got no answer; the event may have arrived")

    events.set_sender(answer_lost)
    first = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)
    retry = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    assert first["header"]["responseCode"] == 504
    assert retry["header"]["responseCode"] == 200
    assert _discovered(sent) == ids  # every device once: the retry went on after the unanswered page
    assert [e["StatusCode"] for e in sent] == [300, 200]


def test_a_stale_continuation_is_ignored(invoke, fake, auth, sent, continuations, state, one_page_each):
    _seed(fake, 150)
    invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)
    (event,) = continuations
    _drain([event])
    before = len(sent)

    reply = run_continuation(event)  # Lambda's async retry, after the run finished

    assert reply["payload"]["responseMessage"] == "discovery already complete"
    assert len(sent) == before


def test_a_continuation_of_an_unknown_discovery_does_nothing(invoke, fake, auth, sent, continuations, state):
    from tests.conftest import request

    event = {
        **request("AWS.DiscoverDevices", auth.header, deviceDiscoveryId="unknown1"),
        "c2cContinuation": {"page": 3},
    }

    reply = run_continuation(event)

    assert reply["payload"]["responseMessage"] == "no discovery in progress for this continuation"
    assert sent == [] and continuations == []


def test_without_a_way_to_invoke_itself_a_large_account_is_a_504(invoke, fake, auth, sent, one_page_each):
    _seed(fake, 150)

    response = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    assert response["header"]["responseCode"] == 504
    assert "AWS_LAMBDA_FUNCTION_NAME" in response["payload"]["responseMessage"]


@pytest.mark.parametrize("marker", [{"page": 0}, {"page": "2"}, {"page": True}, [], "2"])
def test_a_malformed_continuation_is_a_400(raw_invoke, fake, auth, marker):
    from tests.conftest import request

    event = {**request("AWS.DiscoverDevices", auth.header, deviceDiscoveryId=DISCOVERY_ID), "c2cContinuation": marker}

    assert raw_invoke(event)["header"]["responseCode"] == 400


def test_a_continuation_marker_on_another_operation_is_a_400(raw_invoke, fake, auth):
    from tests.conftest import request

    event = {**request("AWS.DeactivateUser", auth.header), "c2cContinuation": {"page": 2}}

    assert raw_invoke(event)["header"]["responseCode"] == 400


def test_a_retry_takes_over_a_run_whose_owner_stopped_without_handing_over(
    invoke, fake, auth, sent, continuations, state, one_page_each
):
    ids = _seed(fake, 250)
    invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)
    continuations.clear()  # the owner's continuation never ran (it was killed before queueing it, say)
    record, version = state.get_versioned(f"disc:{DISCOVERY_ID}")
    state.compare_and_set(f"disc:{DISCOVERY_ID}", {**record, "handoff": None, "lease": 0.0}, version)

    retry = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)
    _drain(continuations)

    assert retry["header"]["responseCode"] == 200
    assert _discovered(sent) == ids
    assert [e["StatusCode"] for e in sent] == [300, 300, 200]


def test_a_vendor_that_never_recovers_stops_the_run_after_bounded_hand_overs(
    invoke, fake, auth, sent, continuations, state, one_page_each, monkeypatch
):
    monkeypatch.setenv("DISCOVERY_MAX_STALLS", "2")
    _seed(fake, 150)
    invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)
    fake.failures["/v1/devices"] = [503] * 100

    ran = _drain(continuations)

    assert ran == 3  # the first continuation and two more hand-overs, then the run stops
    assert [e["StatusCode"] for e in sent] == [300]
    record = state.get(f"disc:{DISCOVERY_ID}")
    assert (record["done"], record["stalls"], record["lease"]) == (False, 2, 0.0)
