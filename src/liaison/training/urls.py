from django.urls import path

from liaison.training import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("queue/", views.queue, name="queue"),
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("requirements/", views.requirement_list, name="requirement_list"),
    path("requirements/new/", views.requirement_create, name="requirement_create"),
    path("requirements/<int:pk>/", views.requirement_detail, name="requirement_detail"),
    path("requirements/<int:pk>/end/", views.requirement_end, name="requirement_end"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/completions/new/", views.completion_create, name="completion_create"),
    path(
        "people/<int:pk>/overrides/<int:requirement>/new/",
        views.override_create,
        name="override_create",
    ),
    path("task-forces/<int:pk>/", views.task_force, name="task_force"),
    path("task-forces/<int:pk>/roster.csv", views.task_force_csv, name="task_force_csv"),
    path("task-forces/<int:pk>/roster.pdf", views.task_force_pdf, name="task_force_pdf"),
    path("completions/<int:pk>/verify/", views.completion_verify, name="completion_verify"),
    path("completions/<int:pk>/evaluate/", views.evaluation_create, name="evaluation_create"),
    path("imports/new/", views.import_create, name="import_create"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/rejected.csv", views.import_rejected, name="import_rejected"),
]
