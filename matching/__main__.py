"""``python -m matching``: see matching/cli.py."""
import sys

from .cli import main

sys.exit(main())
