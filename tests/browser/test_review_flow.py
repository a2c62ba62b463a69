"""Review before publishing and the history, walked in Polish in a real browser.

City staff update the contact for migrants and see their change waiting; an anonymous
visitor keeps seeing the old text; an editor approves it from the queue on the admin
home after reading its changes, and the visitor then sees the new text. An editor sends
another city's change back with a message, which its staff read on their form. An
editor restores an older version after seeing what restoring changes.

The accounts are written once for the module (committed, so the live server sees
them); each test works on a city of its own. Screenshots go to artifacts/.
"""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Gdańsk-deklaracja-2017-migracja"
NEW_OFFICE = "Centrum Wsparcia Imigrantów i Imigrantek, ul. Jaśkowa Dolina 9, Gdańsk"


@pytest.fixture(scope="module")
def accounts(seeded_site, django_db_blocker):
    from cities.models import City
    from cities.permissions import EDITORS_GROUP
    from cities.roles import grant_city_editor
    from tests.factories import UserFactory

    with django_db_blocker.unblock():
        users = {}
        for slug in ("gdansk", "krakow"):
            user = grant_city_editor(
                City.objects.get(slug=slug), f"urzad-{slug}", email=f"migracje@{slug}.example"
            ).user
            user.set_password(PASSWORD)
            user.save()
            users[slug] = user
        editor = UserFactory(username="redaktorka", is_staff=True, email="redakcja@example.org")
        editor.set_password(PASSWORD)
        editor.save()
        editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
        users["editor"] = editor
        cities = {slug: City.objects.get(slug=slug) for slug in ("gdansk", "krakow", "poznan")}
    return {"users": users, "cities": cities}


def sign_in(page, site, username):
    page.goto(site("/admin/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text(username)


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"review-{name}.png", full_page=True)


def test_staff_change_waits_until_an_editor_approves_it(open_page, seeded_site, accounts):
    site, gdansk = seeded_site, accounts["cities"]["gdansk"]
    visitor = open_page(locale="pl-PL")
    visitor.goto(site("/pl/miasta/gdansk/"))
    expect(visitor.locator("#contact-heading")).to_have_text("Kontakt dla migrantów")
    expect(visitor.locator(".contact-box")).not_to_contain_text(NEW_OFFICE)

    staff = open_page(locale="pl-PL")
    sign_in(staff, site, "urzad-gdansk")
    staff.goto(site(f"/admin/cities/city/{gdansk.pk}/change/"))
    staff.fill("#id_integration_office_pl", NEW_OFFICE)
    staff.click("input[name=_continue]")
    expect(staff.locator(".messagelist")).to_contain_text("przekazana redakcji do zatwierdzenia")
    expect(staff.locator("#id_integration_office_pl")).to_have_value(NEW_OFFICE)
    staff.goto(site("/admin/"))
    expect(staff.locator("#city-staff-welcome")).to_contain_text(
        "Twoja zmiana czeka na zatwierdzenie"
    )
    shot(staff, "staff-home-waiting")

    visitor.reload()
    expect(visitor.locator(".contact-box")).not_to_contain_text(NEW_OFFICE)

    editor = open_page(locale="pl-PL")
    sign_in(editor, site, "redaktorka")
    editor.locator("#review-queue").get_by_role(
        "link", name="Przejrzyj zmianę profilu: Gdańsk"
    ).click()
    diff = editor.locator(".change-diff")
    expect(diff).to_contain_text("Punkt obsługi migrantów (po polsku)")
    expect(diff.locator("ins")).to_contain_text("Jaśkowa Dolina 9")
    shot(editor, "editor-diff")
    editor.get_by_role("button", name="Zatwierdź i opublikuj").click()
    expect(editor.locator(".messagelist")).to_contain_text("została zatwierdzona")
    expect(editor.locator("#review-queue")).to_contain_text("Nic nie czeka na zatwierdzenie")

    visitor.reload()
    expect(visitor.locator(".contact-box")).to_contain_text(NEW_OFFICE)


def test_editor_sends_a_change_back_with_a_message(open_page, seeded_site, accounts):
    site, krakow = seeded_site, accounts["cities"]["krakow"]
    staff = open_page(locale="pl-PL")
    sign_in(staff, site, "urzad-krakow")
    staff.goto(site(f"/admin/cities/city/{krakow.pk}/change/"))
    staff.fill("#id_contact_phone", "12 000 00 00")
    staff.click("input[name=_continue]")
    expect(staff.locator(".messagelist")).to_contain_text("przekazana redakcji")

    editor = open_page(locale="pl-PL")
    sign_in(editor, site, "redaktorka")
    editor.locator("#review-queue").get_by_role(
        "link", name="Przejrzyj zmianę profilu: Kraków"
    ).click()
    editor.get_by_role("button", name="Zwróć z tą wiadomością").click()
    expect(editor.locator(".errornote")).to_contain_text("Napisz, co autor zmiany ma poprawić")
    editor.get_by_label("Wiadomość do autora zmiany").fill(
        "Proszę podać numer z kierunkowym +48 i godziny pracy punktu."
    )
    editor.get_by_role("button", name="Zwróć z tą wiadomością").click()
    expect(editor.locator(".messagelist")).to_contain_text("zwrócona autorowi do poprawy")

    staff.goto(site(f"/admin/cities/city/{krakow.pk}/change/"))
    expect(staff.locator(".messagelist")).to_contain_text(
        "Proszę podać numer z kierunkowym +48 i godziny pracy punktu."
    )
    expect(staff.locator("#id_contact_phone")).to_have_value("12 000 00 00")
    shot(staff, "staff-sent-back")


def test_editor_restores_an_older_version_after_seeing_its_changes(
    open_page, seeded_site, accounts
):
    site, poznan = seeded_site, accounts["cities"]["poznan"]
    editor = open_page(locale="pl-PL")
    sign_in(editor, site, "redaktorka")
    change_url = site(f"/admin/cities/city/{poznan.pk}/change/")
    for summary in ("Stolica Wielkopolski: dobra wersja.", "Tekst zepsuty przez pomyłkę."):
        editor.goto(change_url)
        editor.fill("#id_summary_pl", summary)
        editor.click("input[name=_continue]")
        expect(editor.locator(".messagelist")).to_contain_text("Poznań")

    editor.goto(site(f"/admin/cities/city/{poznan.pk}/history/"))
    rows = editor.locator("#change-history tbody tr")
    expect(rows).to_have_count(2)
    rows.nth(0).get_by_role("link", name="Pokaż zmiany").click()
    expect(editor.locator(".change-diff del")).to_contain_text(
        "Stolica Wielkopolski: dobra wersja."
    )
    editor.go_back()
    rows.nth(1).locator("th a").click()
    confirm = editor.locator("#restore-confirm")
    expect(confirm).to_contain_text("Przywrócić wersję")
    expect(confirm.locator(".change-diff ins")).to_contain_text("dobra wersja")
    shot(editor, "restore-confirm")
    editor.get_by_role("button", name="Tak, przywróć tę wersję").click()

    visitor = open_page(locale="pl-PL")
    visitor.goto(site("/pl/miasta/poznan/"))
    expect(visitor.locator("main")).to_contain_text("Stolica Wielkopolski: dobra wersja.")
