from django.urls import include, path, re_path

from liaison.api import api, unknown_endpoint

urlpatterns = [
    path("", include("liaison.core.urls")),
    path("accounts/", include("liaison.accounts.urls")),
    path("directory/", include("liaison.directory.urls")),
    path("agreements/", include("liaison.agreements.urls")),
    path("training/", include("liaison.training.urls")),
    path("policy/", include("liaison.policy.urls")),
    path("sharing/", include("liaison.sharing.urls")),
    path("sharing/", include("liaison.sharing.subject_urls")),
    path("operations/", include("liaison.operations.urls")),
    path("ledger/", include("liaison.ledger.urls")),
    path("", include("liaison.notifications.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", unknown_endpoint),
]

handler500 = "liaison.core.views.server_error"
