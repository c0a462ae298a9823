"""The session's state machine: forward-only, each change stored once as a ``CallEvent``.

Twilio's reports can arrive late, twice, or out of order (a "ringing" after "in-progress", a
status callback replayed after a network blip). ``state_advance`` stores a change under its
idempotency key once, and moves the session only forward in ``RANK``; a terminal state is final.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import TERMINAL_STATES, CallEvent, CallSession, CallState

RANK = {
    CallState.REQUESTED: 0,
    CallState.RINGING: 1,
    CallState.IN_PROGRESS: 2,
    CallState.CONNECTED: 3,
    CallState.COMPLETED: 9,
    CallState.NO_ANSWER: 9,
    CallState.FAILED: 9,
}

# Twilio's CallStatus for the supporter's own call -> our state.
TWILIO_CALL_STATUS = {
    "queued": CallState.REQUESTED,
    "initiated": CallState.REQUESTED,
    "ringing": CallState.RINGING,
    "in-progress": CallState.IN_PROGRESS,
    "completed": CallState.COMPLETED,
    "busy": CallState.NO_ANSWER,
    "no-answer": CallState.NO_ANSWER,
    "canceled": CallState.FAILED,
    "failed": CallState.FAILED,
}


def state_advance(*, session: CallSession, state: str, key: str, position: int | None = None, detail: str = "") -> bool:
    """Store the change under ``key`` (once per session) and move the session forward to ``state``.

    True when the session moved. Connected to the next office counts as forward even though the
    state name repeats (``position`` grows). A session that has ended never moves again; a
    supporter who never picked up (still ringing when the call ended) ends as "no answer".
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                CallEvent.objects.create(session=session, key=key[:64], state=state, position=position, detail=detail)
        except IntegrityError:
            return False  # this report was stored before
        current = CallSession.objects.select_for_update().get(pk=session.pk)
        if current.state in TERMINAL_STATES:
            return False
        if state == CallState.COMPLETED and RANK[current.state] < RANK[CallState.IN_PROGRESS]:
            state = CallState.NO_ANSWER
        moves = RANK[state] > RANK[current.state] or (
            state == CallState.CONNECTED and position is not None and position > current.position
        )
        if not moves:
            return False
        fields = {"state": state, "updated_at": timezone.now()}
        if position is not None:
            fields["position"] = position
        if state in TERMINAL_STATES:
            fields.update(ended_at=timezone.now(), phone="")  # the number is no longer needed
        CallSession.objects.filter(pk=session.pk).update(**fields)
        for name, value in fields.items():
            setattr(session, name, value)
        return True
