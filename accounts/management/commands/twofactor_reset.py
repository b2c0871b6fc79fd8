from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.twofactor import twofactor_reset
from psd.domain import DomainError


class Command(BaseCommand):
    help = "Reset a user's two-factor sign-in (lost phone). Audited; needs a second admin."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--as", dest="actor", required=True, help="the administrator")
        parser.add_argument("--reason", required=True)

    def handle(self, *args, username, actor, reason, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
            admin = User.objects.get(username=actor, is_active=True)
            twofactor_reset(actor=admin, user=user, reason=reason)
        except User.DoesNotExist:
            raise CommandError("no such user") from None
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"two-factor sign-in reset for {username}; they enrol at next sign-in")
