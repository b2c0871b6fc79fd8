"""Two-factor sign-in: enrolment, verification, recovery codes; lockout; idle sessions."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from audit.twofactor import services
from tests.accounts.factories import PASSWORD
from tests.helpers.otp import confirmed_device, totp_for

pytestmark = [pytest.mark.django_db, pytest.mark.no_auto_otp]

PERSONNEL = "/personnel/"


def sign_in_with_password(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return response


def test_a_user_without_an_authenticator_is_sent_to_set_one_up(client, alice):
    client.force_login(alice)
    response = client.get(PERSONNEL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('twofactor:enrol')}?next={PERSONNEL}"


def test_a_user_with_an_authenticator_must_enter_a_code(client, alice):
    confirmed_device(alice)
    client.force_login(alice)
    response = client.get(PERSONNEL)
    assert response["Location"].startswith(reverse("twofactor:verify"))


@pytest.mark.parametrize("path", ["/admin/", "/", "/audit/", "/personnel/1/"])
def test_every_staff_page_needs_the_second_factor(client, ada, path):
    confirmed_device(ada)
    client.force_login(ada)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor:verify"))


def test_public_pages_and_sign_out_stay_open_before_verification(client, alice):
    client.force_login(alice)
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("twofactor:enrol")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_full_sign_in_with_password_and_code(client, alice):
    code = totp_for(alice)
    response = sign_in_with_password(client, alice)
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("twofactor:verify"))
    response = client.post(reverse("twofactor:verify"), {"token": code, "next": PERSONNEL})
    assert response.status_code == 302 and response["Location"] == PERSONNEL
    assert client.get(PERSONNEL).status_code == 200
    assert AuditEntry.objects.filter(actor=alice, action="auth.2fa_verified").exists()


def test_a_wrong_code_is_refused_with_a_readable_error(client, alice):
    confirmed_device(alice)
    client.force_login(alice)
    response = client.post(reverse("twofactor:verify"), {"token": "000000"})
    assert response.status_code == 200
    assert "That code did not match" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert client.get(PERSONNEL).status_code == 302
    assert AuditEntry.objects.filter(actor=alice, action="auth.2fa_failed").exists()


def test_verify_ignores_a_next_address_on_another_site(client, alice):
    code = totp_for(alice)
    client.force_login(alice)
    response = client.post(
        reverse("twofactor:verify"), {"token": code, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_enrolment_shows_the_secret_and_qr_code_then_recovery_codes(client, alice):
    client.force_login(alice)
    page = client.get(reverse("twofactor:enrol")).content.decode()
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    assert "otpauth://totp/" in page
    assert services.totp_setup_details(device)["secret"] in page
    assert "<svg" in page and "style=" not in page

    response = client.post(reverse("twofactor:enrol"), {"token": totp_for_device(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = response.context["codes"]
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert all(code in response.content.decode() for code in codes)
    assert client.get(PERSONNEL).status_code == 200  # the session is verified


def totp_for_device(device):
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_a_wrong_enrolment_code_leaves_the_device_unconfirmed(client, alice):
    client.force_login(alice)
    client.get(reverse("twofactor:enrol"))
    response = client.post(reverse("twofactor:enrol"), {"token": "123456"})
    assert "That code did not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice, confirmed=True).exists()


def test_a_password_alone_cannot_register_a_new_authenticator(client, alice):
    confirmed_device(alice)
    client.force_login(alice)
    response = client.get(reverse("twofactor:enrol"))
    assert response["Location"] == reverse("twofactor:verify")


def test_a_recovery_code_works_once(client, alice):
    confirmed_device(alice)
    codes = services.recovery_codes_regenerate(user=alice)
    client.force_login(alice)
    response = client.post(reverse("twofactor:verify"), {"token": codes[0]})
    assert response.status_code == 302
    assert services.recovery_codes_left(alice) == len(codes) - 1

    client.post(reverse("logout"))
    client.force_login(alice)
    response = client.post(reverse("twofactor:verify"), {"token": codes[0]})
    assert response.status_code == 200 and "did not match" in response.content.decode()


def test_regenerating_recovery_codes_replaces_the_old_ones(client, alice):
    old = services.recovery_codes_regenerate(user=alice)
    new = services.recovery_codes_regenerate(user=alice)
    assert services.recovery_codes_left(alice) == len(new)
    assert not set(old) & set(new)


def test_five_failed_sign_ins_lock_the_account_with_a_friendly_page(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "alice", "password": "wrong-guess"})
        assert response.status_code == 200  # the form, with its error
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong-guess"})
    assert response.status_code == 429  # the fifth failure pauses sign-in
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in is paused" in page and "15 minutes" in page
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.login_failed", target_label="alice").count() >= 5


def test_the_lockout_lifts_after_the_cool_off(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong-guess"})
    later = timezone.now() + settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)
    with time_machine.travel(later):
        sign_in_with_password(client, alice)
        assert "_auth_user_id" in client.session


def test_another_users_failures_do_not_lock_alice(client, alice, bob, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(reverse("login"), {"username": "bob", "password": "wrong-guess"})
    sign_in_with_password(client, alice)


@pytest.mark.parametrize("idle_minutes, signed_in", [(20, True), (31, False)])
def test_sessions_end_after_inactivity(client, alice, idle_minutes, signed_in):
    code = totp_for(alice)
    sign_in_with_password(client, alice)
    client.post(reverse("twofactor:verify"), {"token": code})
    assert client.get(PERSONNEL).status_code == 200
    later = timezone.now() + datetime.timedelta(minutes=idle_minutes)
    with time_machine.travel(later):
        response = client.get(PERSONNEL)
    assert (response.status_code == 200) is signed_in


def test_an_administrator_resets_a_lost_authenticator(client, alice, ada):
    from django.core.management import CommandError, call_command

    confirmed_device(alice)
    services.recovery_codes_regenerate(user=alice)
    with pytest.raises(CommandError, match="reason"):
        call_command("twofactor_reset", "alice", "--as", "ada", "--reason", " ")
    with pytest.raises(CommandError, match="another administrator"):
        call_command("twofactor_reset", "ada", "--as", "ada", "--reason", "Lost phone")
    with pytest.raises(CommandError, match="Only an administrator"):
        call_command("twofactor_reset", "ada", "--as", "alice", "--reason", "Lost phone")
    call_command("twofactor_reset", "alice", "--as", "ada", "--reason", "Lost phone")
    assert not services.has_confirmed_device(alice)
    entry = AuditEntry.objects.get(action="auth.2fa_reset")
    assert entry.actor == ada and entry.reason == "Lost phone"
    client.force_login(alice)
    assert client.get(PERSONNEL)["Location"].startswith(reverse("twofactor:enrol"))


def session_saves(queries) -> list:
    return [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "django_session"')]


def test_activity_slides_the_expiry_without_saving_the_session_on_every_page(client, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice)
    client.get(PERSONNEL)
    with CaptureQueriesContext(connection) as queries:
        client.get(PERSONNEL)
    assert session_saves(queries) == []
    later = timezone.now() + datetime.timedelta(minutes=2)
    with time_machine.travel(later), CaptureQueriesContext(connection) as queries:
        client.get(PERSONNEL)
    assert len(session_saves(queries)) == 1
