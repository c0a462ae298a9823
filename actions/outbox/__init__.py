"""The email outbox: every message a supporter's email action sends, from composing to tracking.

Four modules, each importing only those before it:

- ``compose``: a campaign's templates filled in for one target and one supporter (also the
  call script, so both are cleaned the same way), and the header values of a message;
- ``take``: the email action and its outbox rows in one transaction, and the live switch;
- ``deliver``: claiming and sending one row, retries with backoff, the relay, daily digests;
- ``tracking``: the provider's delivery events, stored once and applied in any order.

The outbox row is the truth: it is written in the same transaction as the action, Celery is
only asked to wake a worker after commit (``actions.publish``), and a worker sends a row only
after winning an atomic claim on it.
"""
