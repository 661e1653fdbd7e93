from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
        from taggit.models import Tag

        from articles import sanitize
        from articles.api import schema  # noqa: F401 - registers the OpenAPI auth scheme
        from articles.media import renditions
        from articles.models import Article, Author, Image, Redirect, Section
        from articles.publishing import provenance, redirects, shared_records, workflow
        from articles.site import context_processors, purging
        from articles.site import redirects as site_redirects
        from articles.webhooks import events as webhooks

        # No text reaches the database with a character XML cannot carry, whoever saves it
        # (admin, API, commands, tasks, demo loader); see articles.sanitize.
        for model in [*self.get_models(), *apps.get_app_config("sources").get_models(), Tag]:
            pre_save.connect(
                sanitize.clean_text_fields, sender=model, dispatch_uid=f"{model._meta.label}-text"
            )
        # A published piece's signed provenance record is issued for what it now says
        # (before the purge below, so a page re-read after it shows the new record).
        workflow.articles_changed.connect(provenance.on_articles_changed, dispatch_uid="provenance")
        # Publishing, editing, correcting or unpublishing drops the cached pages showing
        # the article (and only those), in the page cache and the edge cache…
        workflow.articles_changed.connect(purging.on_articles_changed, dispatch_uid="public-cache")
        # …and once the worker has made a picture's renditions, the pages that showed the
        # original meanwhile.
        renditions.renditions_made.connect(purging.on_renditions_made, dispatch_uid="renditions")
        # …and tells partners' webhook endpoints (published, updated, corrected, unpublished).
        workflow.articles_changed.connect(webhooks.on_articles_changed, dispatch_uid="webhooks")
        # Every public page draws the sections from the cache: a saved or deleted section
        # re-reads them at once, in whatever process made the change (admin, shell, command).
        # Pages already cached with the old navigation are purged once the change commits.
        for signal, uid in ((post_save, "navigation-saved"), (post_delete, "navigation-deleted")):
            signal.connect(context_processors.refresh_navigation, sender=Section, dispatch_uid=uid)
            signal.connect(purging.on_section_changed, sender=Section, dispatch_uid=f"{uid}-pages")
        # A published article's, a section's, an author's or a tag's changed slug leaves a
        # redirect from each old address, whichever door saved it
        # (articles.publishing.redirects says why here).
        for model in (Article, Section, Author, Tag):
            label = model._meta.label
            pre_save.connect(redirects.on_slug_saving, sender=model, dispatch_uid=f"{label}-slug")
            post_save.connect(redirects.on_slug_saved, sender=model, dispatch_uid=f"{label}-moved")
        # A picture shown inside a body is kept, as a lead image is, whoever deletes it.
        pre_delete.connect(
            shared_records.refuse_deleting_body_images, sender=Image, dispatch_uid="body-images"
        )
        # A changed or removed redirect drops its cached answers.
        for signal, uid in ((post_save, "redirect-saved"), (post_delete, "redirect-deleted")):
            signal.connect(site_redirects.on_redirect_changed, sender=Redirect, dispatch_uid=uid)
