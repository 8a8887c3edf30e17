"""The signer key comes from settings or is generated once; the worker's checkpoint job."""

from __future__ import annotations

import stat

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from liaison.ledger import checkpoint as notes
from liaison.ledger import signing
from liaison.ledger.models import Checkpoint
from liaison.ledger.services import origin
from liaison.ledger.tasks import issue_checkpoint


def test_a_configured_signer_key_is_used(settings):
    key = notes.generate_signer_key(origin())
    settings.LIAISON_LEDGER_SIGNER_KEY = key
    assert signing.signer_key() == key
    assert signing.verifier_key() == notes.verifier_key_from_signer(key)
    assert not settings.LIAISON_LEDGER_SIGNER_KEY_PATH.exists()


def test_the_demo_generates_a_key_once_and_keeps_it_private(settings):
    first = signing.signer_key()
    path = settings.LIAISON_LEDGER_SIGNER_KEY_PATH
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing.signer_key() == first
    assert first.startswith(f"PRIVATE+KEY+{origin()}+")


def test_production_refuses_to_run_without_a_key(settings):
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        signing.signer_key()


def test_the_checkpoint_job_is_scheduled_for_the_worker():
    assert (
        "liaison.ledger.tasks.issue_checkpoint",
        django_settings.LIAISON_CHECKPOINT_INTERVAL_SECONDS,
    ) in django_settings.LIAISON_PERIODIC_TASKS


@pytest.mark.django_db
def test_the_checkpoint_job_issues_only_when_the_tree_grew(append):
    append(3)
    assert issue_checkpoint.call() == 3
    assert issue_checkpoint.call() is None
    append(1)
    assert issue_checkpoint.call() == 4
    latest = Checkpoint.objects.order_by("-size").first()
    body = notes.open_note(latest.note, signing.verifier_key())
    assert notes.parse_checkpoint(body).size == 4
