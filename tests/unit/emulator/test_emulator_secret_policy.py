"""The secret resource policy the emulator enforces for General Authorization (moto does not)."""

import json

import pytest

from c2c_cli.emulator.driver.secret_policy import secret_refusal

ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:acme/key-AbCdEf"
SOURCE = "arn:aws:iotmanagedintegrations:us-east-1:222222222222:account-association/abc"


def _policy(principal, effect="Allow", condition=None, action="secretsmanager:GetSecretValue"):
    statement = {"Effect": effect, "Principal": principal, "Action": action, "Resource": "*"}
    if condition is not None:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.mark.parametrize(
    ("policy", "account", "refused"),
    [
        (None, "111111111111", False),  # the secret's own account: identity policies, not modelled
        (None, "222222222222", True),
        (_policy({"AWS": "222222222222"}), "222222222222", False),
        (_policy({"AWS": ["arn:aws:iam::222222222222:root"]}), "222222222222", False),
        (_policy({"AWS": "333333333333"}), "222222222222", True),
        (_policy({"AWS": "222222222222"}, action="secretsmanager:*"), "222222222222", False),
        (_policy({"AWS": "222222222222"}, action="kms:Decrypt"), "222222222222", True),
        (
            _policy({"AWS": "222222222222"}, condition={"ArnLike": {"aws:SourceArn": SOURCE[:-3] + "*"}}),
            "222222222222",
            False,
        ),
        (
            _policy({"AWS": "222222222222"}, condition={"StringEquals": {"aws:SourceArn": SOURCE + "x"}}),
            "222222222222",
            True,
        ),
        (
            _policy({"AWS": "222222222222"}, condition={"Bool": {"aws:SecureTransport": "true"}}),
            "222222222222",
            True,
        ),
        (_policy("*", effect="Deny"), "111111111111", True),
        ("not json", "222222222222", True),
    ],
)
def test_policy_decides_whether_the_connector_account_reads_the_secret(policy, account, refused):
    problem = secret_refusal(policy, ARN, account, SOURCE)
    assert bool(problem) is refused
    assert not problem or problem.startswith("AccessDeniedException")
