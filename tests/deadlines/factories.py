import datetime

import factory
from django.contrib.contenttypes.models import ContentType

from deadlines.models import Deadline, DeadlineKind, NonWorkingDay
from tests.accounts.factories import PersonFactory


class NonWorkingDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NonWorkingDay
        django_get_or_create = ("date",)

    date = datetime.date(2024, 3, 6)
    description = "Force closure"


class DeadlineFactory(factory.django.DjangoModelFactory):
    """A deadline straight in the table (for selector and sweep tests); services are tested
    through the services."""

    class Meta:
        model = Deadline
        exclude = ("target",)

    kind = factory.LazyFunction(lambda: DeadlineKind.objects.get(code="reg17_representations"))
    target = factory.SubFactory(PersonFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.target))
    object_id = factory.LazyAttribute(lambda o: o.target.pk)
    label = factory.Sequence(lambda n: f"Case PSD/{n:05d}")
    url = factory.LazyAttribute(lambda o: f"/cases/{o.object_id}/")
    trigger_date = datetime.date(2024, 3, 4)
    due_date = datetime.date(2024, 3, 18)
    next_alert_on = factory.LazyAttribute(lambda o: o.due_date - datetime.timedelta(days=5))
