"""The receiver of anymail's ``tracking`` signal.

anymail's webhook views (wired in ``advocacy/urls.py``, protected by ANYMAIL WEBHOOK_SECRET)
normalise each provider's payload into an ``AnymailTrackingEvent`` and send this signal. The
receiver only stores the event; a worker applies it to the message.
"""

from anymail.signals import tracking
from django.dispatch import receiver

from .outbox.tracking import tracking_event_record


@receiver(tracking, dispatch_uid="actions.webhooks.tracking_received")
def tracking_received(sender, event, esp_name, **kwargs):
    tracking_event_record(esp_name=esp_name, event=event)
