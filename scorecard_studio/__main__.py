"""``python -m scorecard_studio``: the same as the ``scorecard-studio`` command."""

import sys

from scorecard_studio.launcher import main

sys.exit(main())
