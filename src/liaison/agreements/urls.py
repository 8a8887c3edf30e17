from django.urls import path

from liaison.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.agreement_create, name="create"),
    path("coverage/", views.coverage_check, name="coverage"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/submit/", views.agreement_submit, name="submit"),
    path("<int:pk>/review/", views.agreement_review, name="review"),
    path("<int:pk>/sign/", views.agreement_sign, name="sign"),
    path("<int:pk>/activate/", views.agreement_activate, name="activate"),
    path("<int:pk>/suspend/", views.agreement_suspend, name="suspend"),
    path("<int:pk>/reinstate/", views.agreement_reinstate, name="reinstate"),
    path("<int:pk>/terminate/", views.agreement_terminate, name="terminate"),
    path("<int:pk>/amend/", views.amendment_create, name="amend"),
    path("<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("<int:pk>/nominate/", views.nomination_create, name="nominate"),
    path("<int:pk>/training/", views.training_requirement_create, name="training"),
    path("<int:pk>/reporting/", views.reporting_obligation_create, name="reporting"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("authorities/", views.authority_list, name="authority_list"),
    path("authorities/new/", views.authority_create, name="authority_create"),
    path("authorities/<int:pk>/", views.authority_detail, name="authority_detail"),
    path("authorities/<int:pk>/edit/", views.authority_edit, name="authority_edit"),
]
