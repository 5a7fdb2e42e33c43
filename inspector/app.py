"""GUI entry: hands the composed services to the Qt layer (imported only here, lazily)."""

from __future__ import annotations

from inspector.services import Services


def run_gui(services: Services) -> int:
    """The window on ``services``; on the office database (a saved connection or ``--database URL``) the
    server is reached first, and when it does not answer the person may open the local file instead."""
    from inspector.ui.application import create_application, run

    if not services.database_url:
        return run(services)
    from inspector.ui.setup.office_start import open_office_at_start

    create_application()
    chosen = open_office_at_start(services)
    if chosen is None:  # the person chose to quit rather than open the local file
        return 3
    try:
        return run(chosen)
    finally:
        if chosen is not services:
            chosen.close()
