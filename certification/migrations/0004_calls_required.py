# Every application belongs to a call: after 0003 put the existing ones in legacy calls, the column is
# required. A separate migration, so PostgreSQL alters the table in a transaction of its own (after the
# data migration's updates).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0003_calls_schema_and_legacy"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificationapplication",
            name="call",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="certification.call",
            ),
        ),
    ]
