"""The Editor and Chief editor groups, with their permissions, on every install."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = {
    "claims": [
        "add_claim", "change_claim", "view_claim",
        "add_source", "change_source", "delete_source", "view_source",
        "add_article", "change_article", "view_article",
        "add_quiz", "change_quiz", "view_quiz",
        "add_question", "change_question", "delete_question", "view_question",
        "add_choice", "change_choice", "delete_choice", "view_choice",
        "view_claimslugredirect", "view_correction", "view_reviewevent", "view_revision",
    ],
}
CHIEF_EXTRA = {
    "claims": [
        "approve_claim", "publish_claim", "record_correction", "delete_claim",
        "approve_quiz", "publish_quiz", "delete_quiz", "delete_article",
    ],
}
GROUPS = {"Editor": EDITOR, "Chief editor": {"claims": EDITOR["claims"] + CHIEF_EXTRA["claims"]}}


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in by_app.items():
            permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"permissions missing for {name}: {sorted(missing)}")
            group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
