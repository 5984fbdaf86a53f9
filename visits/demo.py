"""Demo data for the walk-in visits: a kiosk and a board for the office (idempotent)."""

from .choices import DeviceKind
from .models import Device


def seed(office, *, stdout):
    for kind, name in [(DeviceKind.KIOSK, "Kiosk demo"), (DeviceKind.BOARD, "Board demo")]:
        if Device.objects.filter(office=office, kind=kind, name=name).exists():
            stdout.write(f"  {name}: already there (its key was shown when it was created)")
            continue
        device, key = Device.register(office, kind=kind, name=name, by=None)
        if kind == DeviceKind.KIOSK:
            stdout.write(f"  {name}: open /kiosk/{office.code}/{device.pk}/#key={key}")
        else:
            stdout.write(f"  {name}: open /board/{office.code}/")
