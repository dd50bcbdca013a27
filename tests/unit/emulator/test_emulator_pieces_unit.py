"""Faults, pagination, the store and the ValidationException message."""

from __future__ import annotations

import pytest

from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.faults import FaultInjector
from c2c_cli.emulator.http.store import Store
from c2c_cli.emulator.operations.events import validation_error
from c2c_cli.emulator.operations.paging import Window
from c2c_cli.violation import Violation


def _outcomes(injector, n=50):
    out = []
    for _ in range(n):
        try:
            out.append(injector.inject("ListCloudConnectors"))
        except ApiError as exc:
            out.append(exc.code)
    return out


def test_seeded_faults_are_repeatable():
    a = _outcomes(FaultInjector(throttle_rate=0.3, error_rate=0.3, seed=42))
    b = _outcomes(FaultInjector(throttle_rate=0.3, error_rate=0.3, seed=42))
    assert a == b
    assert {"ThrottlingException", "InternalServerException", None} == set(a)


def test_faults_only_for_selected_operations():
    injector = FaultInjector(throttle_rate=1.0, operations=("SendConnectorEvent",))
    assert injector.inject("ListCloudConnectors") is None
    with pytest.raises(ApiError):
        injector.inject("SendConnectorEvent")


def test_latency_uses_the_injected_sleep():
    slept = []
    assert FaultInjector(latency_ms=250, sleep=slept.append).inject("X") == "latency"
    assert slept == [0.25]


def _page(store, params, items=None, operation="ListCloudConnectors"):
    window = Window(store, "123456789012", operation, params)
    items = items if items is not None else [{"i": n} for n in range(5)]
    return window.answer(items[window.start : window.stop], len(items), "Items")


def test_paging_walks_all_items_once():
    store = Store(":memory:")
    page = _page(store, {"MaxResults": 2})
    seen = page["Items"]
    while "NextToken" in page:
        page = _page(store, {"MaxResults": 2, "NextToken": page["NextToken"]})
        seen += page["Items"]
    assert seen == [{"i": n} for n in range(5)]


def test_a_token_past_the_end_is_an_empty_last_page():
    store = Store(":memory:")
    token = _page(store, {"MaxResults": 4})["NextToken"]
    assert _page(store, {"NextToken": token}, items=[{"i": 0}]) == {"Items": []}


@pytest.mark.parametrize("token", ["!!!", "LTE=", "MQ==", "AQ" * 20])  # not base64, b64 "-1", b64 "1", forged
def test_bad_tokens(token):
    with pytest.raises(ApiError) as info:
        _page(Store(":memory:"), {"NextToken": token})
    assert info.value.code == "ValidationException"


def test_a_token_is_bound_to_the_store_operation_and_query():
    store = Store(":memory:")
    token = _page(store, {"MaxResults": 1, "Type": "UNLISTED"})["NextToken"]
    assert _page(store, {"NextToken": token, "Type": "UNLISTED"})["Items"][0] == {"i": 1}
    for other_store, params, operation in (
        (Store(":memory:"), {"Type": "UNLISTED"}, "ListCloudConnectors"),
        (store, {"Type": "LISTED"}, "ListCloudConnectors"),
        (store, {}, "ListCloudConnectors"),
        (store, {"Type": "UNLISTED"}, "ListManagedThings"),
    ):
        with pytest.raises(ApiError):
            _page(other_store, {**params, "NextToken": token}, operation=operation)


def test_validation_message_lists_every_error_and_skips_warnings():
    exc = validation_error(
        [
            Violation("$.StatusCode", "600 is above the maximum 550", "ConnectorEventStatusCode"),
            Violation("$.OperationVersion", "recommended", "C2C", severity="warning"),
            Violation("$.Operation", "not in enum", "ConnectorEventOperation"),
        ]
    )
    assert exc.code == "ValidationException"
    assert exc.message == (
        "2 validation errors detected: StatusCode: 600 is above the maximum 550; Operation: not in enum"
    )


def test_store_scoping_log_and_reset(tmp_path):
    store = Store(str(tmp_path / "s.db"))
    store.put("111111111111", "k", "a", {"Id": "a"}, 1.0)
    store.put("222222222222", "k", "b", {"Id": "b"}, 2.0)
    assert store.list_owned("111111111111", "k") == [{"Id": "a"}]
    assert store.get("k", "b") == ("222222222222", {"Id": "b"})
    store.append_log("event", {"x": 1}, connector_id="c1")
    store.append_log("event", {"x": 2}, connector_id="c2")
    first = store.read_log("event")[0]["seq"]
    assert [r["x"] for r in store.read_log("event", after=first)] == [2]
    assert store.read_log("event", connector_id="c1") == [{"seq": first, "x": 1}]
    store.reset()
    assert store.get("k", "a") is None
    assert store.read_log("event") == []
    store.close()


def test_store_log_is_batched_but_read_back_and_kept_on_close(tmp_path):
    import threading

    db = str(tmp_path / "s.db")
    store = Store(db)
    threads = [
        threading.Thread(
            target=lambda n=n: [store.append_log("request", {"t": n, "i": i}) for i in range(50)]
        )
        for n in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seen = store.read_log("request", limit=1000)  # a read commits the buffer first
    assert len(seen) == 200
    for n in range(4):  # each thread's records in the order it appended them
        assert [r["i"] for r in seen if r["t"] == n] == list(range(50))
    store.append_log("event", {"last": True}, connector_id="c1")
    store.close()  # commits what is still buffered
    reopened = Store(db)
    assert [r.get("last") for r in reopened.read_log("event", connector_id="c1")] == [True]
    assert len(reopened.read_log("request", limit=1000)) == 200
    reopened.close()


def test_load_accounts(tmp_path):
    from c2c_cli.emulator import Account, load_accounts

    path = tmp_path / "accounts.yaml"
    path.write_text(
        "- {account_id: '333333333333', access_key_id: AKIATHIRD00000000003, secret_access_key: s3}\n"
    )
    assert load_accounts(path) == (Account("333333333333", "AKIATHIRD00000000003", "s3"),)


def test_load_accounts_reports_every_problem(tmp_path):
    from c2c_cli.emulator import load_accounts
    from c2c_cli.errors import ConfigError

    path = tmp_path / "accounts.yaml"
    path.write_text("- {account_id: '12', access_key_id: lower, colour: red}\n- 7\n")
    with pytest.raises(ConfigError) as info:
        load_accounts(path)
    assert info.value.problems == [
        "[0].secret_access_key: missing",
        "[0].colour: unknown key",
        "[0].account_id: must be 12 digits",
        "[0].access_key_id: must be 16-128 of A-Z and 0-9",
        "[1]: must be a mapping with account_id, access_key_id, secret_access_key",
    ]


def test_settings_reject_bad_values_all_at_once():
    from c2c_cli.emulator import DEFAULT_ACCOUNT, EmulatorSettings
    from c2c_cli.errors import UsageError

    with pytest.raises(UsageError) as info:
        EmulatorSettings(
            throttle_rate=2, error_rate=-1, latency_ms=-5, accounts=(DEFAULT_ACCOUNT, DEFAULT_ACCOUNT)
        )
    message = info.value.message
    for part in ("throttle rate", "error rate", "latency", "unique"):
        assert part in message
