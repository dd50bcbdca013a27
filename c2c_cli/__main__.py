"""Entry point for ``python -m c2c_cli``."""

import sys

from c2c_cli.cli import main

sys.exit(main())
