from django.core.management.base import BaseCommand

from articles.publishing import workflow


class Command(BaseCommand):
    help = (
        "Publish every scheduled article whose time has come. Safe to run every minute "
        "from cron, and safe when two runs overlap."
    )

    def handle(self, *args, **options):
        published = workflow.publish_due()
        for article in published:
            self.stdout.write(f"Published: {article.headline} (#{article.pk})")
        self.stdout.write(f"{len(published)} scheduled article(s) published.")
