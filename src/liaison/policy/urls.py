from django.urls import path

from liaison.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.pack_list, name="index"),
    path("packs/<str:name>/<str:version>/", views.pack_detail, name="pack"),
    path(
        "packs/<str:name>/<str:version>/policies/<str:policy_id>/",
        views.policy_detail,
        name="policy",
    ),
]
