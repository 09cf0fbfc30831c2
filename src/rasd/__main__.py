"""``python -m rasd`` runs the CLI.

The guard matters: worker processes started by *spawn* (macOS, Windows, Dask's
``LocalCluster``) import this module again as ``__mp_main__``, and must not run
the command a second time.
"""

import sys

from rasd.cli import main

if __name__ == "__main__":
    sys.exit(main())
