"""Where readers get stuck: per guide, how many readers marked each step done, and its reports."""


class FunnelMixin:
    """Adds the funnel page to the guide admin."""
