"""``python -m matching``: see matching/cli.py."""
import os
import sys

# The engine multiplies sparse matrices only, never dense ones, so OpenBLAS's worker thread
# would just spin after numpy's import (about 0.05-0.1 s of CPU per run). A value the user
# set is kept. numpy is not imported yet: the package imports it lazily.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .cli import main  # noqa: E402

code = main()
# A batch process: skip the interpreter's teardown, which would free the index's millions of
# small objects one by one (tens of milliseconds) only to return them to the OS anyway.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
