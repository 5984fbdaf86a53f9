"""Background jobs of the catalogue (run by ``manage.py db_worker``)."""

from django_tasks import task


@task()
def process_publication_file(publication_id):
    """Extract the cover, pages and text of an uploaded PDF (see services.process_file)."""
    from .services import process_file

    return str(process_file(publication_id))


@task()
def recognise_publication_text(publication_id):
    """Recognise the text of a PDF's scanned pages (OCR; see ocr.recognise_publication)."""
    from .ocr import recognise_publication

    return str(recognise_publication(publication_id))
