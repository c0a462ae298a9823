"""Create the Editors and Organisers groups.

Editors write pages and manage snippets, images and documents; they get no permission that
reveals supporters. Organisers get the admin plus the custom report permissions. Re-running is
harmless: permissions are added, never removed.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("actions", "target", "add_target"),
    ("actions", "target", "change_target"),
    ("actions", "target", "delete_target"),
    ("actions", "target", "view_target"),
]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "change_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "change_document"),
    ("wagtaildocs", "document", "choose_document"),
]
ORGANISER_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("reports", "exportlog", "view_reports"),
    ("reports", "exportlog", "export_signatures"),
    ("reports", "exportlog", "view_exportlog"),
]


def _ensure_permissions(apps):
    # Permissions are normally created after all migrations ran; this migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permission(apps, app_label, model, codename):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
    )
    return permission


def create_groups(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for spec in EDITOR_MODEL_PERMISSIONS:
        editors.permissions.add(_permission(apps, *spec))
    root_page = apps.get_model("wagtailcore", "Page").objects.filter(depth=1).first()
    if root_page is not None:
        GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors, page=root_page, permission=_permission(apps, "wagtailcore", "page", codename)
            )
    root_collection = apps.get_model("wagtailcore", "Collection").objects.filter(depth=1).first()
    if root_collection is not None:
        GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
        for spec in EDITOR_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=root_collection, permission=_permission(apps, *spec)
            )

    organisers, _ = Group.objects.get_or_create(name="Organisers")
    for spec in ORGANISER_PERMISSIONS:
        organisers.permissions.add(_permission(apps, *spec))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Organisers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_export_log_and_digest"),
        ("actions", "0002_hourly_and_referral_totals"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
