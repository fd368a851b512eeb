"""Stop with one clear line when this Python is older than the project needs.

Kept to syntax that old Python 3 interpreters can parse, so that they reach the message.
"""

import sys

if sys.version_info < (3, 11):
    sys.exit(
        "The Mali crisis map needs Python 3.11 or newer; this python3 is "
        + sys.version.split()[0]
        + ". Install Python 3.11+ (Debian 12 ships 3.11) and run the command again."
    )
