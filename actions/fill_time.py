"""Time-to-fill: a signed timestamp put in a form when it is shown, read back when it is posted.

A person takes several seconds to fill in the petition; a script posts at once. The token is
signed, so a bot cannot simply claim it started long ago.
"""

import time

from django.core import signing

_SALT = "actions.forms.started"


def started_token() -> str:
    """The token to put in a form as it is shown."""
    return signing.dumps(int(time.time()), salt=_SALT)


def seconds_since_started(token: str) -> float | None:
    """How long ago the form carrying ``token`` was shown; None when the token is missing or forged."""
    try:
        return time.time() - signing.loads(token or "", salt=_SALT)
    except signing.BadSignature:
        return None
