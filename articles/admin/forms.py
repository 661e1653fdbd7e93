"""The admin's forms and formsets: the article form with its edit-conflict check, the
inline formsets that enforce the byline, sponsorship and correction rules, and the
webhook endpoint form. (The image form is ``articles.media.forms``: the API uses it too.)"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from taggit.models import Tag

from articles.admin.display import diff_html
from articles.models import Article, Byline, Revision, Sponsorship, WebhookEndpoint
from articles.publishing import revisions, roles, sponsorships, translations
from articles.sanitize import clean_text
from articles.webhooks import transport


class PlainTextForm(forms.ModelForm):
    """A model form that validates text as it will be stored.

    Every save strips what XML cannot carry (``articles.sanitize.clean_text_fields``), but a
    form validates before it saves: without this, "Tech\\x0bnology" would pass the
    uniqueness check against the existing "Technology" (or a formset's check against the
    row above it) and then collide with it in the database. For the admin pages of models
    whose text must be unique; ``tests/articles/test_unique_text.py`` finds every one.
    """

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = clean_text(value)
        return cleaned


class BylineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        bylines = [
            Byline(author=form.cleaned_data["author"], role=form.cleaned_data["role"])
            for form in self.forms
            # A row with errors (a missing or unknown role) is reported as such, not read.
            if form.cleaned_data
            and not form.errors
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("author")
        ]
        if problem := self.instance.ai_involvement_problem(bylines):
            raise ValidationError(problem)


class SponsorshipFormSet(BaseInlineFormSet):
    """Offers only the kind of sponsorship the article's desk may carry, and asks
    ``articles.publishing.sponsorships`` whether this user may make each change."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        kind = sponsorships.kind_for(self.instance)
        form.fields["kind"].choices = [(kind, Sponsorship.Kind(kind).label)]
        form.fields["kind"].initial = kind

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or not form.has_changed():
                continue
            if data.get("DELETE"):
                problem = sponsorships.manage_problem(self.user, self.instance)
            else:
                problem = sponsorships.sponsorship_problem(
                    self.user, self.instance, data.get("kind")
                )
            if problem:
                raise ValidationError(problem)


class CorrectionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        adding = any(
            form.cleaned_data and not form.cleaned_data.get("DELETE") for form in self.extra_forms
        )
        if getattr(self.instance, "_significant_change", False) and not adding:
            raise ValidationError(
                "You marked this edit as significant: add a correction or update note that "
                "tells readers what changed."
            )


class ArticleForm(forms.ModelForm):
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    significant_change = forms.BooleanField(
        required=False,
        label="Significant change",
        help_text="Changes a fact readers may have relied on: requires a correction or "
        "update note below.",
    )
    overwrite = forms.BooleanField(
        required=False,
        label="Save mine anyway",
        help_text="Someone else saved this article while you were editing. Tick to save your "
        "version over theirs; theirs stays in the revision history.",
    )
    review_change = forms.BooleanField(
        required=False,
        label="I reviewed this version",
        help_text="An AI agent is in this piece's byline, and readers are told that a human "
        "reviewed the text they read. Tick to record your review of it as you save; "
        "without one, a change to the published piece is refused.",
    )

    class Meta:
        model = Article
        fields = [
            "headline",
            "dek",
            "body",
            "section",
            "type_of_work",
            "tags",
            "language",
            "translation_of",
            "ai_involvement",
            "lead_image",
            "slug",
        ]

    def __init__(self, *args, user=None, refused: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Why the workflow refused this very save a moment ago (and undid it): shown
        # as the form's errors, with everything the editor typed still in place.
        self.refused = refused or []
        if self.instance._state.adding and user is not None:
            # Known before validation, so the sponsorship inline can check the desk.
            self.instance.desk = roles.desk_for_new_article(user)
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version
        else:
            del self.fields["base_version"]
        if self.instance.published_at is None:
            del self.fields["significant_change"]
        if not (self.instance.pk and self.instance.is_published and self.instance.has_ai_byline):
            del self.fields["review_change"]
        if "base_version" not in self.data and self.add_prefix("overwrite") not in self.data:
            self.fields["overwrite"].widget = forms.HiddenInput()

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        # taggit's field reads the names but not their length, which the database refuses.
        limit = Tag._meta.get_field("name").max_length
        if too_long := [name for name in tags if len(name) > limit]:
            raise ValidationError(
                f"A tag can be at most {limit} characters; “{too_long[0][:40]}…” has "
                f"{len(too_long[0])}."
            )
        return tags

    def clean(self):
        cleaned = super().clean()
        if self.refused:
            raise ValidationError(
                [
                    "Not saved: readers can see this article, and after this change it would "
                    "no longer pass the publish checks:",
                    *self.refused,
                ]
            )
        self._check_translation(cleaned)
        if not self.instance.pk:
            return cleaned
        if cleaned.get("significant_change") and "body" in self.changed_data:
            # Read by CorrectionFormSet, which validates against the same instance.
            self.instance._significant_change = True
        base = cleaned.get("base_version")
        if base is not None and base != self.instance.version and not cleaned.get("overwrite"):
            self.fields["overwrite"].widget = forms.CheckboxInput()
            raise ValidationError(self._conflict_message(base))
        return cleaned

    def _check_translation(self, cleaned: dict) -> None:
        """The translation rules (``articles.publishing.translations``), when the original
        or the language changes."""
        changed = {"translation_of", "language"} & set(self.changed_data)
        if not changed or "language" not in cleaned or "translation_of" not in cleaned:
            return
        found = translations.problems(
            self.instance,
            original=cleaned["translation_of"],
            language=cleaned["language"],
            user=self.user,
        )
        for field, message in found.items():
            self.add_error(field, message)

    def _conflict_message(self, base: int):
        article = self.instance
        theirs = article.revisions.filter(kind=Revision.Kind.SAVED).first()
        mine = revisions.snapshot(article) | {
            field: self.cleaned_data[field]
            for field in revisions.CONTENT_FIELDS
            if field in self.cleaned_data
        }
        kept = revisions.record(
            article,
            by=self.user,
            kind=Revision.Kind.REFUSED,
            note=f"Refused: based on version {base}, but version {article.version} was saved.",
            data=mine,
        )
        base_revision = (
            revisions.history(article)
            .filter(version=base)
            .exclude(kind=Revision.Kind.REFUSED)
            .first()
        )
        # What they changed since the version this editor started from; without a
        # stored base (an article never saved in the admin), how theirs differs from mine.
        changed = (
            revisions.diff(base_revision.data if base_revision else mine, theirs.data)
            if theirs
            else []
        )
        who = theirs.created_by_name if theirs else "someone"
        when = timezone.localtime(theirs.created_at).strftime("%H:%M") if theirs else ""
        compare = reverse("admin:articles_article_revisions", args=[article.pk])
        if theirs:
            compare += f"?a={theirs.number}&b={kept.number}"
        details = diff_html(changed)
        return format_html(
            "Edit conflict: {} saved this article at {} while you were editing "
            "(version {} → {}). They changed: {}. Your text is kept in the form below and "
            'was saved as revision {} so it cannot be lost. <a href="{}">Compare the '
            "versions</a>, then tick “Save mine anyway” to overwrite, or reload to start "
            'from their version.<ul class="conflict-diff">{}</ul>',
            who,
            when,
            base,
            article.version,
            ", ".join(c.label.lower() for c in changed) or "details",
            kept.number,
            compare,
            details,
        )


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=WebhookEndpoint.Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["partner", "url", "events", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if problem := transport.url_problem(url):
            raise ValidationError(problem)
        return url
