"""factory_boy factories for every model, with text in every language."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from cities.models import City, Mayor, Voivodeship
from core.publishing import Status
from declarations.models import (
    Declaration,
    Initiative,
    Meeting,
    MeetingDocument,
    Organisation,
    Signatory,
    Team,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name_pl = factory.Sequence(lambda n: f"Miasto {n}")
    name_en = factory.Sequence(lambda n: f"City {n}")
    name_uk = factory.Sequence(lambda n: f"Місто {n}")
    slug = factory.Sequence(lambda n: f"miasto-{n}")
    voivodeship = Voivodeship.MAZOWIECKIE
    is_ump_member = True
    summary_pl = "Krótki opis miasta."
    summary_en = "A short description of the city."
    summary_uk = "Короткий опис міста."


class MayorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mayor

    city = factory.SubFactory(CityFactory)
    full_name = factory.Sequence(lambda n: f"Jan Kowalski {n}")
    term_start = datetime.date(2014, 12, 1)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_pl = factory.Sequence(lambda n: f"Organizacja {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    name_uk = factory.Sequence(lambda n: f"Організація {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")


class PublishedFactory(factory.django.DjangoModelFactory):
    """Published a minute ago unless told otherwise."""

    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))


class DeclarationFactory(PublishedFactory):
    class Meta:
        model = Declaration

    title_pl = factory.Sequence(lambda n: f"Deklaracja {n}")
    title_en = factory.Sequence(lambda n: f"Declaration {n}")
    title_uk = factory.Sequence(lambda n: f"Декларація {n}")
    slug = factory.Sequence(lambda n: f"deklaracja-{n}")
    place_pl = "Gdańsk"
    place_en = "Gdańsk"
    place_uk = "Гданськ"
    date = datetime.date(2017, 6, 30)
    summary_pl = "Streszczenie."
    summary_en = "Summary."
    summary_uk = "Короткий виклад."
    body_pl = "Treść **deklaracji**."
    body_en = "Text of the **declaration**."
    body_uk = "Текст **декларації**."


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    declaration = factory.SubFactory(DeclarationFactory)
    city = factory.SubFactory(CityFactory)
    mayor = factory.SubFactory(MayorFactory, city=factory.SelfAttribute("..city"))
    status = Signatory.Status.SIGNED


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name_pl = "Zespół ds. Migracji i Integracji"
    name_en = "Team for Migration and Integration"
    name_uk = "Робоча група з питань міграції та інтеграції"
    slug = factory.Sequence(lambda n: f"zespol-{n}")


class InitiativeFactory(PublishedFactory):
    class Meta:
        model = Initiative

    title_pl = factory.Sequence(lambda n: f"Inicjatywa {n}")
    title_en = factory.Sequence(lambda n: f"Initiative {n}")
    title_uk = factory.Sequence(lambda n: f"Ініціатива {n}")
    slug = factory.Sequence(lambda n: f"inicjatywa-{n}")
    summary_pl = "Opis inicjatywy."
    summary_en = "About the initiative."
    summary_uk = "Про ініціативу."


class MeetingFactory(PublishedFactory):
    class Meta:
        model = Meeting

    team = factory.SubFactory(TeamFactory)
    title_pl = factory.Sequence(lambda n: f"Posiedzenie {n}")
    title_en = factory.Sequence(lambda n: f"Meeting {n}")
    title_uk = factory.Sequence(lambda n: f"Засідання {n}")
    slug = factory.Sequence(lambda n: f"posiedzenie-{n}")
    host_city = factory.SubFactory(CityFactory)
    start_date = datetime.date(2019, 6, 12)
    theme_pl = "Temat przewodni."
    theme_en = "Main theme."
    theme_uk = "Головна тема."


class MeetingDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingDocument

    meeting = factory.SubFactory(MeetingFactory)
    title_pl = "Protokół"
    title_en = "Minutes"
    title_uk = "Протокол"
    file = factory.django.FileField(filename="minutes.pdf", data=b"%PDF-1.4\n%%EOF\n")
