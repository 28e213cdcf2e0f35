"""``python -m broadcast``."""

import sys

from broadcast.cli import main

sys.exit(main())
