"""Where every setting comes from: the project's folders and the one django-environ ``env``.

Every settings module reads the environment through this ``env`` (typed reads, each default
beside its read). A local ``.env`` file fills in what the process environment leaves unset.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Local state that git ignores: the SQLite file, collected static files, uploads, logs.
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env file is optional; the process environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
