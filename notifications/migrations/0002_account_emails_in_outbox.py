"""Account e-mails share the outbox: a delivery may have no inbox entry, so it keeps its own subject."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_subjects(apps, schema_editor):
    EmailDelivery = apps.get_model("notifications", "EmailDelivery")
    Notification = apps.get_model("notifications", "Notification")
    EmailDelivery.objects.update(
        subject=Subquery(Notification.objects.filter(pk=OuterRef("notification_id")).values("subject")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_notifications")]

    operations = [
        migrations.AlterField(
            model_name="emaildelivery",
            name="notification",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="delivery",
                to="notifications.notification",
            ),
        ),
        migrations.AddField(
            model_name="emaildelivery",
            name="subject",
            field=models.CharField(default="", max_length=300),
            preserve_default=False,
        ),
        migrations.RunPython(copy_subjects, migrations.RunPython.noop),
    ]
