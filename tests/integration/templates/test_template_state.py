"""The generated project's durable state: its DynamoDB store, its permissions, and the table the emulator
and the simulator give it (template.yaml's ``StateTable`` in the companion moto server, issue 16).

The project's own ``tests/test_store.py`` creates the ``StateTable`` resource of its ``template.yaml`` in
moto (keys, TTL) and runs every store operation and race against it; here it runs in c2c's environment
(moto, PyYAML and boto3 are c2c's dependencies too), so a change to the template's table or store is
caught without building the project's venv.
"""

import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.emulator import EmulatorSettings, project_attachment, start_emulator
from c2c_cli.emulator.driver.template import read_template
from c2c_cli.simulate.environment import SandboxOptions
from c2c_cli.simulate.session import SessionOptions, simulation
from c2c_cli.simulate.simulator import SimulationSettings

pytestmark = [pytest.mark.timeout(300)]
runner = CliRunner()
PSEUDO = {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}


def _init(tmp_path: Path, template: str) -> Path:
    result = runner.invoke(
        app, ["init", str(tmp_path / "acme"), "--template", template, "--no-input", "--json"]
    )
    assert result.exit_code == 0, result.output
    return Path(json.loads(result.stdout)["path"])


def _keys(endpoint: str, table: str) -> list[str]:
    client = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return sorted(item["pk"]["S"] for item in client.scan(TableName=table)["Items"])


@pytest.mark.parametrize("template", ["oauth2", "general-auth"])
def test_the_dynamodb_store_passes_the_projects_store_tests(tmp_path, template, clean_env):
    project = _init(tmp_path, template)

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "tests/test_store.py", "-k", "dynamodb"],
        cwd=project,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=240,
    )

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    passed = [line for line in run.stdout.splitlines() if line.startswith("PASSED")]
    assert any("race" in line and "[dynamodb]" in line for line in passed), run.stdout[-2000:]
    assert "skipped" not in run.stdout.lower()


@pytest.mark.parametrize("template", ["oauth2", "general-auth"])
def test_the_function_may_invoke_itself_and_nothing_else(tmp_path, template):
    project = _init(tmp_path, template)

    resources = read_template(project / "template.yaml")["Resources"]
    statements = [
        s for p in resources["ConnectorFunction"]["Properties"]["Policies"] for s in p.get("Statement", [])
    ]
    invoke = [s for s in statements if "lambda:InvokeFunction" in str(s["Action"])]
    assert invoke == [
        {
            "Sid": "ContinueDiscovery",
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": {"Fn::Sub": "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:acme"},
        }
    ]
    # !GetAtt ConnectorFunction.Arn inside the function's own properties would be a circular dependency
    assert "ConnectorFunction.Arn" not in json.dumps(resources["ConnectorFunction"]["Properties"])


def test_the_emulator_creates_the_state_table_and_names_it_to_the_function(tmp_path):
    project = _init(tmp_path, "oauth2")
    attachment, warnings = project_attachment(project, pseudo=PSEUDO)
    assert not any("STATE_TABLE" in w for w in warnings)  # a table is not "unknowable" any more

    settings = EmulatorSettings(port=0, db=":memory:", connectors=(attachment,))
    with start_emulator(settings) as emulator:
        client = boto3.client("dynamodb", **_client_args(emulator))
        variables = boto3.client("lambda", **_client_args(emulator)).get_function_configuration(
            FunctionName="acme"
        )["Environment"]["Variables"]
        table = variables["STATE_TABLE"]
        described = client.describe_table(TableName=table)["Table"]
        ttl = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]

    assert table.startswith("acme-StateTable-")
    assert variables["AWS_ENDPOINT_URL_DYNAMODB"] == emulator.aws_endpoint_url
    assert described["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires")


def test_each_emulator_gets_its_own_empty_table(tmp_path):
    # moto's state lives as long as the process: a second emulator (the pytest plugin, c2c test
    # in-process) must not find the first one's records (a webhook registered at another sandbox).
    project = _init(tmp_path, "oauth2")
    names = []
    for _ in range(2):
        with start_emulator(EmulatorSettings(port=0, db=":memory:")) as emulator:
            env = emulator.state_tables(project, "acme")
            assert emulator.state_tables(project, "acme") == env  # attached twice: the same table
            names.append(env["STATE_TABLE"])
            assert _keys(env["AWS_ENDPOINT_URL_DYNAMODB"], env["STATE_TABLE"]) == []
            boto3.client("dynamodb", **_client_args(emulator)).put_item(
                TableName=env["STATE_TABLE"], Item={"pk": {"S": "hook:user:alice"}}
            )
    assert names[0] != names[1]


def test_without_moto_the_table_stays_unset(tmp_path):
    project = _init(tmp_path, "oauth2")
    attachment, _ = project_attachment(project, pseudo=PSEUDO)

    settings = EmulatorSettings(port=0, db=":memory:", with_moto=False, connectors=(attachment,))
    with start_emulator(settings) as emulator:
        assert emulator.state_tables(project, "acme") == {}
    assert "STATE_TABLE" not in dict(attachment.env)


@pytest.mark.parametrize("template", ["oauth2", "general-auth"])
def test_a_simulated_connector_keeps_its_state_in_the_table(tmp_path, template):
    project = _init(tmp_path, template)
    options = SessionOptions(sandbox=SandboxOptions(), settings=SimulationSettings(wait_s=3.0))

    with simulation(project, options) as simulator:
        assert simulator.activate().ok
        discovered = simulator.discover()
        env = simulator.environment.env
        keys = _keys(env["AWS_ENDPOINT_URL_DYNAMODB"], env["STATE_TABLE"])

    assert discovered.ok, discovered.violations
    assert any(k.startswith("user:") for k in keys), keys
    assert any(k.startswith("disc:") for k in keys), keys


def _client_args(emulator) -> dict[str, str]:
    return {
        "endpoint_url": emulator.aws_endpoint_url,
        "region_name": emulator.region,
        "aws_access_key_id": emulator.account.access_key_id,
        "aws_secret_access_key": emulator.account.secret_access_key,
    }
