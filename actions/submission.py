"""What every route hands intake (``Submission``) and what intake hands back (``ActionResult``).

Both are re-exported by ``actions.intake``, where callers name them.
"""

from dataclasses import dataclass

from .models import Action, Supporter


@dataclass(frozen=True)
class Submission:
    """How an action reached us, as the route saw it: what intake weighs to flag it.

    ``honeypot`` is the hidden field people never fill in. ``started`` is the signed token of
    the form that was shown (``actions.fill_time``), or None on routes that show no form to fill
    (one button, one-click link, call and share logs), where time-to-fill means nothing.
    """

    ip_hash: str = ""
    honeypot: str = ""
    started: str | None = None
    source: str = ""
    referrer_code: str = ""
    # Read only when an attempt is over the per-address limit, to tell a crowd from a script
    # (``actions.crowd``): the browser's user agent and, on the petition form, the name typed.
    user_agent: str = ""
    signer_name: str = ""
    # True when the action came through an event's link during the event (the route checked):
    # a whole crowd shares one network there, so the per-address limit does not apply.
    at_event: bool = False
    # The partner whose embed this came through (``partners.Partner`` id), or None.
    partner_id: int | None = None
    # The language of the page the action came through (one of LANGUAGES' codes; empty: unknown).
    language: str = ""


@dataclass(frozen=True)
class ActionResult:
    action: Action
    supporter: Supporter
    created: bool
