"""Static files served straight from the source folders, for dev and test: no collectstatic.

Imported by ``dev`` and ``test`` after ``base``; production serves collected, hashed files.
"""

from pathlib import Path

from .base import STATIC_ROOT

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# WhiteNoise warns at start-up when STATIC_ROOT does not exist, even when it serves from finders.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
