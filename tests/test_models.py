"""Models and QuerySets: publishing, current mayor, signatories, languages."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation

from cities.models import City
from core.languages import TextOrigin, missing_languages, translated_text
from core.publishing import Status
from declarations.models import Declaration, Meeting, Signatory
from tests.factories import (
    CityFactory,
    DeclarationFactory,
    MayorFactory,
    MeetingFactory,
    SignatoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


class TestPublished:
    def test_published_excludes_drafts_and_scheduled_items(self):
        public = DeclarationFactory()
        DeclarationFactory(status=Status.DRAFT)
        DeclarationFactory(published_at=timezone.now() + datetime.timedelta(days=1))
        DeclarationFactory(published_at=None)

        assert list(Declaration.objects.published()) == [public]

    def test_scheduled_item_appears_when_its_time_comes(self):
        soon = timezone.now() + datetime.timedelta(hours=1)
        meeting = MeetingFactory(published_at=soon)
        assert meeting.is_scheduled
        assert not Meeting.objects.published().exists()

        Meeting.objects.filter(pk=meeting.pk).update(published_at=timezone.now())
        assert list(Meeting.objects.published()) == [meeting]

    def test_publish_and_unpublish_are_model_methods(self):
        declaration = DeclarationFactory(status=Status.DRAFT, published_at=None)
        declaration.publish()
        declaration.refresh_from_db()
        assert declaration.is_public

        declaration.unpublish()
        declaration.refresh_from_db()
        assert not declaration.is_public
        assert not Declaration.objects.published().exists()

    def test_publish_at_a_future_time_schedules(self):
        declaration = DeclarationFactory(status=Status.DRAFT, published_at=None)
        later = timezone.now() + datetime.timedelta(days=2)
        declaration.publish(at=later)
        assert declaration.is_scheduled
        assert not Declaration.objects.published().exists()

    def test_only_users_who_may_change_an_item_see_drafts(self):
        draft = DeclarationFactory(status=Status.DRAFT)
        superuser = UserFactory(is_superuser=True, is_staff=True)
        staff_without_permission = UserFactory(is_staff=True)

        assert draft in Declaration.objects.visible_to(superuser)
        assert draft not in Declaration.objects.visible_to(staff_without_permission)
        assert draft not in Declaration.objects.visible_to(AnonymousUser())


class TestMayors:
    def test_current_mayor_is_derived_from_term_dates(self):
        city = CityFactory()
        MayorFactory(
            city=city,
            full_name="Former",
            term_start=datetime.date(2006, 12, 1),
            term_end=datetime.date(2018, 11, 22),
        )
        current = MayorFactory(
            city=city, full_name="Current", term_start=datetime.date(2018, 11, 22)
        )
        MayorFactory(
            city=city,
            full_name="Elected",
            term_start=timezone.localdate() + datetime.timedelta(days=30),
        )

        assert City.objects.get(pk=city.pk).current_mayor == current

    def test_city_without_mayor_in_office_has_no_current_mayor(self):
        city = CityFactory()
        MayorFactory(
            city=city, term_end=datetime.date(2010, 1, 1), term_start=datetime.date(2006, 1, 1)
        )
        assert city.current_mayor is None

    def test_term_cannot_end_before_it_starts(self):
        with pytest.raises(IntegrityError):
            MayorFactory(term_start=datetime.date(2020, 1, 1), term_end=datetime.date(2019, 1, 1))


class TestSignatories:
    def test_signatories_of_lists_signers_not_refusals(self):
        declaration = DeclarationFactory(slug="ump")
        signed = SignatoryFactory(declaration=declaration).city
        SignatoryFactory(declaration=declaration, status=Signatory.Status.NOT_SIGNED)
        SignatoryFactory()  # another declaration

        assert list(City.objects.signatories_of("ump")) == [signed]

    def test_one_entry_per_city_and_declaration(self):
        signatory = SignatoryFactory()
        with pytest.raises(IntegrityError):
            SignatoryFactory(declaration=signatory.declaration, city=signatory.city)

    def test_city_sees_only_signatures_of_published_declarations(self):
        city = CityFactory()
        public = SignatoryFactory(city=city)
        SignatoryFactory(city=city, declaration=DeclarationFactory(status=Status.DRAFT))

        assert list(city.signatures.of_published_declarations()) == [public]


class TestLanguages:
    def test_translated_text_falls_back_to_polish_and_says_so(self):
        city = CityFactory(summary_pl="Po polsku.", summary_en="")
        text = translated_text(city, "summary", "en")
        assert (text.text, text.language, text.is_fallback) == ("Po polsku.", "pl", True)

        own = translated_text(city, "summary", "pl")
        assert (own.text, own.is_fallback) == ("Po polsku.", False)

    def test_modeltranslation_falls_back_to_polish(self):
        city = CityFactory(name_pl="Łódź", name_en="")
        with translation.override("en"):
            assert City.objects.get(pk=city.pk).name == "Łódź"

    def test_missing_languages(self):
        city = CityFactory(summary_en="")
        assert missing_languages(city, ["name", "summary"]) == ["en"]
        city.name_uk = ""
        assert missing_languages(city, ["name", "summary"]) == ["en", "uk"]

    def test_text_origin_distinguishes_official_versions_from_our_translations(self):
        official = DeclarationFactory(original_language="pl", official_translations=["en"])
        ours = DeclarationFactory(original_language="pl", official_translations=[])

        assert official.text_origin("pl") == TextOrigin.ORIGINAL
        assert official.text_origin("en") == TextOrigin.OFFICIAL
        # Official in English does not make the Ukrainian text official.
        assert official.text_origin("uk") == TextOrigin.EDITORIAL
        assert ours.text_origin("en") == TextOrigin.EDITORIAL

    @pytest.mark.parametrize(
        ("value", "error"),
        [(["xx"], "Unknown language code: xx."), ("en", "Give a list of language codes.")],
    )
    def test_official_translations_are_languages_of_the_site(self, value, error):
        declaration = DeclarationFactory.build(slug="check", official_translations=value)
        with pytest.raises(ValidationError) as raised:
            declaration.full_clean()
        with translation.override("en"):
            assert raised.value.message_dict["official_translations"] == [error]
