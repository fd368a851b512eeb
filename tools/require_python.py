"""Stop with one clear line when this Python is older than the project needs.

Kept to syntax that old Python 3 interpreters can parse, so that they reach the message.
"""

import sys

NEEDED = (3, 11)

if sys.version_info < NEEDED:
    sys.exit(
        "The Mali crisis map needs Python %d.%d or newer; this python3 is %s. "
        "Install Python 3.11+ (Debian 12 ships 3.11) and run the command again."
        % (NEEDED[0], NEEDED[1], sys.version.split()[0])
    )
