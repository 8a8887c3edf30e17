"""``liaison ledger verify|checkpoint|integrate|key``.

* ``verify [--checkpoint FILE ...] [--key VERIFIER_KEY]`` — check the whole log
  (see :mod:`liaison.ledger.verify`); exit 0 with a one-line summary, or exit 1
  naming the first bad entry, subtree or checkpoint.
* ``checkpoint`` — integrate and sign a checkpoint now (nothing when the tree did
  not grow); prints the signed note.
* ``integrate`` — fold new entries into the stored subtree hashes.
* ``key`` — print the public verifier key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import connection

from liaison.core.management.base import LiaisonCommand
from liaison.ledger import guards, signing
from liaison.ledger.models import Checkpoint
from liaison.ledger.services import checkpoint_issue, ledger_integrate
from liaison.ledger.verify import LedgerTampered, verify_ledger


class Command(LiaisonCommand):
    help = "Verify the ledger, issue a signed checkpoint, integrate, or print the verifier key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Check every entry, subtree and checkpoint.")
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="A signed checkpoint saved earlier (by anyone) that the log must still match.",
        )
        verify.add_argument(
            "--key",
            default=None,
            help="Verifier key to check signatures with (default: this deployment's).",
        )
        sub.add_parser("checkpoint", help="Sign a checkpoint of the tree now.")
        sub.add_parser("integrate", help="Fold new entries into the stored subtree hashes.")
        sub.add_parser("key", help="Print the public verifier key.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self._verify(options["checkpoint"], options["key"], int(options["verbosity"]))
        elif action == "checkpoint":
            issued = checkpoint_issue()
            if issued is None:
                latest = Checkpoint.objects.order_by("-size").first()
                self.stderr.write("The tree has not grown since the latest checkpoint.")
                if latest is not None:
                    self.stdout.write(latest.note, ending="")
            else:
                self.stdout.write(issued.note, ending="")
        elif action == "integrate":
            self.stdout.write(f"integrated {ledger_integrate()} entries")
        else:
            try:
                self.stdout.write(signing.verifier_key(create=False))
            except signing.NoSignerKey as exc:
                raise CommandError(str(exc)) from None

    def _verify(self, files: list[str], key: str | None, verbosity: int) -> None:
        outside = []
        for name in files:
            try:
                outside.append((name, Path(name).read_text(encoding="utf-8")))
            except OSError as exc:
                raise CommandError(f"cannot read {name}: {exc.strerror}", returncode=2) from None

        def progress(n: int) -> None:
            if verbosity >= 2:
                self.stderr.write(f"  {n} entries checked")

        if not guards.installed(connection):
            self.stderr.write(
                "warning: the append-only triggers of the ledger tables are missing "
                "(dropped, or lost in a table rebuild); reinstall them with migration ledger 0003"
            )
        if key is None:
            try:
                key = signing.verifier_key(create=False)
            except signing.NoSignerKey as exc:
                if Checkpoint.objects.exists() or outside:
                    raise CommandError(f"{exc} Give the verifier key with --key.") from None
                key = ""  # no checkpoint to check a signature of
        try:
            report = verify_ledger(verifier_key=key, outside=outside, progress=progress)
        except LedgerTampered as exc:
            raise CommandError(f"ledger verification FAILED: {exc}", returncode=1) from None
        self.stdout.write(report.summary())
