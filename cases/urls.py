from django.urls import path

from .views import (
    actions,
    approvals,
    case_list,
    case_new,
    casefile,
    detail,
    documents,
    lists,
    teams,
)

app_name = "cases"

urlpatterns = [
    path("", case_list.case_list, name="list"),
    path("export.csv", case_list.case_list_csv, name="list_csv"),
    path("lists/", lists.list_entries, name="lists"),
    path("lists/record/", lists.list_record_dismissal, name="list_record"),
    path("lists/<str:kind>/<int:pk>/<str:name>/", lists.list_entry_action, name="list_action"),
    path("approvals/", approvals.approval_queue, name="approvals"),
    path("approvals/<int:pk>/<str:verdict>/", approvals.approval_decide, name="approval_decide"),
    path("new/", case_new.step_type, name="new"),
    path("new/complainants/", case_new.step_complainants, name="new_complainants"),
    path("new/allegations/", case_new.step_allegations, name="new_allegations"),
    path("new/check/", case_new.step_check, name="new_check"),
    path("new/cancel/", case_new.cancel, name="new_cancel"),
    path("teams/", teams.team_list, name="teams"),
    path("teams/<int:pk>/", teams.team_detail, name="team"),
    path("teams/<int:pk>/handover/", teams.team_handover, name="team_handover"),
    path("<str:reference>/", detail.case_detail, name="detail"),
    path(
        "<str:reference>/actions/<str:name>/<int:target>/",
        actions.case_action,
        name="action",
    ),
    path(
        "<str:reference>/actions/<str:name>/<int:target>/form/",
        actions.case_action_form,
        name="action_form",
    ),
    path("<str:reference>/file/", casefile.case_file, name="file"),
    path("<str:reference>/file.pdf", casefile.case_file_pdf_download, name="file_pdf"),
    path(
        "<str:reference>/documents/<int:pk>/",
        documents.document_download,
        name="document",
    ),
]
