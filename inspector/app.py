"""GUI entry: hands the composed services to the Qt layer (imported only here, lazily)."""

from __future__ import annotations

from inspector.services import Services


def run_gui(services: Services) -> int:
    from inspector.ui.application import run

    return run(services)
