"""Load the ILO/EC 2009 operational indicators (adult and child labour exploitation) as catalogue ilo-2009 v1.

Self-contained on purpose (only the csv module and the historical models), so that later changes to the app cannot
change what this migration loads. Corrections to the data ship as a new catalogue version, never as an edit here.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "ilo-2009.csv"
SOURCE = "ILO/EC Operational indicators of trafficking in human beings, 2009 (WCMS_105023)"


def load(apps, schema_editor):
    Catalogue = apps.get_model("screening", "IndicatorCatalogue")
    Indicator = apps.get_model("screening", "Indicator")
    catalogue, created = Catalogue.objects.get_or_create(
        code="ilo-2009",
        version=1,
        defaults={
            "title_en": "ILO/EC operational indicators of trafficking in human beings (2009)",
            "title_ru": "Операциональные индикаторы торговли людьми МОТ и Европейской комиссии (2009)",
            "title_ky": "ЭЭУ менен Европа комиссиясынын адам сатуунун операциялык индикаторлору (2009)",
            "source": SOURCE,
        },
    )
    if not created:
        return
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    Indicator.objects.bulk_create(
        Indicator(
            catalogue=catalogue,
            code=row["id"],
            list=row["list"],
            dimension=row["dimension"],
            strength=row["strength"],
            label_en=row["label_en"],
            label_ru=row["label_ru"],
            label_ky=row["label_ky"],
            source=row["source"],
            verified=row["verified"] == "true",
            position=position,
        )
        for position, row in enumerate(rows, start=1)
    )


def unload(apps, schema_editor):
    Catalogue = apps.get_model("screening", "IndicatorCatalogue")
    Catalogue.objects.filter(code="ilo-2009", version=1, frozen_at__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
