"""Organisers upload and import paper signatures."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ["add_paperimport", "view_paperimport"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    organisers, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Organisers")
    Permission = apps.get_model("auth", "Permission")
    organisers.permissions.add(*Permission.objects.filter(content_type__app_label="events", codename__in=PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [("events", "0003_paper_import")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
