"""Start Inspector from a source checkout: ``python main.py [--data-dir DIR] [command]``."""

import sys

from inspector.cli import main

if __name__ == "__main__":
    sys.exit(main())
