"""Sign-in protection: django-axes locks out a user name from one address after
repeated failures, with a translated page, without locking out that user from
elsewhere or other users from that address; password validators are on."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def axes_on(settings):
    """The test settings turn axes off for Client.login(); here it is on, as in
    production."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


@pytest.fixture
def editor():
    return UserFactory(username="editor", is_staff=True)


def sign_in(client, username, password, address="198.51.100.7", language="pl"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers={"Accept-Language": language},
    )


def fail(client, username, times, address="198.51.100.7"):
    for _ in range(times):
        sign_in(client, username, "wrong password", address)


def test_a_correct_password_signs_in(client, editor):
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_failures_below_the_limit_show_the_form_again(client, editor):
    fail(client, "editor", 2)
    response = sign_in(client, "editor", "wrong password")
    # The third failure reaches the limit and is the one that locks.
    assert response.status_code == 429
    fresh = sign_in(client, "someone-else", "wrong password")
    assert fresh.status_code == 200
    assert b'id="login-form"' in fresh.content


@pytest.mark.parametrize("language", ["pl", "en"])
def test_locked_out_even_with_the_right_password_on_a_translated_page(client, editor, language):
    fail(client, "editor", 3)
    response = sign_in(client, "editor", PASSWORD, language=language)
    assert response.status_code == 429
    html = response.content.decode()
    with translation.override(language):
        assert gettext("Sign-in blocked") in html
    assert f'lang="{language}"' in html
    assert "15" in html, "says how many minutes to wait"
    assert "__Host-sessionid" not in response.cookies, "not signed in"
    assert "Content-Security-Policy" in response.headers


def test_lockout_is_by_user_name_and_address_together(client, editor):
    UserFactory(username="other", is_staff=True)
    fail(client, "editor", 3, address="198.51.100.7")
    # The same user from another address, and another user from the same one.
    assert sign_in(client, "editor", PASSWORD, address="203.0.113.9").status_code == 302
    client.logout()
    assert sign_in(client, "other", PASSWORD, address="198.51.100.7").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        client.post(
            "/admin/login/",
            {"username": "editor", "password": "wrong password"},
            REMOTE_ADDR="10.0.0.2",
            headers={"X-Forwarded-For": "198.51.100.7"},
        )
    locked = client.post(
        "/admin/login/",
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert locked.status_code == 429
    # Another visitor behind the same proxy is not locked out.
    other = client.post(
        "/admin/login/",
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert other.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_header_is_ignored(client, editor):
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        client.post(
            "/admin/login/",
            {"username": "editor", "password": "wrong password"},
            REMOTE_ADDR="198.51.100.7",
            headers={"X-Forwarded-For": forged},
        )
    assert sign_in(client, "editor", PASSWORD, address="198.51.100.7").status_code == 429


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901", "editor2024"])
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="editor2024")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_strong_password_is_accepted():
    validate_password("Gdańsk-deklaracja-2017-migracja", UserFactory.build())
