from django.core.management.base import BaseCommand

from articles.publishing import expiry, workflow


class Command(BaseCommand):
    help = (
        "Publish every scheduled article whose time has come (embargoes lift then too) and "
        "unpublish every article whose unpublish time has come. Safe to run every minute "
        "from cron, and safe when two runs overlap."
    )

    def handle(self, *args, **options):
        published = workflow.publish_due()
        for article in published:
            self.stdout.write(f"Published: {article.headline} (#{article.pk})")
        self.stdout.write(f"{len(published)} scheduled article(s) published.")
        # Said only when something expired: most runs have nothing to take down.
        if expired := expiry.unpublish_expired():
            for article in expired:
                self.stdout.write(f"Unpublished (expired): {article.headline} (#{article.pk})")
            self.stdout.write(f"{len(expired)} expired article(s) unpublished.")
