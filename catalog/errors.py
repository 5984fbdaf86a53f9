from core.errors import DomainError


class CatalogError(DomainError):
    """A catalogue operation that cannot be done; the message is shown to the user."""

    status = 422
