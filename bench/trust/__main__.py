"""``python -m bench.trust``."""

import sys

from bench.trust.cli import main

sys.exit(main())
