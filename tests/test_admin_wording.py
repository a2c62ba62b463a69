"""The admin in natural Polish and English (issue 11, item 1).

Every registered model's list, add, change, delete and history pages are rendered in
Polish, as an editor (as a superuser for the models editors cannot open) and, for
cities and mayors, as city staff, together with the pages that follow an action
(messages after adding, changing and deleting, a form with errors, a refused
deletion). Each page fails on:

- the generic forms of Django's Polish catalogue: "Dodaj włodarz", "Wybierz
  włodarz do zmiany", "kolejne(go)(-ną)(-ny)", "został(a)(-ło)", "go/ją/je";
- a model's name in the nominative after a verb that takes the accusative;
- English left over: a word of the admin's English vocabulary, or a whole sentence
  of a catalogue (ours, Django's, django-reversion's) that has a Polish translation.

The titles are checked word for word in both languages, and so is the history:
field names in the language of the person who saved, translated fields too.
"""

import json
import re
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from reversion.models import Version

from cities.models import City, Mayor, ProposedChange
from cities.review import approve
from core.admin_wording import DJANGO_SENTENCES
from tests.factories import (
    DeclarationFactory,
    InitiativeFactory,
    MayorFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    SignatoryFactory,
    TeamFactory,
)
from ump_portal.admin import AXES_WORDS

from .html import form_data, parse, text

pytestmark = pytest.mark.django_db

POLISH = {"HTTP_ACCEPT_LANGUAGE": "pl"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}

# What the admin's pages are called, in each language: list, add, change.
TITLES = {
    "pl": {
        "cities.city": ("Miasta", "Dodaj miasto", "Edytuj miasto"),
        "cities.mayor": ("Włodarze", "Dodaj włodarza", "Edytuj włodarza"),
        "declarations.declaration": ("Deklaracje", "Dodaj deklarację", "Edytuj deklarację"),
        "declarations.signatory": (
            "Sygnatariusze",
            "Dodaj sygnatariusza",
            "Edytuj sygnatariusza",
        ),
        "declarations.organisation": ("Organizacje", "Dodaj organizację", "Edytuj organizację"),
        "declarations.team": ("Zespoły", "Dodaj zespół", "Edytuj zespół"),
        "declarations.meeting": ("Spotkania", "Dodaj spotkanie", "Edytuj spotkanie"),
        "declarations.initiative": ("Inicjatywy", "Dodaj inicjatywę", "Edytuj inicjatywę"),
        "ump_portal.accessibilitystatement": (
            "Deklaracja dostępności",
            "Dodaj deklarację dostępności",
            "Edytuj deklarację dostępności",
        ),
        "auth.user": ("Użytkownicy", "Dodaj użytkownika", "Edytuj użytkownika"),
        "auth.group": ("Grupy", "Dodaj grupę", "Edytuj grupę"),
        "axes.accessattempt": ("Próby logowania", None, "Próby logowania"),
        "axes.accesslog": ("Logowania", None, "Logowanie"),
        "axes.accessfailurelog": ("Nieudane logowania", None, "Nieudane logowanie"),
    },
    "en": {
        "cities.city": ("Cities", "Add a city", "Edit city"),
        "cities.mayor": ("Mayors", "Add a mayor", "Edit mayor"),
        "declarations.declaration": ("Declarations", "Add a declaration", "Edit declaration"),
        "declarations.signatory": ("Signatories", "Add a signatory", "Edit signatory"),
        "declarations.organisation": (
            "Organisations",
            "Add an organisation",
            "Edit organisation",
        ),
        "declarations.team": ("Teams", "Add a team", "Edit team"),
        "declarations.meeting": ("Meetings", "Add a meeting", "Edit meeting"),
        "declarations.initiative": ("Initiatives", "Add an initiative", "Edit initiative"),
        "ump_portal.accessibilitystatement": (
            "Accessibility statement",
            "Add an accessibility statement",
            "Edit the accessibility statement",
        ),
        "auth.user": ("Users", "Add a user", "Edit user"),
        "auth.group": ("Groups", "Add a group", "Edit group"),
        "axes.accessattempt": ("Access attempts", None, "Sign-in attempts"),
        "axes.accesslog": ("Access logs", None, "Sign-in"),
        "axes.accessfailurelog": ("Access failures", None, "Failed sign-in"),
    },
}

# A Polish model name (nominative) and its accusative, where they differ: the
# nominative after these words is the broken generic form.
ACCUSATIVES = {
    "włodarz": "włodarza",
    "deklaracja": "deklarację",
    "sygnatariusz": "sygnatariusza",
    "organizacja": "organizację",
    "inicjatywa": "inicjatywę",
    "użytkownik": "użytkownika",
    "grupa": "grupę",
    "deklaracja dostępności": "deklarację dostępności",
    "próba logowania": "próbę logowania",
}
VERBS = ["dodaj", "wybierz", "zmień", "usuń", "zobacz", "edytuj", "skasować", "usunąć"]
VERBS += ["kolejny", "kolejne", "kolejnego", "dodano", "usunięto", "przywróć"]

ALTERNATIVES = [
    # został(a)(-ło), kolejne(go)(-ną)(-ny), usunięty(-ta)(-te), wybrane(-nych)
    re.compile(r"[\wąćęłńóśźż)]\(-?[a-ząćęłńóśźż]{1,5}\)"),
    re.compile(r"\b(?:go/ją|ją/je|nim/nią|nim\(i\))"),
]

# Words of the admin's English that have no business on a Polish page (words that
# are Polish too, such as "to", "do", "go", "no", "data", "status", are left out).
ENGLISH_WORDS = {
    "add", "added", "and", "another", "are", "available", "change", "changed", "changing",
    "choose", "chosen", "cities", "city", "clear", "currently", "declaration", "declarations",
    "delete", "deleted", "deleting", "details", "edit", "empty", "entries", "entry", "failed",
    "file", "filter", "group", "groups", "hide", "history", "home", "incomplete", "initiative",
    "log", "mayor", "mayors", "meeting", "meetings", "missing", "organisation", "password",
    "permissions", "preview", "recent", "recover", "remove", "results", "save", "search",
    "select", "show", "signatory", "site", "successfully", "sure", "team", "the", "today",
    "translation", "user", "users", "view", "was", "were", "yes", "you", "your",
}  # fmt: skip


def catalogue_sentences():
    """English sentences (two words or more, no placeholder) that the catalogues
    translate into Polish: ours, Django's admin and auth, django-reversion's."""
    django_root = Path(django.__file__).parent
    paths = [
        Path("locale/pl/LC_MESSAGES/django.po"),
        django_root / "contrib/admin/locale/pl/LC_MESSAGES/django.po",
        django_root / "contrib/auth/locale/pl/LC_MESSAGES/django.po",
        Path(apps.get_app_config("reversion").path) / "locale/pl/LC_MESSAGES/django.po",
    ]
    sentences = set()
    for path in paths:
        for entry in polib.pofile(str(path)):
            msgid = entry.msgid
            if (
                entry.msgstr
                and msgid not in entry.msgstr
                and len(msgid.split()) >= 2
                and "%" not in msgid
                and "{" not in msgid
            ):
                sentences.add(msgid)
    return sentences


SENTENCES = catalogue_sentences()


# Django names its yes/no icons in English; static/js/admin_accessibility.js
# gives them the admin's words (tests/browser/test_admin_editing.py checks it).
BOOLEAN_ICON_NAMES = {"True", "False", "None"}


def visible_text(response, leave_out=()):
    """What a reader meets on the page: the text (not what is typed into fields),
    and the words of buttons, titles, labels for screen readers and placeholders,
    and the inlines' "add a row" links. `leave_out`: content such as an object's
    own name, which is data, not the admin's words."""
    page = parse(response)
    for element in page.xpath("//script | //style | //textarea"):
        element.drop_tree()
    parts = [text(page)]
    parts += page.xpath("//input[@type='submit' or @type='button']/@value")
    parts += page.xpath("//@title | //@aria-label | //@placeholder")
    parts += [alt for alt in page.xpath("//@alt") if alt not in BOOLEAN_ICON_NAMES]
    for data in page.xpath("//@data-inline-formset"):
        parts.append(json.loads(data)["options"]["addText"])
    page_text = " ".join(parts)
    for content in leave_out:
        page_text = page_text.replace(content, " ")
    return page_text


def problems_in_polish(page_text):
    found = [match.group() for pattern in ALTERNATIVES for match in pattern.finditer(page_text)]
    lowered = page_text.lower()
    for nominative, accusative in ACCUSATIVES.items():
        # "deklaracja dostępności" has a line of its own.
        after = r"(?! dostępności)" if nominative == "deklaracja" else ""
        for verb in VERBS:
            if re.search(rf"\b{verb} {nominative}\b{after}", lowered):
                found.append(f"{verb} {nominative} (not {accusative})")
    words = set(re.findall(r"[a-z]+", lowered))
    found += sorted(f"English word: {word}" for word in words & ENGLISH_WORDS)
    found += sorted(f"English: {s}" for s in SENTENCES if s in page_text)
    return found


def names_of(obj):
    """The names of the model's objects, as its pages show them: data, not the
    admin's words (the groups' names are English data, and django-axes names its
    records in English: "Failed access: user ... from ...")."""
    return [str(each) for each in type(obj).objects.all()]


def h1(response):
    return [text(element) for element in parse(response).iter("h1")]


@pytest.fixture
def world(city_a, mayor_a, staff_a, editor, superuser):
    """One object of each registered model, with Polish text; English left empty,
    so that what is English on a page can only come from the admin itself."""
    team = TeamFactory(name_pl="Zespół ds. Migracji i Integracji", name_en="")
    declaration = DeclarationFactory(
        title_pl="Deklaracja o migracji",
        title_en="",
        summary_en="",
        body_en="",
        place_en="",
    )
    meeting = MeetingFactory(
        team=team, host_city=city_a, title_pl="Posiedzenie w Gdańsku", title_en="", theme_en=""
    )
    MeetingDocumentFactory(meeting=meeting, title_pl="Protokół", title_en="")
    # A second mayor of Gdańsk that no list of signatories names: deletable.
    former = MayorFactory(
        city=city_a,
        full_name="Paweł Adamowicz",
        term_start="1998-11-01",
        term_end="2014-11-30",
    )
    City.objects.filter(pk=city_a.pk).update(name_en="", summary_en="")
    objects = {
        "cities.city": city_a,
        "cities.mayor": former,
        "declarations.declaration": declaration,
        "declarations.signatory": SignatoryFactory(
            declaration=declaration, city=city_a, mayor=mayor_a
        ),
        "declarations.organisation": OrganisationFactory(
            name_pl="Międzynarodowa Organizacja ds. Migracji", name_en="", acronym="IOM"
        ),
        "declarations.team": team,
        "declarations.meeting": meeting,
        "declarations.initiative": InitiativeFactory(
            title_pl="Akademia Integracji", title_en="", summary_en=""
        ),
        "auth.user": staff_a,
        "auth.group": Group.objects.get(name="Editors"),
        "ump_portal.accessibilitystatement": apps.get_model(
            "ump_portal", "AccessibilityStatement"
        ).objects.get(),
    }
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    attempt = {"ip_address": "127.0.0.1", "user_agent": "Firefox", "path_info": "/admin/login/"}
    objects["axes.accessattempt"] = AccessAttempt.objects.create(
        username="staff-a", failures_since_start=1, **attempt
    )
    objects["axes.accesslog"] = AccessLog.objects.create(username="staff-a", **attempt)
    objects["axes.accessfailurelog"] = AccessFailureLog.objects.create(
        username="staff-a", **attempt
    )
    return objects


def admin_url(obj_or_model, kind, *args):
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{kind}", args=args)


def pages_of(client, user, obj, headers):
    """The list, add, change, delete and history pages of `obj`'s model that `user`
    may open, by name."""
    model = type(obj)
    model_admin = admin.site._registry[model]
    client.force_login(user)
    request = client.get(reverse("admin:index"), **headers).wsgi_request
    pages = {
        "list": admin_url(model, "changelist"),
        "change": admin_url(obj, "change", obj.pk),
        "history": admin_url(obj, "history", obj.pk),
    }
    if model_admin.has_add_permission(request):
        pages["add"] = admin_url(model, "add")
    if model_admin.has_delete_permission(request, obj):
        pages["delete"] = admin_url(obj, "delete", obj.pk)
    responses = {}
    for name, url in pages.items():
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
        responses[name] = response
    return responses


def user_for(label, people):
    if label.split(".")[0] in {"auth", "axes"}:
        return people["superuser"]
    return people["editor"]


@pytest.mark.parametrize("label", sorted(TITLES["pl"]))
def test_every_page_of_every_model_reads_as_polish(client, world, people, label):
    assert {model._meta.label_lower for model in admin.site._registry} == set(TITLES["pl"])
    obj = world[label]
    responses = pages_of(client, user_for(label, people), obj, POLISH)
    problems = {
        name: found
        for name, response in responses.items()
        if (found := problems_in_polish(visible_text(response, leave_out=names_of(obj))))
    }
    assert problems == {}
    plural, add, change = TITLES["pl"][label]
    assert h1(responses["list"]) == [plural]
    assert h1(responses["change"]) == [change]
    if "add" in responses:
        assert h1(responses["add"]) == [add]
        assert add in visible_text(responses["list"])  # the add button


@pytest.mark.parametrize("label", sorted(TITLES["en"]))
def test_every_model_has_natural_english_titles(client, world, people, label):
    responses = pages_of(client, user_for(label, people), world[label], ENGLISH)
    plural, add, change = TITLES["en"][label]
    assert h1(responses["list"]) == [plural]
    assert h1(responses["change"]) == [change]
    if "add" in responses:
        assert h1(responses["add"]) == [add]


@pytest.mark.parametrize("label", ["cities.city", "cities.mayor"])
def test_the_pages_of_city_staff_read_as_polish(client, world, staff_a, label):
    responses = pages_of(client, staff_a, world[label], POLISH)
    problems = {
        name: found
        for name, response in responses.items()
        if (found := problems_in_polish(visible_text(response)))
    }
    assert problems == {}
    if label == "cities.mayor":
        assert set(responses) == {"list", "add", "change", "delete", "history"}


def test_the_admin_home_and_app_pages_read_as_polish(client, world, editor, staff_a):
    for user in (editor, staff_a):
        client.force_login(user)
        urls = [reverse("admin:index"), reverse("admin:app_list", args=["cities"])]
        for url in urls:
            response = client.get(url, **POLISH)
            assert problems_in_polish(visible_text(response)) == [], (user, url)


def test_the_other_pages_of_editors_read_as_polish(client, world, editor, city_a):
    """The city's staff page, restoring a version, deleted entries, the password."""
    client.force_login(editor)
    url = admin_url(city_a, "change", city_a.pk)
    data = form_data(client.get(url, **POLISH), "city_form")
    data.update(summary_pl="Nowe streszczenie.", _save="1")
    client.post(url, data, **POLISH)
    version = Version.objects.get_for_object(city_a).first()
    urls = [
        reverse("admin:cities_city_staff", args=[city_a.pk]),
        admin_url(city_a, "revision", city_a.pk, version.pk),
        admin_url(City, "recoverlist"),
        reverse("admin:password_change"),
    ]
    for url in urls:
        response = client.get(url, **POLISH)
        assert response.status_code == 200, url
        assert problems_in_polish(visible_text(response, names_of(city_a))) == [], url


def test_the_inline_add_links_name_the_row(client, world, editor):
    client.force_login(editor)
    expected = {
        "cities.city": "Dodaj kolejnego włodarza",
        "declarations.declaration": "Dodaj kolejnego sygnatariusza",
        "declarations.meeting": "Dodaj kolejny dokument",
    }
    for label, add_text in expected.items():
        obj = world[label]
        page = parse(client.get(admin_url(obj, "change", obj.pk), **POLISH))
        texts = [
            json.loads(data)["options"]["addText"] for data in page.xpath("//@data-inline-formset")
        ]
        assert texts == [add_text]


class TestMessages:
    """What the admin says after an action, in Polish, for each kind of message."""

    def follow(self, client, url, data):
        response = client.post(url, data, follow=True, **POLISH)
        assert response.status_code == 200
        return response

    def messages(self, response):
        return [strip_tags(str(message)) for message in response.context["messages"]]

    def test_added_changed_and_deleted(self, client, world, staff_a, city_a, trusted_a):
        client.force_login(staff_a)
        add_url = admin_url(Mayor, "add")
        data = form_data(client.get(add_url, **POLISH), "mayor_form")
        data.update(
            full_name="Jan Nowak",
            term_start="1990-06-01",
            term_end="1994-12-31",
            _addanother="1",
        )
        response = self.follow(client, add_url, data)
        assert self.messages(response) == [
            "Dodano „Jan Nowak (Gdańsk)”. Poniżej możesz dodać kolejny wpis."
        ]
        mayor = Mayor.objects.get(full_name="Jan Nowak")

        change_url = admin_url(mayor, "change", mayor.pk)
        data = form_data(client.get(change_url, **POLISH), "mayor_form")
        data.update(full_name="Jan Nowak-Kowalski", _continue="1")
        response = self.follow(client, change_url, data)
        assert self.messages(response) == [
            "Zapisano zmiany: „Jan Nowak-Kowalski (Gdańsk)”. Poniżej możesz edytować dalej."
        ]
        assert problems_in_polish(visible_text(response)) == []

        response = self.follow(client, admin_url(mayor, "delete", mayor.pk), {"post": "yes"})
        assert self.messages(response) == ["Usunięto „Jan Nowak-Kowalski (Gdańsk)”."]

    def test_a_form_with_errors(self, client, world, staff_a, city_a):
        client.force_login(staff_a)
        url = admin_url(city_a, "change", city_a.pk)
        data = form_data(client.get(url, **POLISH), "city_form")
        data.update(contact_email="nie-adres", _save="1")
        response = client.post(url, data, **POLISH)
        assert response.status_code == 200
        assert problems_in_polish(visible_text(response)) == []
        assert "Prosimy poprawić poniższy błąd." in visible_text(response)

    def test_bulk_delete(self, client, world, editor):
        client.force_login(editor)
        former = world["cities.mayor"]
        url = admin_url(Mayor, "changelist")
        action = {"action": "delete_selected", "_selected_action": [former.pk]}
        confirmation = client.post(url, action, **POLISH)
        assert problems_in_polish(visible_text(confirmation)) == []
        assert "Czy na pewno usunąć zaznaczone wpisy?" in visible_text(confirmation)
        response = self.follow(client, url, {**action, "post": "yes"})
        assert self.messages(response) == ["Usunięto zaznaczone wpisy (1)."]

    def test_a_refused_deletion(self, client, world, editor, mayor_a):
        client.force_login(editor)
        response = client.get(admin_url(mayor_a, "delete", mayor_a.pk), **POLISH)
        page_text = visible_text(response)
        assert problems_in_polish(page_text) == []
        assert h1(response) == ["Tego wpisu nie można usunąć"]


class TestHistoryInTheUsersLanguage:
    """The comment of a direct save (staff trusted to publish, `trusted_a`), read in
    the language of whoever reads the history, whatever the language of whoever
    saved; an approved change's version says who approved it (tests/test_review.py)."""

    def change_city(self, client, city, headers, **changes):
        url = admin_url(city, "change", city.pk)
        data = form_data(client.get(url, **headers), "city_form")
        data.update(changes, _save="1")
        assert client.post(url, data, **headers).status_code == 302

    def latest_comment(self, client, city, headers):
        """The comment of the newest version, as the history page shows it."""
        page = parse(client.get(admin_url(city, "history", city.pk), **headers))
        return text(page.xpath("//table[@id='change-history']/tbody/tr[1]/td[2]")[0])

    def test_saved_in_polish_read_in_either_language(
        self, client, staff_a, city_a, mayor_a, trusted_a
    ):
        client.force_login(staff_a)
        self.change_city(
            client,
            city_a,
            POLISH,
            summary_en="A port city.",
            contact_email="migranci@gdansk.example",
            **{"mayors-0-term_end": "2030-04-30"},
        )
        assert self.latest_comment(client, city_a, POLISH) == (
            "Zmieniono: streszczenie (angielski) i publiczny adres e-mail do kontaktu. "
            "Zmieniono dane włodarza „Aleksandra Dulkiewicz (Gdańsk)”: koniec kadencji."
        )
        assert self.latest_comment(client, city_a, ENGLISH) == (
            "Changed: summary (English) and public contact e-mail. "
            "Changed term end of mayor “Aleksandra Dulkiewicz (Gdańsk)”."
        )
        response = client.get(admin_url(city_a, "history", city_a.pk), **POLISH)
        assert problems_in_polish(visible_text(response)) == []

    def test_saved_in_english_read_in_polish(self, client, editor, city_a):
        client.force_login(editor)
        self.change_city(client, city_a, ENGLISH, integration_office_pl="Urząd.")
        assert self.latest_comment(client, city_a, ENGLISH) == (
            "Changed: integration office (Polish)."
        )
        assert self.latest_comment(client, city_a, POLISH) == (
            "Zmieniono: punkt obsługi migrantów (polski)."
        )

    def test_an_approved_change_is_read_in_either_language(self, client, staff_a, editor, city_a):
        client.force_login(staff_a)
        self.change_city(client, city_a, POLISH, contact_email="migranci@gdansk.example")
        approve(ProposedChange.objects.get(city=city_a), editor)
        client.force_login(editor)
        english = self.latest_comment(client, city_a, ENGLISH)
        assert english.startswith("Change submitted for review on ")
        assert english.endswith(f", approved by {editor.get_username()}.")
        polish = self.latest_comment(client, city_a, POLISH)
        assert polish.startswith("Zmiana przesłana do zatwierdzenia ")

    def test_an_added_row(self, client, editor, city_a):
        client.force_login(editor)
        url = admin_url(city_a, "change", city_a.pk)
        data = form_data(client.get(url, **POLISH), "city_form")
        data.update(
            {
                "mayors-TOTAL_FORMS": "1",
                "mayors-0-full_name": "Jan Nowak",
                "mayors-0-office": Mayor.Office.CITY_PRESIDENT,
                "mayors-0-term_start": "2030-05-01",
                "mayors-0-city": str(city_a.pk),
                "_save": "1",
            }
        )
        assert client.post(url, data, **POLISH).status_code == 302
        assert (
            self.latest_comment(client, city_a, POLISH) == "Dodano włodarza „Jan Nowak (Gdańsk)”."
        )


def test_permissions_are_named_in_polish(client, world, superuser):
    client.force_login(superuser)
    group = world["auth.group"]
    page = parse(client.get(admin_url(group, "change", group.pk), **POLISH))
    labels = page.xpath("//select[@name='permissions']/option/text()")
    assert "Miasta | włodarze | dodawanie" in labels
    assert "Miasta | miasto | Może nadawać i odbierać dostęp pracownikom miast" in labels
    assert not [label for label in labels if "access attempt" in label]
    assert not [label for label in labels if "Can " in label]


# Placeholders through which Django's sentences name a model.
MODEL_PLACEHOLDERS = [
    "{name}",
    "%(model)s",
    "%(verbose_name)s",
    "%(verbose_name_plural)s",
    "%(object_name)s",
    "%(objects_name)s",
    "%(items)s",
    "%(module_name)s",
    "%(class_name)s",
]


def test_every_override_of_djangos_wording_is_translated():
    """The sentences in core.admin_wording.DJANGO_SENTENCES name no model in
    Polish, and none keeps a generic ending."""
    with translation.override("pl"):
        for sentence in DJANGO_SENTENCES:
            polish = translation.gettext(sentence)
            assert polish != sentence, sentence
            assert not any(pattern.search(polish) for pattern in ALTERNATIVES), polish
            assert not [name for name in MODEL_PLACEHOLDERS if name in polish], polish
            # "%(name)s" is the model's name in Django's sentences, the object's in
            # django-reversion's, which also has "%(model)s".
            assert "%(name)s" not in polish or "%(model)s" in sentence, polish


def test_the_words_django_axes_leaves_in_english_are_polish():
    with translation.override("pl"):
        for words in AXES_WORDS:
            polish = translation.gettext(words)
            assert polish != words, words
            assert not set(re.findall(r"[a-z]+", polish.lower())) & ENGLISH_WORDS, polish
