from django.core.management.base import BaseCommand

from articles.webhooks.delivery import deliver_due


class Command(BaseCommand):
    help = (
        "Send every partner webhook delivery that is due (new ones and retries). Safe to "
        "run every minute from cron, and safe when two runs overlap."
    )

    def handle(self, *args, **options):
        attempted = deliver_due()
        for delivery in attempted:
            self.stdout.write(f"{delivery.get_state_display()}: {delivery}")
        self.stdout.write(f"{len(attempted)} webhook delivery attempt(s) made.")
