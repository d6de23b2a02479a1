class ConflictError(Exception):
    """Someone else changed the record since this person opened it: their save must not win."""

    def __init__(self, message: str, *, current=None):
        super().__init__(message)
        self.message = message
        self.current = current


class RuleViolation(Exception):
    """A write that the practice's rules do not allow (for example editing a finalised map)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
