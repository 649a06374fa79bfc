"""``python -m matching``: see matching/cli.py."""
import os
import sys

from .cli import main

code = main()
# A batch process: skip the interpreter's teardown, which would free the index's millions of
# small objects one by one (tens of milliseconds) only to return them to the OS anyway.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
