"""Organisers (the group from reports' migration 0002) manage webhooks and API tokens."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ["change_webhooksubscription", "change_apitoken"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("integrations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organisers, _ = Group.objects.get_or_create(name="Organisers")
    organisers.permissions.add(
        *Permission.objects.filter(content_type__app_label="integrations", codename__in=PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_initial"),
        ("reports", "0002_editors_and_organisers_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
