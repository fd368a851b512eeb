"""``python -m mali_geo``: see :mod:`mali_geo.cli`."""

import sys

from mali_geo.cli import main

sys.exit(main())
