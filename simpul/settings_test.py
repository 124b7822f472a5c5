"""Settings for pytest: the test environment with its fast defaults."""

import os

os.environ.setdefault("SIMPUL_ENV", "test")

from simpul.settings import *  # noqa: E402,F403
