import datetime

import factory
from allauth.account.models import EmailAddress

from accounts.choices import (
    AgeGroup,
    Education,
    InstitutionCategory,
    Occupation,
    Purpose,
    Role,
    Sex,
)
from accounts.models import Membership, User
from offices.models import Counter, Locker, Office, OpeningHours, ServiceStandard

PASSWORD = "correct-horse-battery-9"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{3300 + n:04d}")
    name = factory.LazyAttribute(lambda o: f"BPS Kabupaten {o.code}")
    address = "Jl. Contoh No. 1"
    email = factory.LazyAttribute(lambda o: f"bps{o.code}@bps.go.id")


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    office = factory.SubFactory(OfficeFactory)
    weekday = 0
    opens = datetime.time(8)
    closes = datetime.time(15, 30)


class CounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counter

    office = factory.SubFactory(OfficeFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Loket {o.number}")
    services = factory.LazyFunction(lambda: ["library"])


class LockerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locker

    office = factory.SubFactory(OfficeFactory)
    label = factory.Sequence(lambda n: f"L{n + 1:02d}")


class ServiceStandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceStandard

    office = factory.SubFactory(OfficeFactory)
    service = "library"
    version = 1
    requirements_walk_in = "Kartu identitas\nMengisi buku tamu"
    requirements_online = "Akun aplikasi"
    procedure_walk_in = "Ambil antrian\nIsi buku tamu"
    procedure_online = "Registrasi\nCari pustaka"
    service_time_walk_in = "Maksimal 10 menit setelah mengisi buku tamu"
    service_time_online = "Langsung"
    cost_walk_in = "Gratis"
    cost_online = "Gratis"
    products_walk_in = "Pustaka hardcopy"
    products_online = "Pustaka softcopy berwatermark"
    complaint_handling = "Kotak saran\nLAPOR!"
    legal_basis = "UU 25/2009"
    facilities = "Ruang baca"
    staff_competence = "Pelayanan prima"
    internal_supervision = "Kepala kantor"
    staff_count = "4 orang"
    service_guarantee = "Sesuai standar"
    security_guarantee = "Data dilindungi"
    performance_evaluation = "Bulanan"
    pledge = "Kami sanggup."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")
    sex = Sex.FEMALE
    age_group = AgeGroup.AGE_25_34
    education = Education.BACHELOR
    occupation = Occupation.RESEARCHER
    institution_category = InstitutionCategory.RESEARCH_EDUCATION
    purpose = Purpose.RESEARCH
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Verified by default; ``verified=False`` leaves the address unconfirmed."""
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)
    role = Role.OFFICER
