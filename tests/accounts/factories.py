import datetime

import factory
from django.contrib.auth.models import Group

from accounts.models import Department, Force, Person, Rank, RoleType, Team, User
from psd.roles import Role

PASSWORD = "correct-horse-battery-staple"


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ("code",)

    name = "Example Constabulary"
    code = "EX"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"PSD Team {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    force = factory.SubFactory(ForceFactory)
    forename = factory.Faker("first_name")
    surname = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_between", start_date="-60y", end_date="-19y")
    number = factory.Sequence(lambda n: f"PC{n:05d}")
    role_type = RoleType.OFFICER
    rank = factory.LazyFunction(lambda: Rank.objects.get(name="Constable"))


class StaffPersonFactory(PersonFactory):
    role_type = RoleType.STAFF
    rank = None
    number = factory.Sequence(lambda n: f"S{n:05d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@psd.example")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(Group.objects.get(name=Role(role).label))
        if create:
            self.save()


def user_with_role(role: Role, username: str | None = None, **kwargs) -> User:
    return UserFactory(username=username or role.value, roles=[role], **kwargs)


def today_minus(days: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=days)
