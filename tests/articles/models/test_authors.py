"""Authors: what an AI agent must disclose, and who can be deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from articles.models import Author
from tests.factories import AIAgentFactory, AuthorFactory, BylineFactory, UserFactory

pytestmark = pytest.mark.django_db


# -- AI agents ------------------------------------------------------------


def test_ai_agent_without_supervising_editor_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AIAgentFactory(supervising_editor=None)


def test_ai_agent_without_operator_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AIAgentFactory(operator="")


def test_ai_agent_missing_disclosure_gets_a_message_per_field():
    agent = Author(kind=Author.Kind.AI_AGENT, name="Ledger", slug="ledger")
    with pytest.raises(ValidationError) as excinfo:
        agent.full_clean()
    errors = excinfo.value.message_dict
    assert errors["operator"] == ["An AI agent must record the organisation that operates it."]
    assert errors["supervising_editor"] == [
        "An AI agent must record the human editor who supervises it."
    ]
    assert "system" in errors
    assert "disclosure" in errors


def test_ai_agent_cannot_be_a_staff_login():
    agent = AIAgentFactory.build(user=UserFactory(), supervising_editor=UserFactory())
    with pytest.raises(ValidationError) as excinfo:
        agent.full_clean()
    assert "cannot be linked to a staff account" in str(excinfo.value)


def test_human_journalist_needs_no_ai_fields():
    author = AuthorFactory(operator="", supervising_editor=None)
    author.full_clean()
    assert not author.is_ai_agent
    assert author.description == "Reporter"


def test_ai_agent_describes_itself_and_its_beats():
    agent = AIAgentFactory(operator="Newsroom Media Ltd")
    assert agent.description == "an AI agent operated by Newsroom Media Ltd"
    assert agent.covers == "Covers: AI, machine learning, autonomous systems"
    assert str(agent).endswith("(AI agent)")


def test_author_with_bylines_cannot_be_deleted():
    byline = BylineFactory()
    with pytest.raises(ProtectedError):
        byline.author.delete()
    assert Author.objects.filter(pk=byline.author.pk).exists()


def test_supervising_editor_of_an_agent_cannot_be_deleted():
    agent = AIAgentFactory()
    with pytest.raises(ProtectedError):
        agent.supervising_editor.delete()
