"""Two-factor helpers for tests.

``client.force_login(user)`` (and ``client.login``) already verify the session for two-factor
sign-in (tests/conftest.py). Tests that sign in through the real pages — end-to-end browser
tests — type the code this returns into the "Enter your security code" page::

    page.fill("#id_token", totp_for(alice))
"""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

TEST_DEVICE_NAME = "Test authenticator"


def confirmed_device(user) -> TOTPDevice:
    """The user's confirmed authenticator, created when they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=TEST_DEVICE_NAME, confirmed=True)


def totp_for(user) -> str:
    """The current 6-digit code of ``user``'s authenticator (created if needed).

    A code is accepted once: a second sign-in within the same 30 seconds needs the next one.
    """
    device = confirmed_device(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"
