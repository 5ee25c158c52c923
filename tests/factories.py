"""Small factories shared by test modules (fixtures that build on each other stay in conftest)."""

from guides.models import StepReport


def make_report(step, reader: str = "reader-a", **fields) -> StepReport:
    """A reader's report on ``step``, in French unless told otherwise."""
    values = {
        "language": "fr",
        "problem": StepReport.Problem.RENAMED,
        "seen_instead": "Le bouton s'appelle autrement.",
        "device": StepReport.Device.ANDROID,
        **fields,
    }
    return StepReport.objects.create(step=step, reader_key=reader, **values)
