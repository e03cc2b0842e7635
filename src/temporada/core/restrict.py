"""Row-level access: every list, detail, export and API read starts from ``restrict()``.

Each scoped model implements ``scope(qs, user, action)``; the default is to show nothing,
so a model that forgets to declare its policy fails closed.
"""

from __future__ import annotations

from django.db import models
from django.http import Http404


class Action(models.TextChoices):
    VIEW = "view"
    EXPORT = "export"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    REVIEW = "review"


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = Action.VIEW):
        """Rows ``user`` may perform ``action`` on. Anonymous users are passed as AnonymousUser."""
        if action not in Action.values:
            raise ValueError(f"unknown action {action!r}")
        return self.model.scope(self, user, action)


class ScopedModel(models.Model):
    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def scope(cls, qs: ScopedQuerySet, user, action: str) -> models.QuerySet:
        return qs.none()


def get_restricted_or_404(qs: ScopedQuerySet, user, action: str = Action.VIEW, **lookup):
    """A forbidden object and a missing one answer the same 404, so ids cannot be probed."""
    try:
        return qs.restrict(user, action).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404()
