"""Run every benchmark: python -m benchmarks [--quick]."""

import sys

from benchmarks.run import main

sys.exit(main(sys.argv[1:]))
