"""Organisers link users to partners (the "Partner organisers" snippet)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    "add_partnermembership",
    "change_partnermembership",
    "delete_partnermembership",
    "view_partnermembership",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("partners")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organisers, _ = Group.objects.get_or_create(name="Organisers")
    organisers.permissions.add(*Permission.objects.filter(content_type__app_label="partners", codename__in=PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_membership_labels")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
