"""The Qt layer: the only package that imports PySide6. It displays and dispatches; the core decides."""
