from django.db import migrations


def create_defaults(apps, schema_editor):
    from madoguchi.cases.workflow import DEFAULTS

    Workflow = apps.get_model("cases", "Workflow")
    for code, (name_ja, name_en, transitions) in DEFAULTS.items():
        Workflow.objects.update_or_create(
            code=code,
            defaults={
                "name_ja": name_ja,
                "name_en": name_en,
                "transitions": {str(k): [str(t) for t in v] for k, v in transitions.items()},
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_workflow_review_and_corrections")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
