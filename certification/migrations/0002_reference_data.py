from django.db import migrations

from certification.reference import load_classification_codes
from certification.roles import Role


def load_reference_data(apps, schema_editor):
    load_classification_codes(apps.get_model("certification", "ClassificationCode"))
    group_model = apps.get_model("auth", "Group")
    for role in Role:
        group_model.objects.get_or_create(name=role.value)


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
