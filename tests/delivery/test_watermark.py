"""The stamping engine, judged by independent tools: qpdf --check and pdftotext."""

import re
import shutil
import subprocess
import zlib

import pikepdf
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from delivery import stamp, watermark
from delivery.watermark import _MARKER_V1, _stamp_v1
from delivery.yearbook import build_yearbook

CODE = "K7QX94MTPR2345AB"
FIELDS = watermark.StampFields(
    line1=f"Diunduh oleh Rina Peneliti <rina@example.com> | 24/11/2026 07:30 WIB | Kode jejak {CODE}",
    line2="Dilarang mengumumkan, mendistribusikan, mengomunikasikan, dan/atau menggandakan "
    "sebagian atau seluruh isi buku ini untuk tujuan komersial tanpa izin tertulis dari "
    "Badan Pusat Statistik",
    trace_code=CODE,
)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wm")
    original = folder / "original.pdf"
    build_yearbook(original, pages=12, image_every=4)
    plan = watermark.prepare(original, folder / "prepared.pdf")
    copy = folder / "copy.pdf"
    watermark.write_stamped(folder / "prepared.pdf", plan, FIELDS, copy)
    return {
        "folder": folder,
        "original": original,
        "plan": plan,
        "copy": copy,
        "prepared": folder / "prepared.pdf",
    }


def _pages_text(path):
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    )
    return result.returncode, result.stdout.split("\f")[:-1]


def test_copy_passes_qpdf_check_and_keeps_its_pages(prepared):
    check = subprocess.run(
        ["qpdf", "--check", str(prepared["copy"])], capture_output=True, text=True
    )

    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout
    with pikepdf.open(prepared["copy"]) as copy, pikepdf.open(prepared["original"]) as original:
        assert len(copy.pages) == len(original.pages) == 12


def test_every_page_shows_the_stamp_and_keeps_its_text(prepared):
    _, original_pages = _pages_text(prepared["original"])
    code, pages = _pages_text(prepared["copy"])

    assert code == 0
    assert len(pages) == 12
    for before, after in zip(original_pages, pages, strict=True):
        assert "Rina Peneliti <rina@example.com>" in after
        assert f"Kode jejak {CODE}" in after
        assert "Dilarang mengumumkan" in after
        assert set(before.split()) <= set(after.split())  # the page's own text is still there


def test_copy_grows_by_little(prepared):
    original = prepared["original"].stat().st_size
    copy = prepared["copy"].stat().st_size

    assert copy - original < 12 * 2500  # the stamp text, twice per page, plus a font


def test_trace_code_is_found_in_copy_resaved_copy_and_single_page(prepared, tmp_path):
    resaved = tmp_path / "resaved.pdf"
    single = tmp_path / "single.pdf"
    subprocess.run(
        [
            "qpdf",
            "--object-streams=generate",
            "--recompress-flate",
            str(prepared["copy"]),
            str(resaved),
        ],
        check=True,
    )
    subprocess.run(
        ["qpdf", str(prepared["copy"]), "--pages", ".", "7", "--", str(single)], check=True
    )

    assert watermark.find_trace_codes(prepared["copy"]) == {CODE}
    assert watermark.find_trace_codes(resaved) == {CODE}
    assert watermark.find_trace_codes(single) == {CODE}


def test_trace_survives_removal_of_the_visible_text(prepared, tmp_path):
    stripped = tmp_path / "stripped.pdf"
    with pikepdf.open(prepared["copy"]) as pdf:
        for page in pdf.pages:
            data = page.obj.Contents.read_bytes()
            visible = re.compile(rb"BT /PSTWm [0-9.]+ Tf.*?ET", re.S)
            page.obj.Contents = pikepdf.Stream(pdf, visible.sub(b"", data))
        pdf.save(stripped)

    _, pages = _pages_text(stripped)
    assert not any("Rina Peneliti" in page for page in pages)
    assert watermark.find_trace_codes(stripped) == {CODE}


def test_no_cut_of_the_copy_gives_back_an_unstamped_page(prepared, tmp_path):
    data = prepared["copy"].read_bytes()
    cuts = [m.end() for m in re.finditer(rb"%%EOF", data)]
    cuts += list(range(1000, len(data), max(1, len(data) // 25)))
    cut = tmp_path / "cut.pdf"

    for offset in cuts:
        cut.write_bytes(data[:offset])
        _, pages = _pages_text(cut)
        for page in pages:
            if "Kecamatan" in page or "Kendal" in page:
                assert CODE in page, f"an unstamped page survives a cut at byte {offset}"


def test_any_byte_range_equals_the_same_slice_of_the_whole_copy(prepared):
    whole = prepared["copy"].read_bytes()
    plan = prepared["plan"]

    for start, end in [(0, 100), (500, 70_000), (len(whole) - 77, len(whole)), (12_345, 12_346)]:
        part = b"".join(
            watermark.stamped_chunks(
                prepared["prepared"], plan, FIELDS, start=start, end=end, chunk_size=4096
            )
        )
        assert part == whole[start:end]


@pytest.mark.parametrize("chunk_size", [1, 7, 333, 4096, 65536, 10**7])
def test_any_chunk_size_gives_the_same_copy(prepared, chunk_size):
    whole = prepared["copy"].read_bytes()
    start, end = (0, len(whole)) if chunk_size > 1 else (60_000, 64_000)

    part = b"".join(
        watermark.stamped_chunks(
            prepared["prepared"], prepared["plan"], FIELDS, start=start, end=end,
            chunk_size=chunk_size,
        )
    )  # fmt: skip

    assert part == whole[start:end]


def test_two_readers_get_different_marks(prepared, tmp_path):
    other = watermark.StampFields(line1="Diunduh oleh Budi", line2="", trace_code="Z" * 16)
    second = tmp_path / "second.pdf"
    watermark.write_stamped(prepared["prepared"], prepared["plan"], other, second)

    assert watermark.find_trace_codes(second) == {"Z" * 16}
    assert second.stat().st_size == prepared["copy"].stat().st_size


@pytest.mark.parametrize("content", [b"", b"not a pdf at all", b"%PDF-1.4\n%%EOF\n"])
def test_non_pdf_or_empty_input_has_no_trace_and_cannot_be_prepared(tmp_path, content):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)

    assert watermark.find_trace_codes(path) == set()
    with pytest.raises(watermark.WatermarkError):
        watermark.prepare(path, tmp_path / "out.pdf")


def test_encrypted_pdf_is_refused(tmp_path, prepared):
    encrypted = tmp_path / "locked.pdf"
    with pikepdf.open(prepared["original"]) as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(owner="o", user="u"))

    with pytest.raises(watermark.WatermarkError, match="memerlukan kata sandi"):
        watermark.prepare(encrypted, tmp_path / "out.pdf")


def test_names_outside_latin1_and_long_lines_are_cut_safely(prepared, tmp_path):
    fields = watermark.StampFields(
        line1="Diunduh oleh 王小明 (Ω) \\ " + "x" * 400, line2="", trace_code=CODE
    )
    copy = tmp_path / "odd.pdf"
    watermark.write_stamped(prepared["prepared"], prepared["plan"], fields, copy)

    check = subprocess.run(["qpdf", "--check", str(copy)], capture_output=True, text=True)
    assert check.returncode == 0
    assert watermark.find_trace_codes(copy) == {CODE}


RESTRICTED = pikepdf.Permissions(extract=False, print_highres=False, modify_other=False)


@pytest.fixture(scope="module")
def restricted(prepared):
    """An original with an owner password only (opens without a password)."""
    path = prepared["folder"] / "restricted.pdf"
    with pikepdf.open(prepared["original"]) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="pemilik", user="", allow=RESTRICTED))
    return path


def test_owner_password_original_is_prepared_without_encryption_by_default(restricted, tmp_path):
    plan = watermark.prepare(restricted, tmp_path / "prepared.pdf")
    copy = tmp_path / "copy.pdf"
    watermark.write_stamped(tmp_path / "prepared.pdf", plan, FIELDS, copy)

    with pikepdf.open(copy) as pdf:
        assert not pdf.is_encrypted
    assert plan["restrictions"]["extract"] is False and plan["keep_permissions"] is False
    assert subprocess.run(["qpdf", "--check", str(copy)], capture_output=True).returncode == 0
    assert watermark.find_trace_codes(copy) == {CODE}


def test_kept_permissions_are_restored_on_every_copy(restricted, tmp_path):
    plan = watermark.prepare(restricted, tmp_path / "prepared.pdf", keep_permissions=True)
    copies = {}
    for fields in [
        FIELDS,
        watermark.StampFields(line1="Diunduh oleh Budi", line2="", trace_code="Z" * 16),
    ]:
        copy = tmp_path / f"{fields.trace_code}.pdf"
        watermark.write_stamped(tmp_path / "prepared.pdf", plan, fields, copy)
        copies[fields.trace_code] = copy

    for code, copy in copies.items():
        with pikepdf.open(copy) as pdf:
            assert pdf.is_encrypted
            assert pdf.allow == RESTRICTED
        check = subprocess.run(["qpdf", "--check", str(copy)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        assert watermark.find_trace_codes(copy) == {code}
        _, pages = _pages_text(copy)
        assert len(pages) == 12 and all(f"Kode jejak {CODE}" in page for page in pages) == (
            code == CODE
        )
    whole = copies[CODE].read_bytes()
    part = b"".join(
        watermark.stamped_chunks(
            tmp_path / "prepared.pdf", plan, FIELDS, start=777, end=90_000, chunk_size=1000
        )
    )
    assert part == whole[777:90_000]


def test_stamp_text_has_one_length_whatever_the_reader_and_fits_the_strip():
    odd = [
        watermark.StampFields(line1="", line2="", trace_code=CODE),
        watermark.StampFields(line1="W" * 400, line2="M" * 400, trace_code=CODE),
        watermark.StampFields(line1="(((\\)))" * 40, line2="Hak cipta (c) BPS", trace_code=CODE),
        watermark.StampFields(line1="Diunduh oleh 王小明 Ω\r\n\t", line2="é" * 10, trace_code=CODE),
    ]
    lengths = {tuple(len(part) for part in stamp.stamp_texts(fields)) for fields in odd}

    assert len(lengths) == 1
    for fields in odd:
        under, over = stamp.stamp_texts(fields)
        for size, text in re.findall(rb"/PSTWm (\d+\.\d+) Tf [\d.]+ [\d.]+ Td \((.*?)\) *Tj", over):
            shown = re.sub(rb"\\(.)", rb"\1", text).decode("cp1252")
            assert stringWidth(shown, "Helvetica", float(size)) <= stamp.TEXT_WIDTH + 0.01


def _prepare_v1(original, prepared):
    """How files were prepared before plans had a version (kept to test old plans)."""
    pages = []
    with pikepdf.open(original) as pdf:
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name.Helvetica, Encoding=pikepdf.Name.WinAnsiEncoding,
            )
        )  # fmt: skip
        blank = watermark.StampFields(line1="", line2="", trace_code="0" * 16)
        for index, page in enumerate(pdf.pages):
            middle = b"q\n" + page.obj.Contents.read_bytes() + b"\nQ\n"
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            compressed = compressor.compress(middle) + compressor.flush(zlib.Z_SYNC_FLUSH)
            block_a, block_b = (_stamp_v1(k, index, 14, 7, blank) for k in "AB")
            stored = [
                bytes([final])
                + len(b).to_bytes(2, "little")
                + ((~len(b)) & 0xFFFF).to_bytes(2, "little")
                + b
                for final, b in ((0, block_a), (1, block_b))
            ]
            checksum = zlib.adler32(block_b, zlib.adler32(middle, zlib.adler32(block_a)))
            stream = pikepdf.Stream(pdf, b"")
            stream.write(
                b"\x78\x01" + stored[0] + compressed + stored[1] + checksum.to_bytes(4, "big"),
                filter=pikepdf.Name.FlateDecode,
            )
            page.obj.Contents = stream
            page.obj.Resources.Font["/PSTWm"] = font
            page.obj["/PSTTrace"] = pikepdf.String("PST-TRACE:" + "@" * 16)
            pages.append(
                {"x": 14, "y": 7, "mid_adler": zlib.adler32(middle), "mid_length": len(middle)}
            )
        pdf.save(prepared, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data = prepared.read_bytes()
    for match in _MARKER_V1.finditer(data):
        pages[int(match.group(2))][f"offset_{match.group(1).decode().lower()}"] = match.start()
    keys = [m.start() + 10 for m in re.finditer(re.escape(b"PST-TRACE:" + b"@" * 16), data)]
    return {"size": len(data), "pages": pages, "key_offsets": keys}


def test_files_prepared_with_an_old_plan_still_stream(prepared, tmp_path):
    plan = _prepare_v1(prepared["original"], tmp_path / "old.pdf")
    copy = tmp_path / "copy.pdf"
    watermark.write_stamped(tmp_path / "old.pdf", plan, FIELDS, copy)

    assert subprocess.run(["qpdf", "--check", str(copy)], capture_output=True).returncode == 0
    assert watermark.find_trace_codes(copy) == {CODE}
    _, pages = _pages_text(copy)
    assert all("Rina Peneliti" in page for page in pages)


def test_prepared_file_is_not_marked_linearized_when_qpdf_disagrees(tmp_path):
    assert shutil.which("qpdf")  # the judge of linearization (make system-deps)
    image = tmp_path / "im.pdf"
    subprocess.run(
        ["convert", "-size", "16x16", "xc:gray", "-density", "300", f"PDFA:{image}"], check=True
    )

    plan = watermark.prepare(image, tmp_path / "prepared.pdf")

    check = subprocess.run(["qpdf", "--check", str(tmp_path / "prepared.pdf")], capture_output=True)
    assert check.returncode == 0
    assert plan["linearized"] is True  # the stale thumbnail, which made qpdfs disagree, is gone
