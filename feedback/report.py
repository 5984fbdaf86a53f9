"""The survey report as a PDF (reportlab): the same content as the printable page."""

import io

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .choices import GRADE_LABELS

TABLE_STYLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
)


def _number(value):
    return f"{value:.2f}".replace(".", ",")


def render_pdf(context):
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    office = context["office"]
    summary = context["summary"]
    result = context["result"]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=_("Public satisfaction survey report"),
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    story = [
        Paragraph(_("Public satisfaction survey report"), styles["Title"]),
        Paragraph(f"{office.name} · {context['service_label']} · {context['period_label']}", body),
        Spacer(1, 6 * mm),
    ]
    served = summary["served"]
    story.append(Paragraph(_("Respondents and sample"), styles["Heading2"]))
    story.append(
        Table(
            [
                [_("People served"), str(served["total"])],
                [_("Required sample (Krejcie–Morgan)"), str(summary["sample_needed"])],
                [_("Respondents"), str(summary["respondents"])],
                [
                    _("Sample sufficient"),
                    _("Yes") if summary["sample_sufficient"] else _("No"),
                ],
            ],
            colWidths=[90 * mm, 60 * mm],
            style=TABLE_STYLE,
        )
    )
    if result is None:
        story.append(Spacer(1, 6 * mm))
        story.append(Paragraph(_("No data: nobody answered the survey in this period."), body))
        doc.build(story)
        return out.getvalue()
    story.append(Paragraph(_("Respondent profile"), styles["Heading2"]))
    profile_rows = [[_("Category"), _("Respondents")]]
    for heading, rows in context["profile"]:
        profile_rows.append([Paragraph(f"<b>{heading}</b>", body), ""])
        profile_rows.extend([[str(label), str(count)] for _value, label, count in rows])
    story.append(Table(profile_rows, colWidths=[110 * mm, 40 * mm], style=TABLE_STYLE))
    story.append(Paragraph(_("Score per element"), styles["Heading2"]))
    element_rows = [[_("Element"), _("NRR"), _("NRR × 25")]]
    for row in context["rows"]:
        element = row["element"]
        element_rows.append(
            [
                Paragraph(f"{element.code} {element.name}", body),
                _number(row["nrr"]),
                _number(row["score"]),
            ]
        )
    story.append(Table(element_rows, colWidths=[110 * mm, 20 * mm, 25 * mm], style=TABLE_STYLE))
    story.append(Spacer(1, 4 * mm))
    story.append(
        Paragraph(
            _("IKM %(ikm)s — grade %(grade)s (%(label)s)")
            % {
                "ikm": _number(result.ikm_shown),
                "grade": result.grade,
                "label": GRADE_LABELS[result.grade],
            },
            styles["Heading2"],
        )
    )
    story.append(Paragraph(_("Improvement priorities (lowest elements)"), styles["Heading2"]))
    for row in context["priorities"]:
        element = row["element"]
        story.append(Paragraph(f"{element.code} {element.name}: {_number(row['nrr'])}", body))
    doc.build(story)
    return out.getvalue()
