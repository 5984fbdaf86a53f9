import pytest

from offices.models import Counter
from visits import services
from visits.choices import CardType, DeviceKind
from visits.models import Device

GUEST = {
    "email": "tamu@example.com",
    "full_name": "Tamu Pertama",
    "phone": "0812 3456 7890",
    "card_type": CardType.KTP,
    "services": ["library"],
    "purpose_text": "Mencari data penduduk kecamatan",
    "sex": "female",
    "age_group": "18_24",
    "education": "bachelor",
    "occupation": "student",
    "institution_category": "research_education",
    "institution_name": "Universitas Diponegoro",
    "purpose": "school",
    "consent": "on",
}


@pytest.fixture
def kiosk(kendal, supervisor):
    """A registered kiosk of Kendal and its raw key."""
    return Device.register(kendal, kind=DeviceKind.KIOSK, name="Kiosk lobby", by=supervisor)


@pytest.fixture
def counter1(kendal):
    return Counter.objects.get(office=kendal, number=1)


@pytest.fixture
def called_ticket(kendal, clerk, counter1):
    ticket = services.issue_ticket(kendal, "library", officer=clerk)
    return ticket.call(counter1, by=clerk)


@pytest.fixture
def visit(kendal, clerk, called_ticket):
    return services.fill_guest_book(kendal, officer=clerk, data=dict(GUEST), ticket=called_ticket)
