import pytest
from django.contrib.auth.models import Group, Permission

from articles.models import Article
from articles.publishing import roles
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


def group_permissions() -> dict[str, set[tuple[str, str]]]:
    return {
        group.name: set(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.all()
    }


def newsroom_draft(created_by):
    return ArticleFactory(created_by=created_by, desk=Article.Desk.NEWSROOM)


def commercial_draft(created_by):
    article = ArticleFactory(created_by=created_by, desk=Article.Desk.COMMERCIAL)
    SponsorshipFactory(article=article)
    return article


def set_status(article, status):
    Article.objects.filter(pk=article.pk).update(status=status)
    article.refresh_from_db()
    return article


# -- the role groups ---------------------------------------------------------------


def test_the_five_role_groups_exist(role_groups):
    assert set(Group.objects.values_list("name", flat=True)) == {
        "Reporter",
        "Editor",
        "Sponsored content editor",
        "Standards editor",
        "Administrator",
    }


def test_syncing_roles_twice_changes_nothing(role_groups):
    before = group_permissions()
    counts = roles.sync_roles()

    assert group_permissions() == before
    assert Group.objects.count() == 5
    assert counts == {name: len(perms) for name, perms in before.items()}


def test_administrators_hold_every_permission(role_groups):
    assert Group.objects.get(name="Administrator").permissions.count() == Permission.objects.count()


def test_only_editors_and_administrators_may_edit_any_newsroom_article(role_groups):
    holders = {
        name
        for name, perms in group_permissions().items()
        if ("articles", "edit_newsroom_article") in perms
    }
    assert holders == {"Editor", "Administrator"}


def test_only_the_commercial_desk_and_administrators_manage_sponsored_content(role_groups):
    holders = {
        name
        for name, perms in group_permissions().items()
        if ("articles", "manage_sponsored_content") in perms
    }
    assert holders == {"Sponsored content editor", "Administrator"}


# -- which desk a new article belongs to -------------------------------------------


def test_commercial_editor_makes_commercial_pieces(commercial):
    assert roles.desk_for_new_article(commercial) == Article.Desk.COMMERCIAL


@pytest.mark.parametrize("persona", ["reporter", "editor", "administrator", "superuser"])
def test_everyone_else_makes_newsroom_pieces(persona, request):
    user = request.getfixturevalue(persona)
    assert roles.desk_for_new_article(user) == Article.Desk.NEWSROOM


# -- who may edit what ---------------------------------------------------------------


def test_reporter_edits_own_draft(reporter):
    assert roles.can_edit(reporter, newsroom_draft(reporter))


def test_reporter_edits_a_draft_they_are_bylined_on(reporter, other_reporter):
    article = newsroom_draft(other_reporter)
    BylineFactory(article=article, author=AuthorFactory(user=reporter))
    assert roles.can_edit(reporter, article)


def test_reporter_cannot_edit_another_reporters_draft(reporter, other_reporter):
    assert not roles.can_edit(reporter, newsroom_draft(other_reporter))


@pytest.mark.parametrize(
    "status",
    [
        Article.Status.IN_REVIEW,
        Article.Status.APPROVED,
        Article.Status.SCHEDULED,
        Article.Status.PUBLISHED,
        Article.Status.UNPUBLISHED,
    ],
)
def test_reporter_cannot_edit_own_article_once_submitted(reporter, status):
    article = newsroom_draft(reporter)
    Article.objects.filter(pk=article.pk).update(
        status=status, scheduled_for="2030-01-01T09:00Z", published_at="2026-01-01T09:00Z"
    )
    article.refresh_from_db()
    assert not roles.can_edit(reporter, article)


def test_reporter_cannot_edit_a_commercial_piece(reporter, commercial):
    assert not roles.can_edit(reporter, commercial_draft(commercial))


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.IN_REVIEW])
def test_editor_edits_any_newsroom_article(editor, reporter, status):
    article = set_status(newsroom_draft(reporter), status)
    assert roles.can_edit(editor, article)


def test_editor_cannot_edit_a_commercial_piece(editor, commercial):
    assert not roles.can_edit(editor, commercial_draft(commercial))


def test_commercial_editor_edits_commercial_pieces(commercial):
    article = commercial_draft(commercial)
    assert roles.can_edit(commercial, article)
    assert roles.can_edit(commercial, set_status(article, Article.Status.IN_REVIEW))


def test_commercial_editor_cannot_edit_a_newsroom_article(commercial, reporter):
    assert not roles.can_edit(commercial, newsroom_draft(reporter))


def test_commercial_editor_bylined_on_a_newsroom_article_still_cannot_touch_it(
    commercial, reporter
):
    # Say a reporter moved to the commercial desk: their old bylines must not open
    # the newsroom's pieces to them, least of all to publishing.
    article = newsroom_draft(reporter)
    BylineFactory(article=article, author=AuthorFactory(user=commercial))
    assert not roles.can_work_on(commercial, article)
    assert not roles.can_edit(commercial, article)


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.PUBLISHED])
def test_administrator_edits_everything(administrator, reporter, commercial, status):
    newsroom = newsroom_draft(reporter)
    sponsored = commercial_draft(commercial)
    Article.objects.update(status=status, published_at="2026-01-01T09:00Z")
    newsroom.refresh_from_db()
    sponsored.refresh_from_db()
    assert roles.can_edit(administrator, newsroom)
    assert roles.can_edit(administrator, sponsored)


def test_deactivated_editor_edits_nothing(editor, reporter):
    editor.is_active = False
    editor.save()
    assert not roles.can_edit(editor, newsroom_draft(reporter))


def test_desk_lists_follow_the_firewall(reporter, editor, commercial):
    own = ArticleFactory(created_by=reporter)
    bylined = ArticleFactory()
    BylineFactory(article=bylined, author=AuthorFactory(user=commercial))
    sponsored = ArticleFactory(created_by=commercial, desk=Article.Desk.COMMERCIAL)

    assert set(Article.objects.on_desks_of(reporter)) == {own}
    assert set(Article.objects.on_desks_of(editor)) == {own, bylined}
    # Not even the newsroom piece the commercial editor is bylined on.
    assert set(Article.objects.on_desks_of(commercial)) == {sponsored}


def test_create_api_key_prints_the_key_once_and_stores_only_its_hash(editor):
    from io import StringIO

    from django.core.management import call_command

    from articles.models import PartnerKey

    out = StringIO()
    call_command("create_api_key", "Wire desk", "--user", "editor", "--transitions", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    key = PartnerKey.objects.get()
    assert key.user == editor and key.can_transition
    assert secret not in {key.id, key.hashed_key, key.prefix}
    assert key.prefix == secret.split(".")[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--partner", ""], "Give the partner's name"),
        (["--agent", "nobody"], "No AI-agent author with slug"),
        (["--user", "nobody"], "No staff user"),
        (["--partner", "Acme", "--transitions"], "Only an editor's key"),
    ],
)
def test_create_api_key_refuses_bad_owners_with_a_message(db, args, message):
    from django.core.management import CommandError, call_command

    from articles.models import PartnerKey

    with pytest.raises(CommandError, match=message):
        call_command("create_api_key", "Bad", *args)
    assert not PartnerKey.objects.exists()
