from django.core.management.base import BaseCommand

from articles.publishing.roles import sync_roles


class Command(BaseCommand):
    help = "Create or update the newsroom's role groups and their permissions (idempotent)."

    def handle(self, *args, **options):
        for name, count in sync_roles().items():
            self.stdout.write(f"{name}: {count} permissions")
