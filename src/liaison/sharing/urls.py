from django.urls import path

from liaison.sharing import views

app_name = "sharing"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_create, name="request_create"),
    path("review/", views.review_queue, name="review_queue"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/review/", views.request_review, name="request_review"),
    path(
        "requests/<int:pk>/items/<int:index>/override/",
        views.item_override,
        name="item_override",
    ),
    path("requests/<int:pk>/disclose/", views.disclosure_create, name="disclosure_create"),
    path("disclosures/", views.disclosure_list, name="disclosure_list"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="disclosure_detail"),
    path("overrides/", views.override_list, name="override_list"),
]
