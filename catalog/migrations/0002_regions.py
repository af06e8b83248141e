from django.db import migrations

from certification.models import Region


def load_regions(apps, schema_editor):
    model = apps.get_model("catalog", "DeliveryRegion")
    for code in Region.values:
        model.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
