"""``python -m hub`` is the ``hub`` command (how `hub up` starts its children with the same interpreter)."""

from hub.cli import app

app(prog_name="hub")
