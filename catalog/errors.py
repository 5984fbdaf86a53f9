class CatalogError(Exception):
    """A catalogue operation that cannot be done; the message is shown to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)
