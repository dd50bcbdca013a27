"""render_project and list_templates: what a project holds, and that bad input writes nothing."""

import datetime as dt
import json
import py_compile
from pathlib import Path

import pytest
import yaml

from c2c_cli.config import load_config
from c2c_cli.contract import validate_document
from c2c_cli.errors import UsageError
from c2c_cli.scaffold import (
    DEFAULT_VENDOR_URL,
    ScaffoldError,
    TemplateInfo,
    get_template,
    list_templates,
    render_project,
)

TEMPLATES = ["oauth2", "general-auth"]
# The roles the issue requires of every generated project.
REQUIRED = {
    "connector/handler.py",
    "connector/operations/activate_user.py",
    "connector/operations/discover_devices.py",
    "connector/operations/send_command.py",
    "connector/operations/deactivate_user.py",
    "connector/matter_map.py",
    "connector/vendor.py",
    "connector/events.py",
    "connector/webhook.py",
    "connector/auth.py",
    "c2c.yaml",
    "template.yaml",
    "pyproject.toml",
    "requirements.txt",
    "README.md",
    "events/activate_user.json",
    "events/discover_devices.json",
    "events/send_command.json",
    "events/deactivate_user.json",
    "tests/conftest.py",
    "tests/test_e2e_sandbox.py",
    ".gitignore",
}


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Ref, !GetAtt, !Sub) as plain values."""


_CfnLoader.add_multi_constructor("!", lambda loader, suffix, node: loader.construct_scalar(node))


def _fixed_clock() -> dt.datetime:
    return dt.datetime(2026, 1, 2, tzinfo=dt.UTC)


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir())


def test_templates_are_listed_default_first():
    names = [t.name for t in list_templates()]

    assert names == ["oauth2", "general-auth"]
    assert get_template(None).name == "oauth2"
    assert list_templates()[0].to_json() == {
        "name": "oauth2",
        "description": list_templates()[0].description,
        "auth": "oauth2",
        "default": True,
    }


def test_an_unknown_template_is_a_usage_error_naming_the_choices():
    with pytest.raises(UsageError) as caught:
        get_template("graphql")

    assert "oauth2, general-auth" in (caught.value.hint or "")


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_project_has_every_required_role(tmp_path, template):
    result = render_project(template, tmp_path / "acme", name="acme-connector", clock=_fixed_clock)

    assert REQUIRED <= set(result.files)
    assert sorted(
        str(p.relative_to(result.dest).as_posix()) for p in result.dest.rglob("*") if p.is_file()
    ) == list(result.files)
    assert not any(f.endswith(".j2") or Path(f).name.startswith("_h") for f in result.files)
    assert result.to_json() == {
        "path": str(tmp_path / "acme"),
        "template": template,
        "name": "acme-connector",
        "files": list(result.files),
    }


@pytest.mark.parametrize(("template", "auth"), [("oauth2", "oauth2"), ("general-auth", "general")])
def test_c2c_yaml_loads_with_the_project_config_loader(tmp_path, template, auth):
    render_project(template, tmp_path / "p", name="acme-connector", vendor_url="https://api.vendor.example/")

    config = load_config(tmp_path / "p")

    assert (config.connector.name, config.connector.auth) == ("acme-connector", auth)
    assert config.connector.handler == "connector.handler:lambda_handler"
    assert config.function_name == "acme-connector"
    if auth == "oauth2":
        assert config.oauth is not None
        assert config.oauth.token_url == "https://api.vendor.example/oauth/token"
        assert config.oauth.revocation_url == "https://api.vendor.example/oauth/revoke"


@pytest.mark.parametrize("template", TEMPLATES)
def test_sam_template_has_functions_url_and_permissions(tmp_path, template):
    render_project(template, tmp_path / "p", name="acme-connector")
    sam = yaml.load((tmp_path / "p" / "template.yaml").read_text(), Loader=_CfnLoader)

    resources = sam["Resources"]
    assert resources["ConnectorFunction"]["Properties"]["Handler"] == "connector.handler.lambda_handler"
    assert resources["ConnectorFunction"]["Properties"]["FunctionName"] == "acme-connector"
    assert resources["WebhookFunction"]["Properties"]["FunctionUrlConfig"]["AuthType"] == "NONE"
    assert sam["Globals"]["Function"]["Runtime"] == "python3.12"
    statements = resources["ConnectorFunction"]["Properties"]["Policies"][1]["Statement"]
    actions = {s["Action"] for s in statements}
    assert "iotmanagedintegrations:SendConnectorEvent" in actions
    assert "secretsmanager:GetSecretValue" in actions  # the API keys (general) / the client secret (oauth2)
    assert (
        resources["ConnectorInvokePermission"]["Properties"]["Principal"]
        == "iotmanagedintegrations.amazonaws.com"
    )
    if template == "general-auth":
        (decrypt,) = [s for s in statements if s["Action"] == "kms:Decrypt"]
        assert decrypt["Condition"] == {"StringLike": {"kms:ViaService": "secretsmanager.*.amazonaws.com"}}


@pytest.mark.parametrize("template", TEMPLATES)
def test_python_sources_are_copied_verbatim_and_compile(tmp_path, template):
    result = render_project(template, tmp_path / "p", name="acme-connector")
    layers = get_template(template).layers

    for name in (f for f in result.files if f.endswith(".py")):
        source = next(layer / name for layer in reversed(layers) if (layer / name).is_file())
        assert (result.dest / name).read_bytes() == source.read_bytes()
        py_compile.compile(str(result.dest / name), doraise=True, cfile=str(tmp_path / "out.pyc"))


@pytest.mark.parametrize("template", TEMPLATES)
def test_sample_requests_are_strictly_valid_for_the_templates_auth(tmp_path, template):
    result = render_project(template, tmp_path / "p", name="acme-connector")

    # Papercut of issue 13: everything in events/ is a C2C request c2c validate knows; the webhook
    # delivery (a Function URL event, not a contract document) lives in webhook_events/.
    samples = [f for f in result.files if f.startswith("events/")]
    assert len(samples) == 4
    assert "webhook_events/delivery.json" in result.files
    for name in samples:
        doc = json.loads((result.dest / name).read_text())
        assert doc["header"]["auth"]["type"] == (
            "OAuth2.0" if template == "oauth2" else "GeneralAuthorization"
        )
        report = validate_document(doc, strict=True)
        assert report.valid and report.kind.endswith(".request"), (name, report.violations)


def test_the_vendor_url_and_date_are_substituted(tmp_path):
    render_project(
        "oauth2",
        tmp_path / "p",
        name="acme-connector",
        vendor_url="http://127.0.0.1:9999/",
        clock=_fixed_clock,
    )

    readme = (tmp_path / "p" / "README.md").read_text()
    assert "http://127.0.0.1:9999" in readme and "2026-01-02" in readme
    assert "Default: http://127.0.0.1:9999\n" in (tmp_path / "p" / "template.yaml").read_text()


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("1acme", DEFAULT_VENDOR_URL),
        ("acme connector", DEFAULT_VENDOR_URL),
        ("a" * 65, DEFAULT_VENDOR_URL),
        ("acme", "ftp://x"),
        ("acme", "http://127.0.0.1.evil.com:8787"),
        ("acme", "http://api.vendor.example"),
    ],
    ids=["leading-digit", "space", "too-long", "bad-url", "lookalike-loopback", "plain-http"],
)
def test_bad_input_is_a_usage_error_and_writes_nothing(tmp_path, name, url):
    with pytest.raises(UsageError):
        render_project("oauth2", tmp_path / "p", name=name, vendor_url=url)

    assert _leftovers(tmp_path) == []


def test_a_non_empty_directory_is_refused_without_force(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "notes.txt").write_text("mine")

    with pytest.raises(UsageError, match="not empty"):
        render_project("oauth2", tmp_path / "p", name="acme")

    assert _leftovers(tmp_path / "p") == ["notes.txt"]
    assert _leftovers(tmp_path) == ["p"]


def test_force_writes_the_template_and_keeps_other_files(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "notes.txt").write_text("mine")
    (tmp_path / "p" / "README.md").write_text("old")

    render_project("oauth2", tmp_path / "p", name="acme", force=True)

    assert (tmp_path / "p" / "notes.txt").read_text() == "mine"
    assert (tmp_path / "p" / "README.md").read_text().startswith("# acme")
    assert _leftovers(tmp_path) == ["p"]


def test_an_empty_existing_directory_is_fine(tmp_path):
    (tmp_path / "p").mkdir()

    result = render_project("general-auth", tmp_path / "p", name="acme")

    assert (result.dest / "connector" / "auth.py").is_file()


def test_a_file_in_the_way_is_refused(tmp_path):
    (tmp_path / "p").write_text("x")

    with pytest.raises(UsageError, match="not a directory"):
        render_project("oauth2", tmp_path / "p", name="acme", force=True)


def test_a_failing_template_leaves_nothing_behind(tmp_path):
    layer = tmp_path / "layer"
    (layer / "sub").mkdir(parents=True)
    (layer / "sub" / "fine.txt").write_text("ok")
    (layer / "broken.txt.j2").write_text("{{ no_such_variable }}")
    broken = TemplateInfo("broken", "a broken template", "oauth2", False, (layer,))
    out = tmp_path / "out"
    out.mkdir()

    with pytest.raises(ScaffoldError, match=r"broken\.txt\.j2"):
        render_project(broken, out / "p", name="acme")

    assert _leftovers(out) == []


def test_an_unwritable_parent_is_a_scaffold_error(tmp_path):
    (tmp_path / "file").write_text("x")

    with pytest.raises(ScaffoldError):
        render_project("oauth2", tmp_path / "file" / "p", name="acme")


def test_the_readme_exports_the_client_secret_variable_before_the_login(tmp_path):
    # issue 13 §18: following the README top to bottom, 'c2c oauth login' finds its secret.
    result = render_project("oauth2", tmp_path / "p", name="acme-connector")
    variable = load_config(result.dest).oauth.client_secret_env
    lines = (result.dest / "README.md").read_text().splitlines()
    login = next(i for i, line in enumerate(lines) if line.startswith("c2c oauth login"))
    exports = [i for i, line in enumerate(lines) if line.startswith(f"export {variable}=")]
    assert exports and exports[0] < login


def test_general_auth_c2c_yaml_declares_one_material_read_from_the_environment(tmp_path):
    render_project("general-auth", tmp_path / "p", name="acme-connector")

    config = load_config(tmp_path / "p")

    assert config.general_auth is not None
    assert [(m.name, m.secret_env) for m in config.general_auth.materials] == [
        ("vendor-api-key", "VENDOR_API_KEY_SECRET")
    ]
