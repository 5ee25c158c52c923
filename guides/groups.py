"""The editors' groups and what each may do: named here, and nowhere else.

Operators make a user *staff* and add them to a group. ``ensure_groups`` runs after every
``migrate``: it creates missing groups and grants missing permissions, and never takes away a
permission an operator added.
"""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
PUBLISHERS = "Publishers"

_CONTENT = ["platform", "guide", "prerequisite", "step", "stepvariant", "screenshot"]

PERMISSIONS = {
    # Write guides, send them to review, triage readers' reports, read their votes, see the
    # searches that found nothing. Not readers' contact e-mails ("view_contact_email"): grant it
    # to the few people who answer readers.
    EDITORS: [f"{action}_{model}" for model in _CONTENT for action in ("add", "change", "delete", "view")]
    + ["view_stepreport", "change_stepreport", "view_guidevote"]
    + ["view_missedsearch", "change_missedsearch"]
    + ["view_proposal", "view_guideconfirmation"],
    # Put a guide in front of readers, take it away, archive it.
    PUBLISHERS: ["publish_guide"],
}


def ensure_groups(**kwargs) -> None:
    for name, codenames in PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="guides", codename__in=codenames))
