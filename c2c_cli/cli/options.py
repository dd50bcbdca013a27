"""Options that several commands share, declared once (``Annotated`` aliases, STYLE.md Typer style).

A command module imports the alias instead of declaring ``typer.Option(...)`` again, so ``--project``
or ``--json`` read the same in every command's help. Options that only one command group has stay in
that group's module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["AwsProfile", "Json", "Project", "Region", "TokenProfile"]

#: the connector project directory (holds c2c.yaml).
Project = Annotated[
    Path, typer.Option("--project", "-p", help="Connector project directory (holds c2c.yaml).")
]
#: stable JSON on stdout instead of the table (STYLE.md §4).
Json = Annotated[bool, typer.Option("--json", help="Print the result as stable JSON (sorted keys).")]
#: the AWS named profile; precedence flag > AWS_PROFILE > c2c.yaml aws.profile.
AwsProfile = Annotated[
    str | None, typer.Option("--profile", help="AWS named profile (> AWS_PROFILE > aws.profile).")
]
#: the AWS region; precedence flag > AWS_REGION > c2c.yaml aws.region.
Region = Annotated[str | None, typer.Option("--region", help="AWS region (> AWS_REGION > aws.region).")]
#: the ``c2c oauth`` token profile (several signed-in users per project).
TokenProfile = Annotated[str, typer.Option("--profile", help="Token profile name (c2c oauth).")]
