"""Keep the in-process spatial index in step with area edits made one row at a time
(admin, shell). Bulk imports bump the stamp themselves, once."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from geo.models import Area


@receiver(post_save, sender=Area)
@receiver(post_delete, sender=Area)
def area_changed(sender: type[Area], **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    from geo.services import area_index_bump

    area_index_bump()
