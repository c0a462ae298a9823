"""The provider connection one batch of messages is sent over.

``provider_connection()`` opens Django's email connection (for anymail's HTTP backends: one
``requests`` session, its socket kept alive) for a whole batch. requests reads the proxy and CA
bundle settings from the process environment again for every request (``trust_env``): it walks
all of ``os.environ`` each time, about a sixteenth of an email worker's time under load. The
environment does not change inside a batch, so each session reads it once per provider host and
reuses the answer; a proxy or ``NO_PROXY`` set in the environment still applies exactly as
requests decides it.

Layer: bottom of the outbox (Django's mail and requests only); ``outbox.deliver`` uses it.
"""

from contextlib import contextmanager
from urllib.parse import urlsplit

import requests
from django.core.mail import get_connection


def environment_read_once(session) -> None:
    """Make ``session`` ask the environment once per (scheme, host, arguments), not per request."""
    if not isinstance(session, requests.Session) or not session.trust_env:
        return
    read = session.merge_environment_settings
    answers: dict = {}

    def merge_environment_settings(url, proxies, stream, verify, cert):
        scheme, host = urlsplit(url)[:2]
        key = (scheme, host, tuple(sorted((proxies or {}).items())), stream, verify, cert)
        if key not in answers:
            answers[key] = read(url, proxies, stream, verify, cert)
        settings = dict(answers[key])
        settings["proxies"] = dict(settings.get("proxies") or {})  # requests may change its copy
        return settings

    session.merge_environment_settings = merge_environment_settings


@contextmanager
def provider_connection():
    """Django's email connection, opened for one batch and closed after it."""
    with get_connection() as provider:
        environment_read_once(getattr(provider, "session", None))
        yield provider
