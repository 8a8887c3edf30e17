"""Pages of data subjects' requests, disclosure reviews and the accounting of disclosures
(under ``/sharing/``)."""

from django.urls import path

from liaison.sharing import subject_views as views

app_name = "sharing_subjects"
urlpatterns = [
    path("subjects/", views.index, name="index"),
    path("subjects/new/", views.create, name="create"),
    path("subjects/<int:pk>/", views.detail, name="detail"),
    path("subjects/<int:pk>/report/", views.report, name="report"),
    path("subjects/<int:pk>/report.csv", views.report_csv, name="report_csv"),
    path("subjects/<int:pk>/contact/", views.contact, name="contact"),
    path("subjects/<int:pk>/start/", views.start, name="start"),
    path("subjects/<int:pk>/answer/", views.answer, name="answer"),
    path("subjects/<int:pk>/deny/", views.deny, name="deny"),
    path("accounting/", views.accounting_list, name="accounting"),
    path("accounting.csv", views.accounting_csv, name="accounting_csv"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/record/", views.review_record, name="review_record"),
]
