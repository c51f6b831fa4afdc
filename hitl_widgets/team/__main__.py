"""``python -m hitl_widgets.team init URL``: see :mod:`hitl_widgets.team.setup`."""

import sys

from .setup import main

sys.exit(main())
