"""c2c events (in progress)."""

import typer

app = typer.Typer()
