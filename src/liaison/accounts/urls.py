from django.contrib.auth import views as auth_views
from django.urls import path

from liaison.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("mfa/", views.mfa_view, name="mfa"),
    path("me/", views.account_view, name="account"),
    path("me/password/", views.password_change_view, name="password_change"),
    path("me/tokens/", views.token_list_view, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:pk>/", views.user_detail_view, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit_view, name="user_edit"),
    path("users/<int:pk>/password/", views.user_password_view, name="user_password"),
    path("users/<int:pk>/unlock/", views.user_unlock_view, name="user_unlock"),
    path("users/<int:pk>/deactivate/", views.user_deactivate_view, name="user_deactivate"),
    path("users/<int:pk>/activate/", views.user_activate_view, name="user_activate"),
    path("users/<int:pk>/mfa-reset/", views.user_mfa_reset_view, name="user_mfa_reset"),
]
