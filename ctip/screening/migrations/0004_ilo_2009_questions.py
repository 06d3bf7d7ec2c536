"""Give every indicator of catalogue ilo-2009 v1 its interview question (en, ru, ky) and mark the short version.

Self-contained on purpose (only the csv module and the historical models), like 0002: later changes to the app cannot
change what this migration writes. The questions are ctip's own plain-language wording, not the ILO labels.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "ilo-2009-questions.csv"
FIELDS = ("question_en", "question_ru", "question_ky", "short")


def _indicators(apps):
    Indicator = apps.get_model("screening", "Indicator")
    return Indicator.objects.filter(catalogue__code="ilo-2009", catalogue__version=1)


def load(apps, schema_editor):
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = {row["id"]: row for row in csv.DictReader(fh)}
    changed = []
    for indicator in _indicators(apps):
        row = rows.get(indicator.code)
        if row is None:
            continue
        indicator.question_en = row["question_en"]
        indicator.question_ru = row["question_ru"]
        indicator.question_ky = row["question_ky"]
        indicator.short = row["short"] == "1"
        changed.append(indicator)
    _indicators(apps).model.objects.bulk_update(changed, FIELDS)


def unload(apps, schema_editor):
    _indicators(apps).update(question_en="", question_ru="", question_ky="", short=False)


class Migration(migrations.Migration):
    dependencies = [("screening", "0003_interview")]

    operations = [migrations.RunPython(load, unload)]
