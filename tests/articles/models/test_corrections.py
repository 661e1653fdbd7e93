"""Corrections: dated, in order, and never edited or deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Correction
from tests.factories import CorrectionFactory

pytestmark = pytest.mark.django_db


# -- corrections ----------------------------------------------------------


def test_corrections_are_dated_and_in_order():
    first = CorrectionFactory()
    second = CorrectionFactory(article=first.article, kind=Correction.Kind.UPDATE)
    assert list(first.article.corrections.all()) == [first, second]
    assert first.article.last_correction_at == second.created_at


def test_corrections_cannot_be_edited_or_deleted():
    correction = CorrectionFactory()
    correction.text = "Rewritten history"
    with pytest.raises(ValidationError):
        correction.save()
    with pytest.raises(ValidationError):
        correction.delete()
    correction.refresh_from_db()
    assert correction.text == "An earlier version misstated the quarter."


def test_unknown_correction_kind_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionFactory(kind="erratum")
