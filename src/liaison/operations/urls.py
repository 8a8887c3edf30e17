from django.urls import path

from liaison.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.operation_list, name="index"),
    path("calendar/", views.operation_calendar, name="calendar"),
    path("map/", views.operation_map, name="map"),
    path("evaluation/", views.operation_evaluation, name="evaluation"),
    path("new/", views.operation_create, name="create"),
    path("<int:pk>/", views.operation_detail, name="operation_detail"),
    path("<int:pk>/participants/new/", views.participant_add, name="participant_add"),
    path("<int:pk>/submit/", views.operation_submit, name="submit"),
    path(
        "<int:pk>/conflicts/<int:conflict>/acknowledge/",
        views.conflict_acknowledge,
        name="conflict_acknowledge",
    ),
    path("<int:pk>/review/", views.operation_review_start, name="review_start"),
    path("<int:pk>/start/", views.operation_start, name="start"),
    path("<int:pk>/log/", views.operation_log, name="log"),
    path("<int:pk>/after-action/", views.after_action_review, name="after_action"),
    path("<int:pk>/follow-ups/<int:follow_up>/done/", views.follow_up_done, name="follow_up_done"),
    path("<int:pk>/<slug:step>/", views.operation_step, name="step"),
]
