"""``python -m vending``: the same as the ``vending`` command."""

from __future__ import annotations

import sys

from vending.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
