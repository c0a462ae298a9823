"""Who manages partners and who reads their reports.

Editors create and change partners (the snippet). Organisers see every partner and its report.
"Partner organisers" get into the admin and nothing else: what they may see comes from their
``PartnerMembership`` (one partner's opted-in supporters), never from a model permission.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = ["add_partner", "change_partner", "delete_partner", "view_partner"]
ORGANISER_PERMISSIONS = ["view_partner", "view_partner_reports"]
PARTNER_ORGANISERS = "Partner organisers"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("partners")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    partner_permissions = Permission.objects.filter(content_type__app_label="partners")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*partner_permissions.filter(codename__in=EDITOR_PERMISSIONS))
    organisers, _ = Group.objects.get_or_create(name="Organisers")
    organisers.permissions.add(*partner_permissions.filter(codename__in=ORGANISER_PERMISSIONS))
    partner_organisers, _ = Group.objects.get_or_create(name=PARTNER_ORGANISERS)
    partner_organisers.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=PARTNER_ORGANISERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("reports", "0002_editors_and_organisers_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
