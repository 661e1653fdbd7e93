from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.models import Author, PartnerKey


class Command(BaseCommand):
    help = (
        "Create an API key and print it once (only its hash is stored). Give exactly one "
        "owner: --partner NAME (read only), --agent SLUG (an AI agent filing drafts) or "
        "--user USERNAME (an editor; add --transitions for workflow steps)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="What the key is for, e.g. “Kestrel newsroom app”.")
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--partner", help="Partner organisation (read-only key).")
        owner.add_argument("--agent", help="Slug of the AI-agent author that files drafts.")
        owner.add_argument("--user", help="Username of the editor the key acts for.")
        parser.add_argument("--transitions", action="store_true", help="Editors' keys only.")
        parser.add_argument(
            "--embargoed",
            action="store_true",
            help="Also receive articles under embargo before they publish.",
        )

    def handle(self, *args, name, partner, agent, user, transitions, embargoed, **options):
        fields = {"name": name, "can_read_embargoed": embargoed}
        if transitions and user is None:
            raise CommandError("Only an editor's key (--user) may take workflow transitions.")
        if partner is not None:
            if not partner.strip():
                raise CommandError('Give the partner\'s name: --partner "Example Partner".')
            fields["partner"] = partner.strip()
        elif agent is not None:
            try:
                fields["agent"] = Author.objects.get(slug=agent, kind=Author.Kind.AI_AGENT)
            except Author.DoesNotExist:
                raise CommandError(f"No AI-agent author with slug “{agent}”.") from None
            fields["can_draft"] = True
        else:
            try:
                fields["user"] = get_user_model().objects.get(username=user, is_staff=True)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No staff user “{user}”.") from None
            fields["can_draft"] = True
            fields["can_transition"] = transitions
        key, secret = PartnerKey.objects.create_key(**fields)
        self.stdout.write(f"Created API key “{name}” for {key.owner}.")
        self.stdout.write("Copy it now; it is stored hashed and cannot be shown again:")
        self.stdout.write(secret)
