"""The state file: round trip, atomic private writes, stable client tokens."""

from __future__ import annotations

import re

import pytest

from c2c_cli.aws.state import (
    RegistrationState,
    client_token,
    load_state,
    remove_state,
    save_state,
    state_path,
)
from c2c_cli.errors import UsageError


def test_missing_file_is_an_empty_state(tmp_path) -> None:
    assert load_state(tmp_path) == RegistrationState()


def test_round_trip_is_private(tmp_path) -> None:
    state = RegistrationState(
        connector_id="c1", association_ids=("a1", "a2"), kms_key_created=True
    ).with_seed()
    save_state(tmp_path, state)
    assert load_state(tmp_path) == state
    assert state_path(tmp_path).stat().st_mode & 0o777 == 0o600
    remove_state(tmp_path)
    assert not state_path(tmp_path).exists()


@pytest.mark.parametrize("text", ["not json", "[]", '{"version": 99}'])
def test_a_broken_file_is_a_usage_error(tmp_path, text) -> None:
    state_path(tmp_path).parent.mkdir()
    state_path(tmp_path).write_text(text)
    with pytest.raises(UsageError, match="state file"):
        load_state(tmp_path)


def test_client_tokens_are_stable_per_seed_and_step_and_fit_the_model() -> None:
    state = RegistrationState().with_seed()
    token = client_token(state, "cloud-connector")
    assert re.fullmatch(r"[a-zA-Z0-9=_-]{1,64}", token)
    assert token == client_token(state.update(connector_id="x"), "cloud-connector")
    assert token != client_token(state, "connector-destination")
    assert token != client_token(RegistrationState().with_seed(), "cloud-connector")


def test_with_seed_keeps_an_existing_seed() -> None:
    state = RegistrationState().with_seed()
    assert state.with_seed().token_seed == state.token_seed


def test_a_token_needs_a_seed() -> None:
    with pytest.raises(ValueError, match="token_seed"):
        client_token(RegistrationState(), "secret")
