"""Reading mail as received: automatic mail, HTML, scripts, codes, quoting (no server needed)."""

import pytest

from channels import mail, meta
from channels.choices import InboundKind

from .conftest import make_mail, sign


def parse(message):
    return mail.parse(message.as_bytes() if hasattr(message, "as_bytes") else message)


def test_a_person_s_mail_is_read_with_its_thread_references():
    parsed = parse(
        make_mail(
            message_id="<b@example.com>",
            headers={"In-Reply-To": "<a@bps.go.id>", "References": "<x@y> <a@bps.go.id>"},
        )
    )

    assert (parsed.from_address, parsed.from_name, parsed.automatic) == (
        "warga@example.com",
        "Budi Warga",
        "",
    )
    assert parsed.message_id == "<b@example.com>"
    assert parsed.thread_ids == ["<x@y>", "<a@bps.go.id>"]


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ({"Auto-Submitted": "auto-generated"}, InboundKind.AUTO_REPLY),
        ({"Auto-Submitted": "no"}, ""),
        ({"X-Autoreply": "yes"}, InboundKind.AUTO_REPLY),
        ({"Return-Path": "<>"}, InboundKind.AUTO_REPLY),
        ({"List-Unsubscribe": "<mailto:u@example.org>"}, InboundKind.LIST),
        ({"Precedence": "junk"}, InboundKind.LIST),
    ],
)
def test_automatic_mail_is_recognised(headers, kind):
    assert parse(make_mail(headers=headers)).automatic == kind


def test_html_is_reduced_to_visible_text():
    html = (
        "<div>Halo<br>PST</div><script>var x = '<p>jahat</p>';</script>"
        "<style>.a{}</style><ul><li>satu</li><li>dua</li></ul><iframe src=x>bingkai</iframe>"
    )

    assert mail.html_to_text(html) == "Halo\nPST\n\nsatu\ndua"


def test_quoted_text_is_left_out_of_a_reply():
    text = "Baik, terima kasih.\n\nPada 1 Des 2026 PST menulis:\n> Jawaban kami\n> panjang"

    assert mail.strip_quoted(text) == "Baik, terima kasih."


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Re: Jawaban pengaduan [K7QX-94MT-PR]", "K7QX-94MT-PR"),
        ("kode k7qx 94mt pr ya", "K7QX-94MT-PR"),
        ("K7QX94MTPR", "K7QX-94MT-PR"),
        ("PENGADUANKU tanpa kode", ""),
        ("nomor 0812-3456-78", ""),
    ],
)
def test_tracking_codes_are_found_as_people_type_them(text, code):
    assert mail.find_tracking_code(text) == code


def test_encoded_subjects_in_other_scripts_are_decoded():
    parsed = parse(make_mail(subject="投诉 شكوى", name="李明"))

    assert (parsed.subject, parsed.from_name) == ("投诉 شكوى", "李明")


def test_garbage_is_malformed():
    with pytest.raises(mail.MalformedMail):
        mail.parse(b"")


def test_signatures_are_checked_on_the_raw_bytes_in_constant_time():
    body = '{"text":"äöå 投诉"}'.encode()

    assert meta.signature_valid(body, sign(body), ["test-app-secret"])
    assert not meta.signature_valid(body, sign(body, "other"), ["test-app-secret"])
    assert not meta.signature_valid(body, "", ["test-app-secret"])
    assert not meta.signature_valid(body, sign(body), [])
    # An Instagram app secret is accepted beside the Meta app secret.
    assert meta.signature_valid(body, sign(body, "ig-secret"), ["test-app-secret", "ig-secret"])
