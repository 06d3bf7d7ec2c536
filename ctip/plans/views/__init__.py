"""The plan's pages, by family (URL names in ``ctip/plans/urls.py``, the only module that imports them).

Every page reads through ``selectors`` (scoped by ``access``) and writes through ``services``.

* ``plan``: the programs, a program's tree, an action, the public pages;
* ``reports``: filing a report and its evidence, what an agency owes, the review queue and the overdue list;
* ``editing``: the coordinator's edits of the plan;
* ``dashboard``: the dashboard and the national progress report;
* ``workbook``: the workbook upload, its template and the export.
"""
