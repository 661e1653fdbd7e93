from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from newsroom.mfa import factors


class Command(BaseCommand):
    help = (
        "Remove a user's second factor (authenticator app and backup codes), e.g. after a "
        "lost phone; they set up a new one at their next sign-in. Noted in their admin "
        "history."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Whose second factor to remove.")
        parser.add_argument("--by", help="Your own username, for the user's history.")

    def handle(self, *args, username, by, **options):
        users = get_user_model().objects
        try:
            user = users.get_by_natural_key(username)
        except users.model.DoesNotExist:
            raise CommandError(f"No user “{username}”. Nothing was changed.") from None
        operator = None
        if by is not None:
            try:
                operator = users.get_by_natural_key(by)
            except users.model.DoesNotExist:
                raise CommandError(f"No user “{by}” (--by). Nothing was changed.") from None
        removed = factors.reset(user, by=operator)
        if not removed:
            self.stdout.write(f"{username} has no second factor; nothing to reset.")
            return
        then = "must set one up" if factors.is_required(user) else "may set one up"
        self.stdout.write(
            f"Removed {username}'s second factor ({removed} device(s)); "
            f"they {then} at their next sign-in."
        )
