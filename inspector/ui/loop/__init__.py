"""The closed loop: dashboard, hazard window, re-inspection, and their wiring into the main window."""
