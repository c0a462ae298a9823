"""Organisers (the group from reports' migration 0002) create, change and print events."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EVENT_PERMISSIONS = ["add_event", "change_event", "delete_event", "view_event"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organisers, _ = Group.objects.get_or_create(name="Organisers")
    organisers.permissions.add(
        *Permission.objects.filter(content_type__app_label="events", codename__in=EVENT_PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("reports", "0002_editors_and_organisers_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
