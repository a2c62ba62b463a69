"""Everyday editing in the admin, in Polish, in Chromium (issue 11).

City staff of Gdańsk update the contact for migrants and add a new mayor while
ending the previous term; an editor schedules a meeting with a document. Around
them: the one language switch (and a form coming back with an error in the
language not shown), the markdown preview, the yes/no icons named in Polish, and
every change list and change form within a 1280 px window. Each page is checked
for Content-Security-Policy violations and script errors. Screenshots of the
pages are left under artifacts/screenshots/ for people to look at.
"""

import datetime

import pytest

from .conftest import ARTIFACTS, record_failures
from .test_admin_csp import RECORD_VIOLATIONS

# django_db: the test database (see conftest.py); the seed is loaded per module.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Gdańsk-deklaracja-2017-migracja"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Anything on the page wider than the window, or a change list that scrolls sideways.
SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    wide.push(`page ${document.documentElement.scrollWidth}`);
  }
  for (const element of document.querySelectorAll(".results, .inline-group, fieldset")) {
    if (element.scrollWidth > element.clientWidth + 1) {
      wide.push(`${element.className} scrolls: ${element.scrollWidth} > ${element.clientWidth}`);
    }
  }
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      wide.push(`${element.tagName.toLowerCase()}.${element.className} ends at ${box.right}`);
    }
  }
  return wide.slice(0, 5);
}"""


@pytest.fixture(scope="module")
def people(seeded_site, django_db_blocker):
    """Gdańsk's city staff and an editor, made as the portal makes them."""
    from django.contrib.auth.models import Group

    from cities.models import City
    from cities.permissions import EDITORS_GROUP
    from cities.roles import grant_city_editor
    from tests.factories import UserFactory

    with django_db_blocker.unblock():
        staff = grant_city_editor(City.objects.get(slug="gdansk"), "staff-gdansk").user
        staff.set_password(PASSWORD)
        staff.save()
        editor = UserFactory(username="editor", password=PASSWORD, is_staff=True)
        editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return {"staff": "staff-gdansk", "editor": "editor"}


@pytest.fixture
def admin_page(open_page, seeded_site):
    """Signs `username` in on a fresh Polish page (Warsaw's time) that records
    policy violations and script errors."""
    pages = []

    def sign_in(username):
        page = open_page(locale="pl-PL", timezone_id="Europe/Warsaw")
        page.context.add_init_script(RECORD_VIOLATIONS)
        page.problems = []
        record_failures(page)
        page.goto(seeded_site("/admin/login/"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("input[type=submit]")
        assert page.url.endswith("/admin/"), "signed in"
        pages.append(page)
        return page

    yield sign_in
    for page in pages:
        assert page.evaluate("window.__cspViolations || []") == []
        assert page.problems == []


def screenshot(page, name):
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "screenshots" / f"admin-{name}.png", full_page=True)


def save(page, button="_save"):
    with page.expect_navigation():
        page.click(f"input[name={button}]")


def messages(page):
    return page.locator(".messagelist li").all_inner_texts()


def approve_open_change(admin_page, people, city_name):
    """An editor approves the change waiting for `city_name` from the queue on the
    admin home (tests/browser/test_review_flow.py looks at that page closely). Through
    the live server, so that the approval is committed: the test's own transaction is
    not seen by the server on PostgreSQL."""
    editor = admin_page(people["editor"])
    with editor.expect_navigation():
        editor.locator("#review-queue").get_by_role(
            "link", name=f"Przejrzyj zmianę profilu: {city_name}"
        ).click()
    with editor.expect_navigation():
        editor.get_by_role("button", name="Zatwierdź i opublikuj").click()
    assert "została zatwierdzona" in messages(editor)[0]


def switch_to(page, language):
    page.click(f".language-switch__button[data-language={language}]")


def test_city_staff_update_the_contact_for_migrants(admin_page, people, django_db_blocker):
    page = admin_page(people["staff"])
    with page.expect_navigation():
        page.click("#city-staff-welcome a")
    assert page.locator("h1").inner_text() == "Edytuj miasto"
    switch = page.locator(".language-switch")
    assert switch.get_attribute("role") == "group"
    assert page.locator(".language-switch__button[aria-pressed=true]").inner_text() == "Polski"
    assert page.is_visible("#id_integration_office_pl")
    assert not page.is_visible("#id_integration_office_en")
    assert "Zwykły tekst" in page.inner_text(".field-integration_office_pl")

    page.fill(
        "#id_integration_office_pl",
        "Centrum Wsparcia Imigrantek i Imigrantów\nul. Jana Heweliusza 11, Gdańsk\npn.-pt. 9-17",
    )
    page.fill("#id_contact_email", "migranci@gdansk.example")
    page.fill("#id_contact_phone", "+48 58 000 00 00")
    switch_to(page, "en")
    assert page.is_visible("#id_integration_office_en")
    assert not page.is_visible("#id_integration_office_pl")
    # The English contact is still empty while the Polish one has text.
    marker = page.locator(".language-switch__button[data-language=en] .language-switch__marker")
    assert marker.inner_text() == "niepełna"
    page.fill(
        "#id_integration_office_en",
        "Migrant Support Centre\n11 Jana Heweliusza St, Gdańsk\nMon-Fri 9-17",
    )
    assert marker.inner_text() == ""
    screenshot(page, "city-staff-contact-1280")
    save(page)

    # Their change waits for an editor (tests/browser/test_review_flow.py walks that
    # part); approved, it is what the tables hold.
    assert messages(page)[0].startswith("Twoja zmiana profilu „Gdańsk” została zapisana")
    from cities.models import City

    with django_db_blocker.unblock():
        gdansk = City.objects.get(slug="gdansk")
        assert not (gdansk.integration_office_pl or "").startswith("Centrum Wsparcia")
    approve_open_change(admin_page, people, "Gdańsk")
    with django_db_blocker.unblock():
        gdansk.refresh_from_db()
        assert gdansk.integration_office_pl.startswith("Centrum Wsparcia")
        assert gdansk.integration_office_en.startswith("Migrant Support Centre")
        assert gdansk.contact_email == "migranci@gdansk.example"


def test_city_staff_add_a_new_mayor_and_end_the_previous_term(
    admin_page, people, django_db_blocker
):
    from cities.models import City

    with django_db_blocker.unblock():
        previous = City.objects.get(slug="gdansk").current_mayor
    page = admin_page(people["staff"])
    with page.expect_navigation():
        page.locator(".model-mayor a", has_text="Włodarze").first.click()
    assert page.locator("h1").inner_text() == "Włodarze"
    with page.expect_navigation():
        page.locator("a.addlink", has_text="Dodaj włodarza").click()
    assert page.locator("h1").inner_text() == "Dodaj włodarza"
    # The only city they edit is chosen already, and its head's office.
    assert page.locator("#id_city option:checked").inner_text().strip() == "Gdańsk"
    assert page.input_value("#id_office") == "prezydent"

    start = datetime.date(2024, 5, 7)
    page.fill("#id_full_name", "Jan Nowak")
    page.fill("#id_term_start", start.strftime("%d.%m.%Y"))
    save(page)
    # A term still open is in the way: the page says so, and points to the box.
    assert "Ta kadencja nakłada się na kadencję włodarza" in page.inner_text(".field-term_start")
    hint = page.inner_text(".field-end_current_term")
    assert f"kadencja włodarza ({previous.full_name})" in hint
    screenshot(page, "mayor-add-error-1280")

    page.check("#id_end_current_term")
    save(page)
    assert messages(page)[0].startswith("Twoja zmiana profilu „Gdańsk” została zapisana")
    with django_db_blocker.unblock():
        previous.refresh_from_db()
        assert previous.term_end is None, "not before an editor approves"
    approve_open_change(admin_page, people, "Gdańsk")
    with django_db_blocker.unblock():
        previous.refresh_from_db()
        assert previous.term_end == start
        assert City.objects.get(slug="gdansk").current_mayor.full_name == "Jan Nowak"


def test_an_editor_schedules_a_meeting_with_a_document(admin_page, people, django_db_blocker):
    page = admin_page(people["editor"])
    page.goto(page.url + "declarations/meeting/add/")
    assert page.locator("h1").inner_text() == "Dodaj spotkanie"
    # The only team is chosen already.
    assert page.locator("#id_team option:checked").inner_text() != "---------"

    page.fill("#id_title_pl", "Posiedzenie Zespołu w Lublinie")
    page.dispatch_event("#id_title_pl", "change")  # Django's prepopulate.js fills the slug
    assert page.input_value("#id_slug") == "posiedzenie-zespolu-w-lublinie"
    page.select_option("#id_status", "published")
    publication = datetime.date.today() + datetime.timedelta(days=30)
    page.fill("#id_published_at_0", publication.strftime("%d.%m.%Y"))
    page.fill("#id_published_at_1", "10:00:00")
    page.fill("#id_start_date", (publication + datetime.timedelta(days=7)).strftime("%d.%m.%Y"))
    page.fill("#id_notes_pl", "**Porządek obrad** w załączniku.")
    page.click(".field-notes_pl .markdown-preview summary")
    page.wait_for_selector(".field-notes_pl .markdown-preview__output strong")
    assert page.inner_text(".field-notes_pl .markdown-preview__output") == (
        "Porządek obrad w załączniku."
    )
    switch_to(page, "en")
    page.fill("#id_title_en", "Team meeting in Lublin")

    page.click("#documents-group .add-row a")
    assert page.inner_text("#documents-group .add-row a") == "Dodaj kolejny dokument"
    # The switch shows the document's title in the language chosen.
    assert page.is_visible("#id_documents-0-title_en")
    assert not page.is_visible("#id_documents-0-title_pl")
    page.fill("#id_documents-0-title_en", "Agenda")
    switch_to(page, "pl")
    page.fill("#id_documents-0-title_pl", "Porządek obrad")
    page.set_input_files(
        "#id_documents-0-file",
        {"name": "porzadek-obrad.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    screenshot(page, "meeting-add-1280")
    save(page)

    assert messages(page) == ["Dodano „Posiedzenie Zespołu w Lublinie”."]
    from declarations.models import Meeting

    with django_db_blocker.unblock():
        meeting = Meeting.objects.get(slug="posiedzenie-zespolu-w-lublinie")
        assert meeting.is_scheduled
        assert meeting.title_en == "Team meeting in Lublin"
        (document,) = meeting.documents.all()
        assert (document.title_pl, document.title_en) == ("Porządek obrad", "Agenda")
        assert document.file_format == "PDF"
    assert "zaplanowany na" in page.inner_text("#result_list")


def test_an_error_in_the_language_not_shown_shows_that_language(admin_page, people):
    page = admin_page(people["editor"])
    page.goto(page.url + "declarations/organisation/add/")
    switch_to(page, "en")
    page.fill("#id_name_en", "International Organization for Migration")
    page.fill("#id_acronym", "IOM")
    save(page)
    # The Polish name is required: the form comes back showing Polish.
    pressed = page.locator(".language-switch__button[aria-pressed=true]")
    assert pressed.get_attribute("data-language") == "pl"
    assert "z błędami" in pressed.inner_text()
    assert page.is_visible("#id_name_pl")
    assert "To pole jest wymagane." in page.inner_text(".field-name_pl")
    screenshot(page, "organisation-error-1280")


def test_yes_and_no_are_named_in_polish(admin_page, people):
    page = admin_page(people["editor"])
    page.goto(page.url + "cities/city/")
    page.wait_for_load_state("load")
    names = set(
        page.eval_on_selector_all("#result_list img[src*='icon-']", "i => i.map(x => x.alt)")
    )
    assert names and names <= {"Tak", "Nie", "Nieznane"}


@pytest.mark.parametrize("who", ["editor", "staff"])
def test_change_lists_and_forms_fit_1280_px(
    admin_page, people, seeded_site, django_db_blocker, who
):
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    with django_db_blocker.unblock():
        paths = []
        for model in admin.site._registry:
            opts = model._meta
            if opts.app_label in {"auth", "axes"}:
                continue  # the superusers' pages
            obj = model.objects.order_by("pk").first()
            try:
                paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
                if obj is not None:
                    paths.append(
                        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                    )
            except NoReverseMatch:
                continue
        if who == "staff":
            from cities.models import City

            gdansk = City.objects.get(slug="gdansk")
            paths = [
                "/admin/cities/city/",
                reverse("admin:cities_city_change", args=[gdansk.pk]),
                "/admin/cities/mayor/",
                "/admin/cities/mayor/add/",
            ]
    page = admin_page(people[who])
    problems = []
    for path in paths:
        response = page.goto(seeded_site(path))
        assert response.status == 200, path
        if wide := page.evaluate(SIDEWAYS):
            problems.append(f"{path}: {wide}")
            screenshot(page, f"too-wide-{who}-{len(problems)}")
    assert problems == [], "see artifacts/screenshots/admin-too-wide-*.png"
