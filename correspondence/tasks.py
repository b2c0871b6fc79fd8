"""Celery tasks of the correspondence app: they take ids and are safe to run twice."""

import logging

from celery import shared_task
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from deadlines.tasks import TASK_OPTIONS

from .models import Letter

logger = logging.getLogger(__name__)


@shared_task(name="correspondence.email_letter", **TASK_OPTIONS)
def email_letter(letter_id: int) -> bool:
    """E-mail a letter's PDF once: claim (row lock), send, mark (as deadlines.sweep does)."""
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("pdf")
            .filter(pk=letter_id, emailed_at__isnull=True)
            .exclude(recipient_email="")
            .first()
        )
        if letter is None:
            return False
        message = EmailMessage(
            subject=letter.subject, body=letter.body, to=[letter.recipient_email]
        )
        with letter.pdf.file.open("rb") as handle:
            message.attach(letter.pdf.original_name, handle.read(), "application/pdf")
        try:
            message.send()
        except Exception:  # noqa: BLE001 - any mail failure: leave it unsent, logged without PII
            logger.warning("e-mail for letter %s failed", letter_id)
            return False
        Letter.objects.filter(pk=letter_id).update(emailed_at=timezone.now())
    return True


@shared_task(name="correspondence.build_bundle", **TASK_OPTIONS)
def build_bundle(bundle_id: int) -> str:
    from .bundle import bundle_build

    return bundle_build(bundle_id=bundle_id)
