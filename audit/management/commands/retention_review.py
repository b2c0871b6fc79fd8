from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from audit import retention
from audit.models import RetentionPolicy, RetentionReview
from psd.domain import DomainError


class Command(BaseCommand):
    help = (
        "List records past their retention period for review. Deletion needs a proposal "
        "(--propose) approved by a second person (--approve) before --execute; nothing is "
        "deleted automatically."
    )

    def add_arguments(self, parser):
        parser.add_argument("--show", type=int, default=10, help="ids to list per record type")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--propose", metavar="RECORD_TYPE", help="e.g. accounts.person")
        action.add_argument("--approve", type=int, metavar="REVIEW_ID")
        action.add_argument("--reject", type=int, metavar="REVIEW_ID")
        action.add_argument("--execute", type=int, metavar="REVIEW_ID")
        parser.add_argument("--as", dest="username", help="the user taking the decision")
        parser.add_argument("--note", default="", help="why a review is rejected")

    def handle(self, *args, show, propose, approve, reject, execute, username, note, **options):
        if not any([propose, approve, reject, execute]):
            self._list(show)
            return
        if not username:
            raise CommandError("--as USERNAME is required for a decision")
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {username!r}")
        try:
            if propose:
                policy = RetentionPolicy.objects.get(record_type=propose, active=True)
                review = retention.retention_review_propose(actor=actor, policy=policy)
                self.stdout.write(
                    f"review {review.pk} proposed: {len(review.object_pks)} {propose} records; "
                    "a second person must approve it"
                )
                return
            review = RetentionReview.objects.get(pk=approve or reject or execute)
            if approve:
                retention.retention_review_approve(actor=actor, review=review)
                self.stdout.write(f"review {review.pk} approved")
            elif reject:
                retention.retention_review_reject(actor=actor, review=review, note=note)
                self.stdout.write(f"review {review.pk} rejected")
            else:
                count = retention.retention_review_execute(actor=actor, review=review)
                self.stdout.write(f"review {review.pk} executed: {count} records deleted")
        except (RetentionPolicy.DoesNotExist, RetentionReview.DoesNotExist):
            raise CommandError("no such active policy or review") from None
        except (DomainError, retention.PolicyUnavailable) as error:
            raise CommandError(str(error)) from None

    def _list(self, show: int) -> None:
        for policy in RetentionPolicy.objects.filter(active=True):
            head = (
                f"{policy.record_type}: keep {policy.period_months} months "
                f"from {policy.basis_label}"
            )
            try:
                due = retention.past_retention(policy)
                count = due.count()
            except retention.PolicyUnavailable as error:
                self.stdout.write(f"{head} — not checked: {error}")
                continue
            ids = ", ".join(str(pk) for pk in due.values_list("pk", flat=True)[:show])
            more = " …" if count > show else ""
            self.stdout.write(f"{head} — {count} past retention{': ' + ids + more if ids else ''}")
        pending = RetentionReview.objects.filter(status="proposed").count()
        self.stdout.write(f"{pending} review(s) awaiting approval")
