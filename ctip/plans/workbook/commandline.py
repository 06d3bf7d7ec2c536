"""What the plan-import command prints: the sum of an import, kind by kind."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ctip.plans.workbook.importing import ImportResult


def summary(result: ImportResult) -> list[str]:
    """Return one line per kind of record: how many were created, updated, unchanged, deleted and kept."""
    return [
        _(
            "%(kind)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(deleted)s deleted, %(kept)s kept"
        )
        % {"kind": label, **counts.as_dict()}
        for label, counts in result.labelled_counts()
    ]
