"""What a unit's profile lacks (cities/checklist.py): the editors' table and reminders,
city staff's own checklist, and empty states worded for the kind of unit."""

import datetime

import pytest
from django.urls import reverse

from cities.checklist import checks
from cities.models import City, Reminder

from .factories import CityFactory, MayorFactory
from .html import parse, text

pytestmark = pytest.mark.django_db


def missing_keys(city):
    return [check.key for check in checks(city) if not check.done]


class TestChecks:
    def test_an_empty_profile_lacks_everything(self):
        city = CityFactory(
            website="", population=None, summary_pl="Tekst.", summary_en="", summary_uk=""
        )
        assert missing_keys(city) == [
            "contact",
            "head",
            "arms",
            "english",
            "ukrainian",
            "population",
            "website",
        ]

    def test_a_complete_profile_lacks_nothing(self):
        city = CityFactory(
            website="https://www.gdansk.pl",
            population=486000,
            contact_email="migranci@gdansk.pl",
            summary_pl="Tekst.",
            summary_en="Text.",
            summary_uk="Текст.",
            coat_of_arms="cities/arms/gdansk.webp",
        )
        MayorFactory(city=city, term_start=datetime.date(2019, 3, 1), term_end=None)
        assert missing_keys(city) == []

    def test_a_past_head_is_not_a_current_one(self):
        city = CityFactory()
        MayorFactory(
            city=city, term_start=datetime.date(2010, 1, 1), term_end=datetime.date(2014, 1, 1)
        )
        assert "head" in missing_keys(city)


class TestAdminHome:
    def test_editors_see_every_unit_with_what_it_lacks(self, client, editor, city_a, city_b):
        client.force_login(editor)
        page = client.get(reverse("admin:index")).content.decode()
        table = parse(page).xpath("//div[@id='unit-checklist']//tbody/tr")
        assert [row.xpath("string(th/a)") for row in table] == ["Gdańsk", "Łódź"]
        assert "brak" in text(page) or "missing" in text(page)

    def test_city_staff_see_their_own_checklist_only(self, client, staff_a, city_a, city_b):
        client.force_login(staff_a)
        page = client.get(reverse("admin:index")).content.decode()
        assert 'id="unit-checklist"' not in page
        welcome = text(page)
        assert "Gdańsk" in welcome and "Łódź" not in welcome
        assert "Dołącz herb" in welcome or "Attach the coat of arms" in welcome


class TestReminders:
    def test_editor_sends_a_reminder_to_the_city_staff(
        self, client, editor, staff_a, city_a, mailoutbox
    ):
        staff_a.email = "staff-a@gdansk.example"
        staff_a.save()
        client.force_login(editor)
        response = client.post(reverse("admin:cities_city_remind", args=[city_a.pk]))
        assert response.status_code == 302
        (message,) = mailoutbox
        assert message.to == ["staff-a@gdansk.example"]
        assert "Gdańsk" in message.subject
        assert "herb" in message.body.lower()
        reminder = Reminder.objects.get()
        assert (reminder.city, reminder.sent_by) == (city_a, editor)
        page = client.get(reverse("admin:index")).content.decode()
        assert "ostatnio wysłano" in page or "last sent" in page

    def test_no_staff_with_an_address_is_said_plainly(self, client, editor, city_b, mailoutbox):
        client.force_login(editor)
        response = client.post(reverse("admin:cities_city_remind", args=[city_b.pk]), follow=True)
        assert mailoutbox == []
        assert not Reminder.objects.exists()
        assert any("e-mail" in str(m) for m in response.context["messages"])

    def test_city_staff_cannot_send_reminders(self, client, staff_a, city_a):
        client.force_login(staff_a)
        assert client.post(reverse("admin:cities_city_remind", args=[city_a.pk])).status_code == 403


class TestEmptyStatesFitTheKindOfUnit:
    @pytest.mark.parametrize(
        ("kind", "polish", "english"),
        [
            (City.Kind.VOIVODESHIP, "To województwo nie podało", "This region has not yet given"),
            (City.Kind.COUNTY, "Ten powiat nie podał", "This county has not yet given"),
            (
                City.Kind.MUNICIPALITY,
                "Ta gmina nie podała",
                "This municipality has not yet given",
            ),
            (City.Kind.CITY, "To miasto nie podało", "This city has not yet given"),
        ],
    )
    def test_wording(self, client, kind, polish, english):
        city = CityFactory(kind=kind, slug=f"unit-{kind}", contact_email="", contact_phone="")
        assert polish in text(client.get(f"/pl/miasta/{city.slug}/").content.decode())
        page = text(client.get(f"/en/cities/{city.slug}/").content.decode())
        assert english in page
        if kind != City.Kind.CITY:
            assert "This city" not in page

    def test_no_heading_is_followed_only_by_not_recorded(self, client):
        region = CityFactory(kind=City.Kind.VOIVODESHIP, slug="pomorskie")
        page = parse(client.get(f"/en/cities/{region.slug}/").content.decode())
        for heading in page.xpath("//h2"):
            following = heading.getnext()
            if following is not None:
                assert following.text_content().strip().lower() != "not recorded"
        assert "The current marshal of this region is not recorded" in text(
            client.get(f"/en/cities/{region.slug}/").content.decode()
        )
