"""Allows `python -m tema ...`."""

from tema.cli import app

app(prog_name="tema")
