"""Keep the per-process intake category cache in step with category edits."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reports.models import ReportCategory
from reports.selectors import category_intake_cache_clear


@receiver(post_save, sender=ReportCategory, dispatch_uid="reports.category_cache_save")
@receiver(post_delete, sender=ReportCategory, dispatch_uid="reports.category_cache_delete")
def category_changed(sender: type[ReportCategory], **kwargs: Any) -> None:
    # Now (later reads in this transaction see the change) and after commit (a read between
    # the save and the commit may have cached the old state).
    category_intake_cache_clear()
    transaction.on_commit(category_intake_cache_clear)
