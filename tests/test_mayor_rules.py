"""The rules that protect the record of mayors (issue 11, item 3), tried with bad input.

Each rule is checked on the model (`full_clean()`, which every admin form and the
seed loader run) and in the admin, with its translated message:

- the office fits the kind of unit (a region has a marshal, a county a starosta);
- the terms of one unit never overlap (a term may start on the day the previous
  one ends), and a term cannot start before the term of the previous head;
- a mayor that a list of signatories names cannot be deleted, by anybody: a clear
  page or message, never a server error; city staff delete the other mayors of
  their city (their own mistakes).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cities.models import City, Mayor, ProposedChange
from cities.review import approve
from tests.factories import CityFactory, MayorFactory, SignatoryFactory

from .html import form_data, text

pytestmark = pytest.mark.django_db

POLISH = {"HTTP_ACCEPT_LANGUAGE": "pl"}


def errors_of(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def in_polish(message, **params):
    with translation.override("pl"):
        return gettext(message) % params


def admin_url(obj_or_model, kind, *args):
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{kind}", args=args)


class TestTheOfficeFitsTheUnit:
    @pytest.mark.parametrize(
        ("kind", "office"),
        [
            (City.Kind.CITY, Mayor.Office.CITY_PRESIDENT),
            (City.Kind.CITY, Mayor.Office.BURMISTRZ),
            (City.Kind.MUNICIPALITY, Mayor.Office.WOJT),
            (City.Kind.MUNICIPALITY, Mayor.Office.BURMISTRZ),
            (City.Kind.COUNTY, Mayor.Office.STAROSTA),
            (City.Kind.VOIVODESHIP, Mayor.Office.MARSHAL),
        ],
    )
    def test_fitting(self, kind, office):
        mayor = Mayor(
            city=CityFactory(kind=kind),
            full_name="Jan Kowalski",
            office=office,
            term_start=datetime.date(2024, 5, 7),
        )
        mayor.full_clean()

    @pytest.mark.parametrize(
        ("kind", "office"),
        [
            (City.Kind.VOIVODESHIP, Mayor.Office.CITY_PRESIDENT),
            (City.Kind.CITY, Mayor.Office.MARSHAL),
            (City.Kind.CITY, Mayor.Office.WOJT),
            (City.Kind.COUNTY, Mayor.Office.BURMISTRZ),
            (City.Kind.MUNICIPALITY, Mayor.Office.STAROSTA),
        ],
    )
    def test_unfitting(self, kind, office):
        city = CityFactory(kind=kind)
        mayor = Mayor(
            city=city, full_name="Jan Kowalski", office=office, term_start=datetime.date(2024, 5, 7)
        )
        with translation.override("pl"):
            (message,) = errors_of(mayor.full_clean)["office"]
            offices = ", ".join(str(o.label) for o in city.head_offices)
            assert message == in_polish(
                "This office does not head a unit of this kind (%(kind)s). Choose one of: "
                "%(offices)s.",
                kind=city.get_kind_display(),
                offices=offices,
            )

    def test_the_admin_form_says_so(self, client, editor):
        region = CityFactory(kind=City.Kind.VOIVODESHIP, name_pl="Pomorskie", slug="pomorskie")
        client.force_login(editor)
        response = client.post(
            admin_url(Mayor, "add"),
            {
                "city": region.pk,
                "full_name": "Mieczysław Struk",
                "office": Mayor.Office.CITY_PRESIDENT,
                "term_start": "2024-05-07",
                "_save": "1",
            },
            **POLISH,
        )
        assert response.status_code == 200
        (message,) = response.context["adminform"].form.errors["office"]
        assert message.startswith("Ten urząd nie kieruje jednostką tego rodzaju")
        assert "marszałek województwa" in message
        assert not Mayor.objects.exists()

    def test_a_new_row_starts_with_the_units_office(self, client, editor):
        region = CityFactory(kind=City.Kind.VOIVODESHIP, slug="pomorskie")
        client.force_login(editor)
        response = client.get(admin_url(region, "change", region.pk))
        empty = response.context["inline_admin_formsets"][0].formset.empty_form
        assert empty["office"].value() == Mayor.Office.MARSHAL


@pytest.fixture
def gdansk():
    return CityFactory(name_pl="Gdańsk", slug="gdansk")


@pytest.fixture
def adamowicz(gdansk):
    return MayorFactory(
        city=gdansk,
        full_name="Paweł Adamowicz",
        term_start=datetime.date(1998, 11, 1),
        term_end=datetime.date(2019, 1, 14),
    )


@pytest.fixture
def dulkiewicz(gdansk):
    return MayorFactory(
        city=gdansk, full_name="Aleksandra Dulkiewicz", term_start=datetime.date(2019, 3, 1)
    )


def new_mayor(city, start, end=None, name="Jan Nowak"):
    return Mayor(city=city, full_name=name, term_start=start, term_end=end)


class TestTermsDoNotOverlap:
    def test_a_second_head_in_office(self, gdansk, dulkiewicz):
        mayor = new_mayor(gdansk, datetime.date(2024, 5, 7))
        with translation.override("pl"):
            (message,) = errors_of(mayor.full_clean)["term_start"]
        assert message == (
            "Ta kadencja nakłada się na kadencję włodarza (Aleksandra Dulkiewicz, od 1 marca "
            "2019, bez daty końca). Najpierw wpisz datę końca tamtej kadencji (może to być "
            "dzień rozpoczęcia tej)."
        )

    def test_a_term_inside_a_closed_one(self, gdansk, adamowicz):
        mayor = new_mayor(gdansk, datetime.date(2010, 1, 1), datetime.date(2012, 1, 1))
        with translation.override("en"):
            (message,) = errors_of(mayor.full_clean)["term_start"]
        assert message == (
            "This term overlaps the term of Paweł Adamowicz, from Nov. 1, 1998 to Jan. 14, "
            "2019. Terms of office of one unit cannot overlap."
        )

    def test_a_term_that_starts_before_the_previous_heads(self, gdansk, dulkiewicz):
        mayor = new_mayor(gdansk, datetime.date(2014, 5, 7))  # a slip for 2024
        with translation.override("pl"):
            (message,) = errors_of(mayor.full_clean)["term_start"]
        assert message == (
            "Kadencja nie może się zacząć wcześniej niż kadencja poprzedniego włodarza "
            "jednostki (Aleksandra Dulkiewicz, od 1 marca 2019)."
        )

    def test_the_next_term_may_start_on_the_day_the_previous_ends(self, gdansk, adamowicz):
        new_mayor(gdansk, adamowicz.term_end).full_clean()

    def test_a_gap_and_an_earlier_term_are_fine(self, gdansk, adamowicz, dulkiewicz):
        new_mayor(gdansk, datetime.date(1990, 6, 1), datetime.date(1998, 10, 31)).full_clean()
        dulkiewicz.full_clean()  # compared with the others, never with itself

    def test_another_unit_is_no_conflict(self, dulkiewicz):
        new_mayor(CityFactory(), datetime.date(2024, 5, 7)).full_clean()

    def test_a_term_start_is_required(self, gdansk):
        assert "term_start" in errors_of(new_mayor(gdansk, None).full_clean)

    def test_ending_the_current_term_with_the_new_one(self, gdansk, dulkiewicz):
        mayor = new_mayor(gdansk, datetime.date(2024, 5, 7))
        mayor.ends_current_term = True
        mayor.full_clean()
        mayor.save()
        assert mayor.end_current_terms() == [dulkiewicz]
        dulkiewicz.refresh_from_db()
        assert dulkiewicz.term_end == datetime.date(2024, 5, 7)

    def test_ending_the_current_term_cannot_fix_a_start_before_it(self, gdansk, dulkiewicz):
        mayor = new_mayor(gdansk, datetime.date(2014, 5, 7))
        mayor.ends_current_term = True
        assert "term_start" in errors_of(mayor.full_clean)


class TestTermsInTheAdmin:
    """What the admin does with the rules, as city staff trusted to publish directly;
    TestUnderReview follows the same changes through the review."""

    def add(self, client, city, **data):
        url = admin_url(Mayor, "add")
        fields = form_data(client.get(url, **POLISH), "mayor_form")
        fields.update(city=str(city.pk), full_name="Jan Nowak", _save="1", **data)
        return client.post(url, fields, **POLISH)

    def test_the_add_form_points_to_the_tick_box(self, client, staff_a, city_a):
        current = MayorFactory(city=city_a, full_name="Aleksandra Dulkiewicz")
        client.force_login(staff_a)
        response = self.add(client, city_a, term_start="2024-05-07")
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert errors["term_start"][0].startswith("Ta kadencja nakłada się")
        assert errors["end_current_term"] == [
            "Zaznacz to pole, aby kadencja włodarza (Aleksandra Dulkiewicz) zakończyła się "
            "w dniu rozpoczęcia tej kadencji."
        ]
        current.refresh_from_db()
        assert current.term_end is None
        assert Mayor.objects.count() == 1

    def test_the_tick_box_ends_the_current_term(self, client, staff_a, city_a, trusted_a):
        current = MayorFactory(city=city_a, full_name="Aleksandra Dulkiewicz")
        client.force_login(staff_a)
        response = self.add(client, city_a, term_start="2024-05-07", end_current_term="on")
        assert response.status_code == 302
        current.refresh_from_db()
        assert current.term_end == datetime.date(2024, 5, 7)
        history = text(client.get(admin_url(current, "history", current.pk), **POLISH))
        ended = "Zmieniono dane włodarza „Aleksandra Dulkiewicz (Gdańsk)”: koniec kadencji."
        assert ended in history

    def city_form(self, client, city):
        url = admin_url(city, "change", city.pk)
        return url, form_data(client.get(url, **POLISH), "city_form")

    def test_ending_one_term_and_adding_the_next_is_one_save(
        self, client, staff_a, city_a, trusted_a
    ):
        current = MayorFactory(city=city_a, full_name="Aleksandra Dulkiewicz")
        client.force_login(staff_a)
        url, data = self.city_form(client, city_a)
        data.update(
            {
                "mayors-0-term_end": "2024-05-07",
                "mayors-TOTAL_FORMS": "2",
                "mayors-1-full_name": "Jan Nowak",
                "mayors-1-office": Mayor.Office.CITY_PRESIDENT,
                "mayors-1-term_start": "2024-05-07",
                "mayors-1-city": str(city_a.pk),
                "_save": "1",
            }
        )
        assert client.post(url, data, **POLISH).status_code == 302
        current.refresh_from_db()
        assert current.term_end == datetime.date(2024, 5, 7)
        assert city_a.current_mayor.full_name == "Jan Nowak"

    def test_overlapping_rows_are_refused_together(self, client, staff_a, city_a):
        current = MayorFactory(city=city_a, full_name="Aleksandra Dulkiewicz")
        client.force_login(staff_a)
        url, data = self.city_form(client, city_a)
        data.update(
            {
                "mayors-TOTAL_FORMS": "2",
                "mayors-1-full_name": "Jan Nowak",
                "mayors-1-office": Mayor.Office.CITY_PRESIDENT,
                "mayors-1-term_start": "2024-05-07",
                "mayors-1-city": str(city_a.pk),
                "_save": "1",
            }
        )
        response = client.post(url, data, **POLISH)
        assert response.status_code == 200
        forms = response.context["inline_admin_formsets"][0].formset.forms
        assert forms[1].errors["term_start"][0].startswith("Ta kadencja nakłada się")
        assert Mayor.objects.get() == current

    def test_a_rows_office_must_fit(self, client, editor):
        region = CityFactory(kind=City.Kind.VOIVODESHIP, slug="pomorskie")
        client.force_login(editor)
        url, data = self.city_form(client, region)
        data.update(
            {
                "mayors-TOTAL_FORMS": "1",
                "mayors-0-full_name": "Jan Nowak",
                "mayors-0-office": Mayor.Office.WOJT,
                "mayors-0-term_start": "2024-05-07",
                "mayors-0-city": str(region.pk),
                "_save": "1",
            }
        )
        response = client.post(url, data, **POLISH)
        assert response.status_code == 200
        forms = response.context["inline_admin_formsets"][0].formset.forms
        assert forms[0].errors["office"]
        assert not Mayor.objects.exists()


class TestAMayorNamedBySignatoriesStays:
    @pytest.fixture
    def signed(self, city_a):
        mayor = MayorFactory(city=city_a, full_name="Paweł Adamowicz")
        SignatoryFactory(city=city_a, mayor=mayor, declaration__title_pl="Deklaracja UMP")
        return mayor

    def test_nobody_deletes_it_in_the_database(self, signed):
        with pytest.raises(ProtectedError):
            signed.delete()
        with pytest.raises(ProtectedError):
            Mayor.objects.filter(pk=signed.pk).delete()

    def test_the_model_says_why(self, signed):
        with translation.override("pl"):
            assert signed.deletion_refusal().messages == [
                "Nie można usunąć wpisu „Paweł Adamowicz”: odwołuje się do niego lista "
                "sygnatariuszy deklaracji „Deklaracja UMP”, która jest częścią publicznego "
                "rejestru. Jeśli kadencja się zakończyła, wpisz zamiast tego datę jej końca."
            ]

    @pytest.mark.parametrize("who", ["editor", "superuser", "staff_a"])
    def test_the_delete_page_explains(self, client, signed, people, who):
        client.force_login(people[who])
        url = admin_url(signed, "delete", signed.pk)
        response = client.get(url, **POLISH)
        assert response.status_code == 200
        assert "Tego wpisu nie można usunąć" in text(response)
        assert "publicznego rejestru" in text(response)
        assert b'name="post"' not in response.content  # no confirm button
        response = client.post(url, {"post": "yes"}, **POLISH)
        assert response.status_code == 200
        assert Mayor.objects.filter(pk=signed.pk).exists()

    def test_bulk_delete_is_refused(self, client, signed, editor):
        client.force_login(editor)
        response = client.post(
            admin_url(Mayor, "changelist"),
            {"action": "delete_selected", "_selected_action": [signed.pk], "post": "yes"},
            **POLISH,
        )
        assert response.status_code == 200
        assert "Nie można usunąć zaznaczonych wpisów" in text(response)
        assert Mayor.objects.filter(pk=signed.pk).exists()

    def test_the_city_page_says_why_the_row_stays(self, client, signed, staff_a, city_a):
        client.force_login(staff_a)
        url = admin_url(city_a, "change", city_a.pk)
        data = form_data(client.get(url, **POLISH), "city_form")
        data.update({"mayors-0-DELETE": "on", "_save": "1"})
        response = client.post(url, data, **POLISH)
        assert response.status_code == 200
        errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
        assert errors == [signed.deletion_refusal().messages[0]]
        assert Mayor.objects.filter(pk=signed.pk).exists()


class TestCityStaffCorrectTheirMistakes:
    """Staff trusted to publish directly (`trusted_a`) see their correction at once;
    others' waits for review like any other change (TestUnderReview)."""

    def test_deleting_a_mayor_nobody_refers_to(self, client, staff_a, city_a, trusted_a):
        mistake = MayorFactory(city=city_a, full_name="Pomyłka")
        client.force_login(staff_a)
        response = client.post(admin_url(mistake, "delete", mistake.pk), {"post": "yes"})
        assert response.status_code == 302
        assert not Mayor.objects.filter(pk=mistake.pk).exists()

    def test_on_the_city_page_too(self, client, staff_a, city_a, trusted_a):
        mistake = MayorFactory(city=city_a, full_name="Pomyłka")
        client.force_login(staff_a)
        url = admin_url(city_a, "change", city_a.pk)
        data = form_data(client.get(url), "city_form")
        data.update({"mayors-0-DELETE": "on", "_save": "1"})
        assert client.post(url, data).status_code == 302
        assert not Mayor.objects.filter(pk=mistake.pk).exists()

    def test_never_another_citys_mayor(self, client, staff_a, mayor_b):
        client.force_login(staff_a)
        url = admin_url(mayor_b, "delete", mayor_b.pk)
        assert client.post(url, {"post": "yes"}).status_code == 404
        assert Mayor.objects.filter(pk=mayor_b.pk).exists()


class TestUnderReview:
    """City staff who are not trusted: the term ended by the tick box and the mayor
    deleted wait for an editor, and become public together when approved."""

    def test_the_tick_box_waits_for_approval(self, client, staff_a, city_a, editor):
        current = MayorFactory(city=city_a, full_name="Aleksandra Dulkiewicz")
        client.force_login(staff_a)
        response = TestTermsInTheAdmin().add(
            client, city_a, term_start="2024-05-07", end_current_term="on"
        )
        assert response.status_code == 302
        current.refresh_from_db()
        assert current.term_end is None
        assert Mayor.objects.count() == 1

        approve(ProposedChange.objects.get(city=city_a), editor)
        current.refresh_from_db()
        assert current.term_end == datetime.date(2024, 5, 7)
        assert Mayor.objects.filter(city=city_a).count() == 2

    def test_a_deleted_mistake_stays_until_approved(self, client, staff_a, city_a, editor):
        mistake = MayorFactory(city=city_a, full_name="Pomyłka")
        client.force_login(staff_a)
        response = client.post(admin_url(mistake, "delete", mistake.pk), {"post": "yes"})
        assert response.status_code == 302
        assert Mayor.objects.filter(pk=mistake.pk).exists()

        approve(ProposedChange.objects.get(city=city_a), editor)
        assert not Mayor.objects.filter(pk=mistake.pk).exists()
