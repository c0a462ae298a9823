"""Fewer indexes written on every signature (issue 13).

- ``actions_action.campaign_id`` loses its own index: ``action_campaign_kind`` starts with the
  campaign and answers every lookup by it (the totals, the reports, the page's delete check).
- On PostgreSQL Django adds a second, ``varchar_pattern_ops`` index beside every unique
  CharField, for ``LIKE 'prefix%'`` queries. Nobody asks the blind email index or the referral
  code that way (the email index is an HMAC; referral codes are looked up whole), so both are
  dropped: two fewer index entries per new supporter. Found by their definition, not their
  generated names. Reversing the migration builds them again.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PATTERN_INDEXED = ("email_index", "referral_code")


def _pattern_indexes(cursor) -> list[str]:
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'actions_supporter'"
    )
    return [
        name
        for name, definition in cursor.fetchall()
        if "pattern_ops" in definition and any(f"({column} " in definition for column in PATTERN_INDEXED)
    ]


def pattern_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in _pattern_indexes(cursor):
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def pattern_indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in PATTERN_INDEXED:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "actions_supporter_{column}_like" '
            f'ON "actions_supporter" ("{column}" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0015_tracking_recipient_sealed"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="action",
            name="campaign",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.WAGTAIL_PAGE_MODEL,
            ),
        ),
        migrations.RunPython(pattern_indexes_drop, pattern_indexes_create),
    ]
