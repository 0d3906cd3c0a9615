"""Allows `python -m tema ...`."""

from tema.cli.main import app

app(prog_name="tema")
