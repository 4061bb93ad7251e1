"""``python -m sufficiency``: the command line, as the ``sufficiency`` script runs it
(for an analyst whose environment has the package but not its script on the PATH)."""

import sys

from sufficiency.cli import main

if __name__ == "__main__":
    sys.argv[0] = "sufficiency"
    sys.exit(main())
