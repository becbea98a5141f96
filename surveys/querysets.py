"""Chainable query building blocks for surveys."""

from datetime import datetime
from typing import Self

from django.db import models
from django.db.models import Q


class SurveyQuerySet(models.QuerySet):
    def published(self) -> Self:
        return self.filter(status="published")

    def accepting_responses(self, when: datetime) -> Self:
        """Published and inside the opens_at / closes_at window."""
        return self.published().filter(
            Q(opens_at__isnull=True) | Q(opens_at__lte=when),
            Q(closes_at__isnull=True) | Q(closes_at__gt=when),
        )


class ResponseQuerySet(models.QuerySet):
    def submitted(self) -> Self:
        return self.filter(submitted_at__isnull=False)

    def unsubmitted(self) -> Self:
        return self.filter(submitted_at__isnull=True)


class InvitationQuerySet(models.QuerySet):
    def open(self, when: datetime) -> Self:
        """Not started, not answered and not expired."""
        return self.filter(used_at__isnull=True, responded_at__isnull=True, expires_at__gt=when)
