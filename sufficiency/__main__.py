"""``python -m sufficiency``: the command line, as the ``sufficiency`` script runs it
(for an analyst whose environment has the package but not its script on the PATH)."""

import sys

from sufficiency.cli import main

if __name__ == "__main__":
    # its usage and 'Try ... --help' lines name it as typed: click alone wrote
    # 'python -m sufficiency.sufficiency', a module that does not exist
    sys.exit(main(prog_name="python -m sufficiency"))
