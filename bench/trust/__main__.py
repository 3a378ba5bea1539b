"""``python -m bench.trust``."""

import sys

from bench.trust.cli import main

if __name__ == "__main__":
    sys.exit(main())
