"""History of guides, steps and platforms: compare two versions (restore comes with reversion)."""


class VersionCompareMixin:
    """Adds a comparison of two versions to a ``VersionAdmin``."""
