from django.urls import path

from ctip.plans.views import dashboard, editing, plan, reports, workbook

app_name = "plans"
urlpatterns = [
    path("", plan.program_list, name="programs"),
    path("programs/<int:pk>/", plan.program_detail, name="program"),
    path("actions/<int:pk>/", plan.action_detail, name="action"),
    path("actions/<int:pk>/periods/<int:period_pk>/report/", reports.report_edit, name="report"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/evidence/", reports.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", reports.evidence_open, name="evidence_open"),
    path("evidence/<int:pk>/remove/", reports.evidence_remove, name="evidence_remove"),
    path("mine/", reports.my_actions, name="mine"),
    path("due/", reports.reports_due, name="due"),
    path("review/", reports.review_queue, name="review"),
    path("review/<int:pk>/", reports.review_report, name="review_report"),
    path("overdue/", reports.overdue, name="overdue"),
    path("programs/new/", editing.program_create, name="program_create"),
    path("programs/<int:pk>/edit/", editing.program_edit, name="program_edit"),
    path("programs/<int:pk>/step/", editing.program_step, name="program_step"),
    path("programs/<int:pk>/objectives/new/", editing.objective_edit, name="objective_create"),
    path("programs/<int:pk>/objectives/<int:objective_pk>/edit/", editing.objective_edit, name="objective_edit"),
    path("programs/<int:pk>/actions/new/", editing.action_create, name="action_create"),
    path("actions/<int:pk>/edit/", editing.action_edit, name="action_edit"),
    path("actions/<int:pk>/indicators/new/", editing.indicator_edit, name="indicator_create"),
    path("actions/<int:pk>/indicators/<int:indicator_pk>/edit/", editing.indicator_edit, name="indicator_edit"),
    path("public/", plan.public_list, name="public_list"),
    path("public/<int:pk>/", plan.public_program, name="public_program"),
    path("import/", workbook.import_page, name="import"),
    path("import/template.xlsx", workbook.template_download, name="import_template"),
    path("export.xlsx", workbook.export_download, name="export"),
    path("programs/<int:pk>/dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("programs/<int:pk>/national-report/", dashboard.national_report_download, name="national_report"),
]
