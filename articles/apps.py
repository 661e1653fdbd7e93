from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles.api import schema  # noqa: F401 - registers the OpenAPI auth scheme
        from articles.publishing import workflow
        from articles.site import caching
        from articles.webhooks import events as webhooks

        # Publishing, editing, correcting or unpublishing clears the public cache.
        workflow.article_changed.connect(caching.bump_generation, dispatch_uid="public-cache")
        # …and tells partners' webhook endpoints (published, updated, corrected, unpublished).
        workflow.article_changed.connect(webhooks.on_article_changed, dispatch_uid="webhooks")
