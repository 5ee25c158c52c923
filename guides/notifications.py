"""E-mails: readers told their report was fixed, editors sent a digest of new reports."""


def notify_reporters_of_fix(report_ids: list[int]) -> None:
    """Tell each reader who left an e-mail that their report was fixed."""
