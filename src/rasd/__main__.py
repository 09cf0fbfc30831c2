"""``python -m rasd`` runs the CLI."""

import sys

from rasd.cli import main

sys.exit(main())
