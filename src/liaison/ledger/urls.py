from django.urls import path

from liaison.ledger import public, views

app_name = "ledger"
urlpatterns = [
    # public, no login
    path("", public.index, name="index"),
    path("checkpoint", public.checkpoint_text, name="checkpoint"),
    path("checkpoints/", public.checkpoint_list, name="checkpoint_list"),
    path("checkpoints/<int:size>", public.checkpoint_at, name="checkpoint_at"),
    path("key", public.key_text, name="key"),
    path("proofs/", public.proofs, name="proofs"),
    # staff: oversight and admin
    path("entries/", views.entry_list, name="entry_list"),
    path("entries/<int:seq>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:seq>/proof.json", views.entry_proof, name="entry_proof"),
    # privacy officer, oversight and admin: who read what
    path("access/", views.access_log, name="access_log"),
    # privacy officer: the free text kept beside the ledger
    path("texts/", views.text_list, name="text_list"),
    path("texts/<int:seq>/redact", views.text_redact, name="text_redact"),
]
