"""A notification saved or deleted one at a time renews its recipient's unread-count version
(bulk writes do so in ``NotificationQuerySet``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Notification
from .unread import forget_unread


@receiver(post_save, sender=Notification)
@receiver(post_delete, sender=Notification)
def notification_changed(sender, instance, **kwargs):
    forget_unread(instance.recipient_id)
