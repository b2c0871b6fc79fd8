"""Reactions to other apps' signals."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import Person, User
from accounts.signals import person_status_changed

from .forms import forget_filter_options
from .models import AllegationCategory, Case, SubjectTrack
from .services.lists import (
    advisory_entries_on_volunteer_leaving,
    advisory_entry_on_leaving,
    after_case_closed,
    after_track_change,
)
from .signals import case_closed_early, track_transitioned


@receiver(person_status_changed, sender=Person)
def create_advisory_entries(sender, person, previous_status, change, actor, **kwargs):
    """Leaving while under investigation or proceedings, or a volunteer's designation withdrawn
    or decision to stop: advisory list (Police Act 1996 s88I(1); Regs 2017 reg 12)."""
    advisory_entry_on_leaving(
        person=person, status=change.status, left_on=change.effective_date, actor=actor
    )
    advisory_entries_on_volunteer_leaving(change=change, actor=actor)


@receiver(track_transitioned, sender=SubjectTrack)
def advisory_after_track_change(sender, track, name, actor, **kwargs):
    """No proceedings will be brought: the advisory entry's further report (s88L(1)(a))."""
    after_track_change(track, actor=actor)


@receiver(case_closed_early, sender=Case)
def advisory_after_case_closed(sender, case, name, actor, continued=False, **kwargs):
    """Withdrawn or discontinued: the advisory entries' further reports (s88L(1)(a)/(b)),
    unless the allegations continue in another case."""
    if not continued:
        after_case_closed(case, actor=actor)


# The case list's investigator filter lists active users whose groups may change cases, by
# name, and its category filter the active top-level categories: a change to any of those facts
# sets a new version of the filters' cached options.
_LISTED_FIELDS = {"first_name", "last_name", "username", "is_active"}


@receiver(post_save, sender=User)
def user_saved(sender, instance, created, update_fields=None, **kwargs):
    # A sign-in saves last_login only: that changes no option.
    if created or update_fields is None or _LISTED_FIELDS & set(update_fields):
        forget_filter_options()


@receiver(post_delete, sender=User)
@receiver(post_delete, sender=Group)
@receiver(post_save, sender=AllegationCategory)
@receiver(post_delete, sender=AllegationCategory)
def options_changed(sender, **kwargs):
    forget_filter_options()


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=Group.permissions.through)
def membership_or_permissions_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        forget_filter_options()
