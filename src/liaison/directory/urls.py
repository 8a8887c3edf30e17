from django.urls import path

from liaison.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.agency_list, name="agency_list"),
]
