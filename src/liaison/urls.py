from django.urls import include, path

from liaison.api import api

urlpatterns = [
    path("", include("liaison.core.urls")),
    path("accounts/", include("liaison.accounts.urls")),
    path("directory/", include("liaison.directory.urls")),
    path("agreements/", include("liaison.agreements.urls")),
    path("ledger/", include("liaison.ledger.urls")),
    path("", include("liaison.notifications.urls")),
    path("api/v1/", api.urls),
]

handler500 = "liaison.core.views.server_error"
