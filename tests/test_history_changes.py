"""The history tells the truth (core/history.py, core/history_admin.py): a save without
changes records nothing, each version shows what it changed per field and language,
and restoring shows its changes first."""

import pytest
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from cities.models import City
from core.history import compare, inline_diff, normalise_text

from .html import form_data, parse

pytestmark = pytest.mark.django_db

SUMMARY = "Pierwszy akapit.\n\nDrugi akapit,\nz nową linią."


def change_url(city):
    return reverse("admin:cities_city_change", args=[city.pk])


def post_form(client, city, **changes):
    data = form_data(client.get(change_url(city)), "city_form")
    data.update(changes, _save="1")
    response = client.post(change_url(city), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return data


def versions_of(obj):
    return list(Version.objects.get_for_object(obj))


class TestNormalisedText:
    @pytest.mark.parametrize(
        ("submitted", "stored"),
        [
            ("a\r\nb", "a\nb"),
            ("a\rb", "a\nb"),
            ("a  \r\nb\t", "a\nb"),
            ("  a\n\n", "a"),
            ("", ""),
        ],
    )
    def test_as_a_browser_submits_it(self, submitted, stored):
        assert normalise_text(submitted) == stored

    def test_inline_diff_marks_words_and_escapes(self):
        html = inline_diff("Ala ma kota", "Ala ma <psa>")
        assert html == "Ala ma <del>kota</del><ins>&lt;psa&gt;</ins>"


class TestSavingWithoutChanges:
    def test_crlf_and_trailing_spaces_are_no_change(self, client, editor, city_a):
        city_a.summary_pl = SUMMARY + "\n"
        city_a.save()
        before = City.objects.get(pk=city_a.pk).updated_at
        client.force_login(editor)
        data = form_data(client.get(change_url(city_a)), "city_form")
        # What a browser sends back for the untouched textarea.
        data["summary_pl"] = data["summary_pl"].replace("\n", "  \r\n")
        data["_save"] = "1"
        response = client.post(change_url(city_a), data, follow=True)
        assert versions_of(city_a) == []
        assert City.objects.get(pk=city_a.pk).updated_at == before
        messages = [str(m) for m in response.context["messages"]]
        assert any("Nic nie zostało zmienione" in m or "Nothing was changed" in m for m in messages)

    def test_text_is_stored_with_plain_line_ends(self, client, editor, city_a):
        client.force_login(editor)
        post_form(client, city_a, summary_pl="Jeden.\r\nDwa.  ")
        city_a.refresh_from_db()
        assert city_a.summary_pl == "Jeden.\nDwa."

    def test_a_changed_mayor_alone_gives_the_city_a_version(self, client, editor, city_a, mayor_a):
        client.force_login(editor)
        post_form(client, city_a, **{"mayors-0-term_end": "2030-04-30"})
        (version,) = versions_of(city_a)
        assert "mayor" in version.revision.get_comment().lower() or "włodarz" in (
            version.revision.get_comment().lower()
        )


class TestWhatAVersionChanged:
    def test_each_field_and_language_with_its_diff(self, client, editor, city_a):
        client.force_login(editor)
        post_form(client, city_a, summary_en="Old text.")
        post_form(client, city_a, summary_en="New text.", summary_pl="Nowy tekst.")
        newest = versions_of(city_a)[0]
        url = reverse("admin:cities_city_version_changes", args=[city_a.pk, newest.pk])
        history = client.get(reverse("admin:cities_city_history", args=[city_a.pk]))
        assert url in history.content.decode()
        with translation.override("pl"):
            page = client.get(url, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
        assert "Streszczenie (po angielsku)" in page
        assert "Streszczenie (po polsku)" in page
        assert "<del>Old</del><ins>New</ins> text." in page
        rows = parse(page).xpath("//table[@class='change-diff__table']//th[@scope='row']")
        assert [row.text_content() for row in rows] == [
            "Streszczenie (po polsku)",
            "Streszczenie (po angielsku)",
        ]

    def test_the_mayors_saved_with_the_city_are_shown(self, client, editor, city_a, mayor_a):
        client.force_login(editor)
        post_form(client, city_a, **{"mayors-0-full_name": "Aleksandra Dulkiewicz-Nowak"})
        (version,) = versions_of(city_a)
        url = reverse("admin:cities_city_version_changes", args=[city_a.pk, version.pk])
        page = client.get(url).content.decode()
        assert "Dulkiewicz<ins>-Nowak</ins>" in page or "<ins>Aleksandra Dulkiewicz-Nowak" in page

    def test_city_staff_read_their_own_citys_changes_only(
        self, client, editor, staff_a, staff_b, city_a, trusted_a
    ):
        client.force_login(editor)
        post_form(client, city_a, summary_en="Text.")
        (version,) = [v for v in versions_of(city_a) if v.revision.user == editor]
        url = reverse("admin:cities_city_version_changes", args=[city_a.pk, version.pk])
        client.force_login(staff_a)
        assert client.get(url).status_code == 200
        client.force_login(staff_b)
        assert client.get(url).status_code == 404

    def test_a_version_of_another_object_is_not_found(self, client, editor, city_a, city_b):
        client.force_login(editor)
        post_form(client, city_b, summary_en="B.")
        (version_b,) = versions_of(city_b)
        url = reverse("admin:cities_city_version_changes", args=[city_a.pk, version_b.pk])
        assert client.get(url).status_code == 404


class TestRestoreShowsItsChanges:
    def test_diff_and_confirmation_before_anything_changes(self, client, editor, city_a):
        client.force_login(editor)
        post_form(client, city_a, summary_en="Good text.")
        post_form(client, city_a, summary_en="Vandalised text.")
        good = versions_of(city_a)[-1]
        url = reverse("admin:cities_city_revision", args=[city_a.pk, good.pk])
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
        assert 'id="restore-confirm"' in page
        assert "<del>Vandalised</del><ins>Good</ins> text." in page
        assert "Tak, przywróć tę wersję" in page
        city_a.refresh_from_db()
        assert city_a.summary_en == "Vandalised text."


def test_compare_reads_versions_and_json_alike(city_a):
    before = {"population": "1000", "kind": "city", "is_ump_member": True}
    after = {"population": 1000, "kind": "voivodeship", "is_ump_member": True}
    with translation.override("en"):
        change = compare(City, before, after, "Gdańsk")
        assert [str(field.label) for field in change.fields] == ["Kind"]
        assert change.fields[0].after == "voivodeship (regional government)"
