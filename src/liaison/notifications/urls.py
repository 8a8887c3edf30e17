from django.urls import path

from liaison.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/read", views.notification_read, name="read"),
    path("notifications/read-all", views.notifications_read_all, name="read_all"),
    path("system/jobs/", views.job_list, name="jobs"),
]
