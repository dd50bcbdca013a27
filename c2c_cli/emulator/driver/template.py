"""A project's SAM ``template.yaml`` as ``sam local`` reads it: the function's environment variables.

``c2c emulator start --connector DIR`` runs the function with the ``Environment.Variables`` the template
gives it (``Globals.Function`` merged with the function's own, as SAM merges them), so a project made
with ``c2c init --vendor-url URL`` reaches its vendor without ``--connector-env`` (issue 13 §8).
``!Ref Param`` takes the parameter's ``--parameter`` override, else its ``Default``; ``!Sub`` is
substituted when every ``${Name}`` resolves; ``AWS::Region`` / ``AWS::AccountId`` are the emulator's.
A ``!Ref`` to an ``AWS::DynamoDB::Table`` resource (the template's ``StateTable``) is the table's name
(its ``TableName``, else ``<function>-<LogicalId>[-<suffix>]``, the suffix telling emulators apart): such variables are kept apart in
:attr:`TemplateEnvironment.table_env`, set only where the table exists (the emulator creates it in its
companion moto server, ``driver.tables``). Anything else (``!GetAtt``, a ``!Ref`` to another resource,
a parameter without a value) cannot be known locally: the variable is left unset and a warning says so. The YAML loader knows CloudFormation's short
tags and turns them into plain data; nothing in the template is executed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2c_cli.errors import ConfigError, UsageError

__all__ = ["TemplateEnvironment", "parse_parameters", "read_template", "template_environment"]

_SUB = re.compile(r"\$\{([^}!][^}]*)\}")
_NAME = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class TemplateEnvironment:
    """What the template gives a function.

    Attributes:
        env: the variables that resolved.
        warnings: one line per variable left unset (and per unknown ``--parameter``).
        tables: the template's DynamoDB tables: ``(name, Properties)`` per ``AWS::DynamoDB::Table``.
        table_env: the variables that name one of those tables (``STATE_TABLE``), by value.
    """

    env: dict[str, str]
    warnings: tuple[str, ...]
    tables: tuple[tuple[str, dict[str, Any]], ...] = ()
    table_env: dict[str, str] = field(default_factory=dict)


def parse_parameters(items: list[str], overrides: str | None = None) -> dict[str, str]:
    """``--parameter KEY=VALUE`` items plus a ``--parameter-overrides "K=V K2=V2"`` string (it wins).

    Raises:
        UsageError: listing every item that is not ``KEY=VALUE`` with an alphanumeric key.
    """
    pairs = [*items, *(overrides or "").split()]
    bad = [p for p in pairs if not _NAME.fullmatch(p.partition("=")[0]) or "=" not in p]
    if bad:
        raise UsageError(f"--parameter wants KEY=VALUE (KEY alphanumeric), got: {', '.join(bad)}")
    return dict(p.partition("=")[::2] for p in pairs)


def _loader() -> type[Any]:
    import yaml

    class _CfnLoader(yaml.SafeLoader):
        """SafeLoader plus CloudFormation's short tags, loaded as their long (``Fn::``) form."""

    def _short(loader: Any, suffix: str, node: Any) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {"Ref" if suffix == "Ref" else f"Fn::{suffix}": value}

    _CfnLoader.add_multi_constructor("!", _short)
    return _CfnLoader


def read_template(path: Path) -> dict[str, Any]:
    """A SAM/CloudFormation template as plain data (short tags as their ``Fn::`` form).

    Raises:
        ConfigError: it cannot be read or is not a mapping.
    """
    return _read(path)


def _read(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_loader())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError([f"cannot read: {exc}"], source=str(path)) from None
    if not isinstance(data, dict):
        raise ConfigError(["must be a mapping (a SAM/CloudFormation template)"], source=str(path))
    return data


def _variables(block: Any) -> dict[str, Any]:
    variables = (block or {}).get("Environment", {}).get("Variables") if isinstance(block, dict) else None
    return dict(variables) if isinstance(variables, dict) else {}


def _function(resources: dict[str, Any], name: str, handler: str) -> dict[str, Any]:
    """The function resource the attachment plays: by ``FunctionName``, else by ``Handler``."""
    functions = [
        r.get("Properties") or {}
        for r in resources.values()
        if isinstance(r, dict) and r.get("Type") in ("AWS::Serverless::Function", "AWS::Lambda::Function")
    ]
    dotted = handler.replace(":", ".")
    for key, wanted in (("FunctionName", name), ("Handler", dotted)):
        found = [p for p in functions if isinstance(p, dict) and p.get(key) == wanted]
        if found:
            return dict(found[0])
    return {}


class _Resolver:
    def __init__(self, parameters: Mapping[str, Any], pseudo: Mapping[str, str]) -> None:
        self.values = {**pseudo, **{k: str(v) for k, v in parameters.items() if v is not None}}

    def resolve(self, value: Any) -> str | None:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, str | int | float):
            return str(value)
        if isinstance(value, dict) and list(value) == ["Ref"]:
            return self.values.get(str(value["Ref"]))
        if isinstance(value, dict) and list(value) == ["Fn::Sub"] and isinstance(value["Fn::Sub"], str):
            names = _SUB.findall(value["Fn::Sub"])
            if all(n in self.values for n in names):
                return _SUB.sub(lambda m: self.values[m.group(1)], value["Fn::Sub"])
        return None


def _defaults(template: dict[str, Any], overrides: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    declared = template.get("Parameters") or {}
    values = {k: (v or {}).get("Default") for k, v in declared.items() if isinstance(v, dict)}
    unknown = [
        f"template.yaml has no parameter {k} (--parameter {k}=... ignored)"
        for k in overrides
        if k not in values
    ]
    return {**values, **overrides}, unknown


def template_environment(
    project_dir: Path,
    function: str,
    handler: str,
    overrides: Mapping[str, str],
    pseudo: Mapping[str, str],
    table_suffix: str = "",
) -> TemplateEnvironment:
    """The environment ``template.yaml`` gives ``function`` (empty without a template).

    Args:
        project_dir: the project (``template.yaml`` at its root).
        function: the function name the attachment plays.
        handler: its ``module:function`` entry point (matches ``Handler`` when no name does).
        overrides: ``--parameter`` values.
        pseudo: pseudo parameters (``AWS::Region``, ``AWS::AccountId``).
        table_suffix: appended to generated table names (CloudFormation appends a random one too).

    Raises:
        ConfigError: the template cannot be read.
    """
    path = project_dir / "template.yaml"
    if not path.is_file():
        return TemplateEnvironment({}, ())
    template = _read(path)
    parameters, warnings = _defaults(template, overrides)
    resolver = _Resolver(parameters, pseudo)
    resources = template.get("Resources") or {}
    tables = _tables(resources, "-".join(filter(None, (function, "{}", table_suffix))), resolver)
    by_table = _Resolver({logical: name for logical, (name, _) in tables.items()}, {})
    globals_ = (template.get("Globals") or {}).get("Function")
    props = _function(resources, function, handler)
    env: dict[str, str] = {}
    table_env: dict[str, str] = {}
    for key, value in {**_variables(globals_), **_variables(props)}.items():
        resolved = resolver.resolve(value)
        table = by_table.resolve(value) if resolved is None and _is_ref(value) else None
        if resolved is not None:
            env[str(key)] = resolved
        elif table is not None:
            table_env[str(key)] = table
        else:
            warnings.append(f"template.yaml: {key} = {_show(value)} has no local value; left unset")
    return TemplateEnvironment(env, tuple(warnings), tuple(tables.values()), table_env)


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and list(value) == ["Ref"]


def _tables(
    resources: dict[str, Any], pattern: str, resolver: _Resolver
) -> dict[str, tuple[str, dict[str, Any]]]:
    """``LogicalId -> (table name, Properties)`` of every ``AWS::DynamoDB::Table`` (``pattern`` names it)."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for logical, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::DynamoDB::Table":
            continue
        raw = resource.get("Properties")
        props: dict[str, Any] = raw if isinstance(raw, dict) else {}
        name = resolver.resolve(props.get("TableName")) if "TableName" in props else None
        found[str(logical)] = (name or pattern.format(logical)[:255], dict(props))
    return found


def _show(value: Any) -> str:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, arg),) = value.items()
        short = "!Ref" if tag == "Ref" else "!" + str(tag).removeprefix("Fn::")
        return f"{short} {arg if not isinstance(arg, list) else '.'.join(map(str, arg))}"
    return repr(value)
