"""The stamping engine, judged by independent tools: qpdf --check and pdftotext."""

import re
import subprocess

import pikepdf
import pytest

from delivery import watermark
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

    with pytest.raises(watermark.WatermarkError, match="encrypted"):
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
