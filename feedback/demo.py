"""Demo data for the survey: a few answers over the last months (idempotent)."""

import datetime
import random

from offices.time import local_day

from .models import SurveyResponse

COMMENTS = ["Petugas ramah dan cepat.", "Ruang baca nyaman.", "Mohon tambah colokan listrik.", ""]


def seed(office, *, stdout):
    if SurveyResponse.objects.filter(office=office).exists():
        stdout.write("  Survey answers: already there")
        return
    rng = random.Random(3324)
    today = local_day(office)
    answers = []
    for n in range(40):
        answers.append(
            SurveyResponse(
                office=office,
                service=rng.choice(["library", "library", "consultation"]),
                channel=rng.choice(["walk_in", "download"]),
                day=today - datetime.timedelta(days=rng.randint(0, 150)),
                overall=rng.choice([4, 4, 5, 5, 3]),
                comment=COMMENTS[n % len(COMMENTS)],
                sex=rng.choice(["male", "female"]),
                age_group=rng.choice(["18_24", "25_34", "35_44"]),
                education=rng.choice(["secondary", "bachelor", "master"]),
                occupation=rng.choice(["student", "civil_servant", "researcher"]),
                **{
                    f"u{i}": rng.choice([3, 3, 4, 4, 4] if i != 9 else [2, 3, 3, 4])
                    for i in range(1, 10)
                },
            )
        )
    SurveyResponse.objects.bulk_create(answers)
    stdout.write(f"  Survey answers: {len(answers)} (see /office/{office.code}/ikm/)")
