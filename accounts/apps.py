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

        # The per-session cache of user, roles, permissions and device (its receivers load
        # with the module); a saved or deleted two-factor device renews its user's version.
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save
        from django_otp.models import Device

        from . import sessioncache

        for model in apps.get_models():
            if issubclass(model, Device):
                post_save.connect(sessioncache.device_changed, sender=model)
                post_delete.connect(sessioncache.device_changed, sender=model)
