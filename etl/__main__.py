"""Entry point: python -m etl."""

import sys

from etl.cli import main

sys.exit(main())
