"""Inspector: offline work-safety inspections for the Xingguo ETDZ.

The package root imports nothing heavy: the core (``inspector.core``, ``inspector.db``)
is Qt-free, and only ``inspector.ui`` imports PySide6.
"""

__version__ = "0.1.0"
