from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and personnel"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from guardian.models import GroupObjectPermission, UserObjectPermission

        from audit.registry import track
        from psd.navigation import NavEntry, register

        from .models import GrantRequest, Person, PersonStatusChange, Team

        register(NavEntry("Personnel", "accounts:person_list", "accounts.view_person"))
        User = get_user_model()
        track(Person)
        track(PersonStatusChange)
        # Accounts and role membership: who could do what, and when that changed.
        track(User, exclude_fields=("password", "last_login"))
        track(User.groups.through)
        # Who may do what (issue 12): direct grants to users, role definitions, object
        # permissions (django-guardian's generic tables; apps track their direct-FK ones),
        # teams and their supervisors. The trigger records the actor of each grant/removal.
        track(User.user_permissions.through)
        track(Group.permissions.through)
        track(UserObjectPermission)
        track(GroupObjectPermission)
        track(Team)
        track(GrantRequest)  # every proposal and decision is on the trail (issue 20)
        register(NavEntry("Grants", "accounts:grants", "accounts.manage_grants"))
