"""The registration plan is a pure function of the desired and observed states."""

from __future__ import annotations

import dataclasses

import pytest

from c2c_cli.aws.desired import Desired, secret_policy
from c2c_cli.aws.observe import Observed, SecretInfo
from c2c_cli.aws.plan import RESOURCES, plan_registration
from c2c_cli.errors import UsageError

ACCOUNT = "123456789012"
SOURCE = f"arn:aws:iotmanagedintegrations:us-east-1:{ACCOUNT}:account-association/*"
FUNCTION = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:acme"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k1"
SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:c2c/acme/oauth-client-AbCdEf"
OAUTH = {
    "authUrl": "https://a.example/auth",
    "tokenUrl": "https://a.example/token",
    "tokenEndpointAuthenticationScheme": "HTTP_BASIC",
}

DESIRED = Desired(
    account_id=ACCOUNT,
    region="us-east-1",
    connector_name="acme",
    description="",
    function_arn=FUNCTION,
    source_arn=SOURCE,
    kms_key_id=None,
    kms_alias="alias/c2c/acme",
    secret_name="c2c/acme/oauth-client",
    secret_value={"clientId": "id", "clientSecret": "s"},
    auth_config={"oAuth": OAUTH},
)
NOTHING = Observed(None, None, False, None, None, None)


def _everything() -> Observed:
    # Lambda returns policies with one-item lists collapsed and keys as it likes: the plan normalises.
    statement = {**DESIRED.statement, "Principal": {"Service": ["iotmanagedintegrations.amazonaws.com"]}}
    return Observed(
        statement=statement,
        kms_key_arn=KEY,
        kms_key_enabled=True,
        secret=SecretInfo(SECRET, "v1", KEY, False, True, secret_policy(SOURCE)),
        connector={"Id": "c1", "Name": "acme", "EndpointConfig": {"lambda": {"arn": FUNCTION}}},
        destination={
            "Id": "d1",
            "AuthConfig": {"oAuth": OAUTH},
            "SecretsManager": {"arn": SECRET, "versionId": "v1"},
        },
    )


def _actions(observed: Observed, desired: Desired = DESIRED) -> dict[str, str]:
    return {s.resource: s.action for s in plan_registration(desired, observed)}


def test_nothing_registered_creates_every_resource_in_order() -> None:
    steps = plan_registration(DESIRED, NOTHING)
    assert tuple(s.resource for s in steps) == RESOURCES
    assert {s.action for s in steps} == {"create"}


def test_everything_in_place_is_unchanged() -> None:
    assert set(_actions(_everything()).values()) == {"unchanged"}


def test_a_wrong_lambda_condition_is_an_update() -> None:
    wrong = {**DESIRED.statement, "Condition": {"StringEquals": {"AWS:SourceArn": "x"}}}
    observed = dataclasses.replace(_everything(), statement=wrong)
    assert _actions(observed)["lambda-permission"] == "update"


def test_a_new_secret_value_updates_the_secret_and_the_destination_version() -> None:
    secret = dataclasses.replace(_everything().secret, value_matches=False)
    actions = _actions(dataclasses.replace(_everything(), secret=secret))
    assert actions["secret"] == "update" and actions["connector-destination"] == "update"
    assert actions["cloud-connector"] == "unchanged"


def test_an_unknown_secret_value_is_not_drift() -> None:
    secret = dataclasses.replace(_everything().secret, value_matches=None)
    assert set(_actions(dataclasses.replace(_everything(), secret=secret)).values()) == {"unchanged"}


def test_a_deleted_key_recreates_the_key_and_reencrypts_the_secret() -> None:
    actions = _actions(dataclasses.replace(_everything(), kms_key_enabled=False))
    assert actions["kms-key"] == "create" and actions["secret"] == "update"


def test_a_secret_scheduled_for_deletion_is_restored() -> None:
    secret = dataclasses.replace(_everything().secret, deleted=True)
    steps = {
        s.resource: s for s in plan_registration(DESIRED, dataclasses.replace(_everything(), secret=secret))
    }
    assert steps["secret"].action == "update" and "restore" in steps["secret"].detail


def test_a_missing_secret_policy_is_created() -> None:
    secret = dataclasses.replace(_everything().secret, policy=None)
    assert _actions(dataclasses.replace(_everything(), secret=secret))["secret-policy"] == "create"


@pytest.mark.parametrize(
    ("key", "value", "action"),
    [
        ("tokenUrl", "https://b.example/t", "replace"),
        ("oAuthCompleteRedirectUrl", "https://app.example/ok", "update"),
    ],
)
def test_destination_changes(key, value, action) -> None:
    desired = dataclasses.replace(DESIRED, auth_config={"oAuth": {**OAUTH, key: value}})
    assert _actions(_everything(), desired)["connector-destination"] == action


def test_a_connector_of_the_same_name_on_another_lambda_is_a_conflict() -> None:
    other = {"Id": "c1", "Name": "acme", "EndpointConfig": {"lambda": {"arn": FUNCTION + "2"}}}
    with pytest.raises(UsageError, match="points at"):
        plan_registration(DESIRED, dataclasses.replace(_everything(), connector=other))


def test_a_configured_kms_key_that_does_not_exist_is_an_error() -> None:
    with pytest.raises(UsageError, match=r"aws\.kms_key_id"):
        plan_registration(dataclasses.replace(DESIRED, kms_key_id="alias/mine"), NOTHING)


def test_a_description_change_updates_the_connector() -> None:
    assert (
        _actions(_everything(), dataclasses.replace(DESIRED, description="New text"))["cloud-connector"]
        == "update"
    )


def test_steps_never_mention_the_client_secret() -> None:
    assert all(
        "s" != s.detail and 'clientSecret": "s' not in s.detail for s in plan_registration(DESIRED, NOTHING)
    )
    assert "'s'" not in repr(DESIRED)


GA_SECRETS = {
    m: f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:c2c/acme/auth/{m}-AbCdEf" for m in ("a", "b")
}


def _general(*materials: str) -> Desired:
    from c2c_cli.aws.general import AuthSecret, placeholder_auth_config

    secrets = tuple(AuthSecret(m, f"c2c/acme/auth/{m}", {"api_key": m}) for m in materials)
    return dataclasses.replace(
        DESIRED,
        secret_name="",
        secret_value=None,
        auth_config=placeholder_auth_config(secrets),
        auth_type="general",
        auth_secrets=secrets,
    )


def _general_observed(*materials: str, value_matches: bool = True) -> Observed:
    from c2c_cli.aws.general import general_secret_policy

    policy = general_secret_policy(ACCOUNT, SOURCE)
    found = _everything()
    refs = [
        {"AuthMaterialName": m, "SecretsManager": {"arn": GA_SECRETS[m], "versionId": "v1"}}
        for m in materials
    ]
    return dataclasses.replace(
        found,
        secret=None,
        destination={"Id": "d1", "AuthConfig": {"GeneralAuthorization": refs}},
        auth_secrets={
            m: SecretInfo(GA_SECRETS[m], "v1", KEY, False, value_matches, policy) for m in materials
        },
    )


def _general_actions(desired: Desired, observed: Observed) -> list[tuple[str, str | None, str]]:
    return [(s.resource, s.material, s.action) for s in plan_registration(desired, observed)]


def test_general_plan_has_a_secret_and_a_policy_per_material_in_order() -> None:
    steps = _general_actions(_general("a", "b"), NOTHING)
    assert steps == [
        ("lambda-permission", None, "create"),
        ("kms-key", None, "create"),
        ("secret", "a", "create"),
        ("secret-policy", "a", "create"),
        ("secret", "b", "create"),
        ("secret-policy", "b", "create"),
        ("cloud-connector", None, "create"),
        ("connector-destination", None, "create"),
    ]


def test_general_plan_in_sync_is_all_unchanged() -> None:
    assert {a for *_, a in _general_actions(_general("a", "b"), _general_observed("a", "b"))} == {"unchanged"}


def test_general_plan_a_new_value_updates_the_secret_and_the_destination() -> None:
    steps = _general_actions(_general("a"), _general_observed("a", value_matches=False))
    assert ("secret", "a", "update") in steps and ("connector-destination", None, "update") in steps


def test_general_plan_an_added_material_updates_and_a_removed_one_replaces_the_destination() -> None:
    added = _general_actions(_general("a", "b"), dataclasses.replace(_general_observed("a")))
    assert ("secret", "b", "create") in added and ("connector-destination", None, "update") in added
    removed = _general_actions(_general("a"), _general_observed("a", "b"))
    assert ("connector-destination", None, "replace") in removed


def test_general_plan_a_policy_for_the_service_principal_is_drift() -> None:
    observed = _general_observed("a")
    wrong = {"a": dataclasses.replace(observed.auth_secrets["a"], policy=secret_policy(SOURCE))}  # type: ignore[arg-type]
    steps = _general_actions(_general("a"), dataclasses.replace(observed, auth_secrets=wrong))
    assert ("secret-policy", "a", "update") in steps
