"""Outbox messages stay out of Wagtail's reference index, though the admin shows them in a viewset
(which would otherwise enrol the model): no index task and no index rows per message."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import get_resolver
from wagtail.models import ReferenceIndex

from actions.models import OutboundMessage, Target
from tests.factories import SupporterFactory, campaign_page, email_action, email_target


@pytest.mark.django_db
def test_email_actions_write_no_reference_index_rows(django_capture_on_commit_callbacks):
    assert get_resolver().url_patterns  # the admin's viewsets register their models as the URLs load
    assert Target in ReferenceIndex.tracked_models  # the index is live for the snippets it serves
    assert OutboundMessage not in ReferenceIndex.tracked_models

    page = campaign_page(targets=[email_target(name="Jeff Rosen"), email_target(name="Gavin Newsom")])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            email_action(page, supporter=SupporterFactory(email=f"r{n}@example.org"))

    assert OutboundMessage.objects.count() == 6
    outbox = ContentType.objects.get_for_model(OutboundMessage)
    assert not ReferenceIndex.objects.filter(content_type=outbox).exists()
    assert not ReferenceIndex.objects.filter(base_content_type=outbox).exists()
