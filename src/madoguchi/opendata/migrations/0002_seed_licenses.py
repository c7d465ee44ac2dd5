from django.db import migrations

from madoguchi.opendata.licenses import LICENSES, seed


def forwards(apps, schema_editor):
    seed(apps.get_model("opendata", "License"))


def backwards(apps, schema_editor):
    apps.get_model("opendata", "License").objects.filter(id__in=[row[0] for row in LICENSES]).delete()


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
