"""Outbox messages leave Wagtail's reference index (``OutboundMessage.wagtail_reference_index_ignore``).

The index held three rows per email action, listed as "usages" of the campaign page and its
targets; nothing reads them. Only the index's own rows are deleted, never a message.
"""

from django.db import migrations


def forget_outbox_references(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    outbox = ContentType.objects.filter(app_label="actions", model="outboundmessage").first()
    if outbox is not None:
        ReferenceIndex.objects.filter(content_type=outbox).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0016_signature_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    # Reversing leaves the index empty for the outbox; Wagtail's rebuild_references_index would
    # refill it if the attribute were ever removed.
    operations = [migrations.RunPython(forget_outbox_references, migrations.RunPython.noop)]
