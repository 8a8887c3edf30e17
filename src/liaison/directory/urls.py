from django.urls import path

from liaison.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.index, name="index"),
    path("jurisdictions/", views.jurisdiction_list, name="jurisdiction_list"),
    path("jurisdictions/new/", views.jurisdiction_create, name="jurisdiction_create"),
    path("jurisdictions/<int:pk>/", views.jurisdiction_detail, name="jurisdiction_detail"),
    path("jurisdictions/<int:pk>/edit/", views.jurisdiction_edit, name="jurisdiction_edit"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("task-forces/", views.task_force_list, name="task_force_list"),
    path("task-forces/new/", views.task_force_create, name="task_force_create"),
    path("task-forces/<int:pk>/", views.task_force_detail, name="task_force_detail"),
    path("task-forces/<int:pk>/edit/", views.task_force_edit, name="task_force_edit"),
    path("task-forces/<int:pk>/members/new/", views.membership_create, name="membership_create"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("assignments/new/", views.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path("personnel/", views.person_list, name="person_list"),
    path("personnel/new/", views.person_create, name="person_create"),
    path("personnel/<int:pk>/", views.person_detail, name="person_detail"),
    path("personnel/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("designations/", views.designation_list, name="designation_list"),
    path("designations/new/", views.designation_create, name="designation_create"),
    path("designations/<int:pk>/", views.designation_detail, name="designation_detail"),
    path("designations/<int:pk>/edit/", views.designation_edit, name="designation_edit"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
]
