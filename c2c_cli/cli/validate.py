"""c2c validate (in progress)."""

import typer

app = typer.Typer()
