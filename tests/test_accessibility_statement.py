"""The accessibility statement ("Deklaracja dostępności", ump_portal/views.py):
the default statement the migration creates, the `a11y-*` ids the Polish technical
conditions require, the footer link and head meta on every page, editors' access."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory
from tests.html import ids, meta, parse
from ump_portal.models import AccessibilityStatement
from ump_portal.views import REQUIRED_IDS

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def text_of(page, element_id):
    return " ".join(page.get_element_by_id(element_id).text_content().split())


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return parse(response)


def statement_url(language):
    with translation.override(language):
        return reverse("accessibility")


def test_the_migration_creates_a_default_statement(db):
    statement = AccessibilityStatement.current()
    assert statement is not None
    assert statement.entity_name_pl == "Unia Metropolii Polskich"
    assert statement.entity_name_en == "Union of Polish Metropolises"
    assert statement.entity_name_uk == "Союз польських метрополій (Unia Metropolii Polskich)"
    for language in LANGUAGES:
        assert getattr(statement, f"procedure_{language}")
        assert getattr(statement, f"contact_person_{language}")
    # The site's languages, as the statement lists them, include Ukrainian.
    assert "po ukraińsku" in statement.additional_information_pl
    assert "Polish, English and Ukrainian" in statement.additional_information_en
    assert "польською, англійською та українською" in statement.additional_information_uk
    assert statement.compliance == AccessibilityStatement.Compliance.PARTIAL


@pytest.mark.parametrize("language", LANGUAGES)
def test_statement_has_every_required_id_once(client, db, language):
    page = get_page(client, statement_url(language))
    for element_id in REQUIRED_IDS:
        assert ids(page).count(element_id) == 1, element_id
    for element_id in (
        "a11y-data-publikacja",
        "a11y-data-aktualizacja",
        "a11y-data-sporzadzenie",
        "a11y-data-przeglad",
    ):
        date = page.get_element_by_id(element_id)
        assert date.tag == "time"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date.get("datetime"))
    link = page.get_element_by_id("a11y-url")
    assert (link.tag, link.get("href")) == ("a", "http://testserver/")
    assert "a11y-ocena" not in ids(page)  # only with an analysis of disproportionate burden


def test_editors_text_is_shown_in_each_language(client, db):
    statement = AccessibilityStatement.current()
    statement.contact_email = "dostepnosc@example.org"
    statement.contact_phone = "+48 22 000 00 00"
    statement.architecture_en = ""  # falls back to Polish, marked as such
    statement.save()
    pl = client.get(statement_url("pl")).content.decode()
    en = client.get(statement_url("en")).content.decode()
    assert "Unia Metropolii Polskich" in pl
    assert "Union of Polish Metropolises" in en
    assert 'href="mailto:dostepnosc@example.org"' in en
    assert 'href="tel:+48220000000"' in en
    architecture = en.split('id="a11y-architektura"')[1].split('id="a11y-aplikacje"')[0]
    assert 'lang="pl"' in architecture
    assert "Portal jest serwisem internetowym" in architecture


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "view_name", ["home", "cities:city_list", "declarations:declaration_list", "search:search"]
)
def test_every_page_links_to_the_statement(client, db, language, view_name):
    with translation.override(language):
        url = reverse(view_name)
    page = get_page(client, url)
    assert statement_url(language) in page.xpath("//footer//a/@href")
    assert meta(page)["deklaracja-dostępności"] == f"http://testserver{statement_url(language)}"


def test_statement_in_ukrainian(client, db):
    page = get_page(client, statement_url("uk"))
    assert page.get("lang") == "uk"
    assert page.findtext(".//h1") == "Декларація про доступність"
    assert text_of(page, "a11y-podmiot") == "Союз польських метрополій (Unia Metropolii Polskich)"
    assert "Уповноваженого з прав людини" in text_of(page, "a11y-procedura")
    # Nothing on the page falls back to Polish; the Polish name of the Act is marked so.
    assert not page.xpath("//main//*[contains(@class, 'fallback')]")
    assert page.xpath("//main//*[@lang = 'pl']/text()") == ["ustawa o dostępności cyfrowej"]


def test_page_is_404_without_a_statement(client, db):
    AccessibilityStatement.objects.all().delete()
    assert client.get(statement_url("en")).status_code == 404


def test_editors_may_change_the_statement_but_not_add_or_delete_it(client, db):
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(codename="change_accessibilitystatement").exists()
    editor = UserFactory(is_staff=True)
    editor.groups.add(editors)
    client.force_login(editor)
    statement = AccessibilityStatement.current()
    change_url = reverse("admin:ump_portal_accessibilitystatement_change", args=[statement.pk])
    assert client.get(change_url).status_code == 200
    assert client.get(reverse("admin:ump_portal_accessibilitystatement_add")).status_code == 403
    delete_url = reverse("admin:ump_portal_accessibilitystatement_delete", args=[statement.pk])
    assert client.get(delete_url).status_code == 403


@pytest.mark.parametrize(
    ("language", "path"),
    [("pl", "/pl/dostepnosc/"), ("en", "/en/accessibility/"), ("uk", "/uk/dostupnist/")],
)
def test_statement_path_is_translated(client, db, language, path):
    assert statement_url(language) == path
    assert client.get(path).status_code == 200
