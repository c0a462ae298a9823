"""Supporters' personal data encrypted at rest, and the blind index that replaces ``email_key``.

1. ``email_key`` (the normalised email, in plaintext) becomes ``email_index``, still unique.
2. The personal columns become ``EncryptedTextField``s (text columns holding ciphertext).
3. Existing rows are converted in batches: each stored normalised email becomes its HMAC under
   ``PII_INDEX_KEY`` and each personal value is re-saved through its field, which encrypts it
   under the first of ``PII_KEYS`` (both read from settings, never from the database).
4. ``email_index`` narrows to the 64 hex digits of an HMAC-SHA256.

Not reversible: going back would write every supporter's data out in plaintext again.
"""

import hashlib
import hmac

from django.db import migrations, models

import actions.pii

BATCH = 2000

ENCRYPTED = {
    "supporter": ["email", "first_name", "last_name", "city", "postal_code"],
    "action": ["comment"],
    "outboundmessage": ["reply_to", "from_name", "sender_name", "body"],
    "callsession": ["phone"],
    "callbackrequest": ["phone"],
    "callleg": ["script"],
}


def _batches(model):
    last = None
    while True:
        rows = model.objects.order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows[:BATCH])
        if not batch:
            return
        last = batch[-1].pk
        yield batch


def convert(apps, schema_editor):
    from actions.text import email_key

    index_key = actions.pii.keyring().index_key
    for name, fields in ENCRYPTED.items():
        model = apps.get_model("actions", name)
        update = [*fields, "email_index"] if name == "supporter" else fields
        for batch in _batches(model):
            # Read back through the fields (plaintext passes through), saved again encrypted.
            if name == "supporter":
                for supporter in batch:
                    normalised = email_key(supporter.email_index).encode()
                    supporter.email_index = hmac.new(index_key, normalised, hashlib.sha256).hexdigest()
            model.objects.bulk_update(batch, update)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0010_merge_20261203_0001"),
    ]

    operations = [
        migrations.RenameField(model_name="supporter", old_name="email_key", new_name="email_index"),
        migrations.AlterField(
            model_name="supporter", name="email", field=actions.pii.EncryptedEmailField(max_length=254)
        ),
        migrations.AlterField(
            model_name="supporter", name="first_name", field=actions.pii.EncryptedCharField(max_length=100)
        ),
        migrations.AlterField(
            model_name="supporter", name="last_name", field=actions.pii.EncryptedCharField(max_length=100)
        ),
        migrations.AlterField(
            model_name="supporter", name="city", field=actions.pii.EncryptedCharField(blank=True, max_length=100)
        ),
        migrations.AlterField(
            model_name="supporter",
            name="postal_code",
            field=actions.pii.EncryptedCharField(blank=True, max_length=20),
        ),
        migrations.AlterField(model_name="action", name="comment", field=actions.pii.EncryptedTextField(blank=True)),
        migrations.AlterField(
            model_name="outboundmessage",
            name="reply_to",
            field=actions.pii.EncryptedEmailField(blank=True, max_length=254),
        ),
        migrations.AlterField(
            model_name="outboundmessage",
            name="from_name",
            field=actions.pii.EncryptedCharField(blank=True, max_length=250),
        ),
        migrations.AlterField(
            model_name="outboundmessage",
            name="sender_name",
            field=actions.pii.EncryptedCharField(blank=True, max_length=100),
        ),
        migrations.AlterField(model_name="outboundmessage", name="body", field=actions.pii.EncryptedTextField()),
        migrations.AlterField(
            model_name="callsession", name="phone", field=actions.pii.EncryptedCharField(blank=True, max_length=20)
        ),
        migrations.AlterField(
            model_name="callbackrequest",
            name="phone",
            field=actions.pii.EncryptedCharField(blank=True, max_length=20),
        ),
        migrations.AlterField(model_name="callleg", name="script", field=actions.pii.EncryptedTextField(blank=True)),
        migrations.RunPython(convert, elidable=False),
        migrations.AlterField(
            model_name="supporter",
            name="email_index",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
