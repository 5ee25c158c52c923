"""Drive the admin the way an editor's browser does: read a form, change it, post it back."""

from reversion.models import Version

from tests.html_forms import form_fields

# The step form's inlines (device variants, screenshots), empty: what the add page posts when
# the editor adds neither.
NO_STEP_INLINES = {
    f"{inline}-{count}_FORMS": "0" for inline in ("variants", "screenshots") for count in ("TOTAL", "INITIAL")
}


def admin_url(obj, view: str = "change") -> str:
    return f"/admin/guides/{obj._meta.model_name}/{obj.pk}/{view}/"


def save_through_admin(client, obj, change=lambda fields: None):
    """Post the object's admin form back as a browser would, after ``change`` edited it."""
    url = admin_url(obj)
    fields = form_fields(client.get(url).content.decode(), f"{obj._meta.model_name}_form")
    change(fields)
    response = client.post(url, fields)
    assert response.status_code == 302, response.content.decode()[:3000]


def versions_of(obj) -> list[Version]:
    return list(Version.objects.get_for_object(obj).order_by("pk"))


def restore(client, obj, version):
    """Open the version's restore page and press its save button, unchanged."""
    url = f"{admin_url(obj, 'history')}{version.pk}/"
    response = post_restore_page(client, url, obj._meta.model_name)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] != url, "the restore asked for a confirmation"
    return response


def post_restore_page(client, url: str, model_name: str, **extra):
    """Open a restore or recover page and post its form back, with ``extra`` fields added."""
    page = client.get(url)
    assert page.status_code == 200, page.get("Location")
    return client.post(url, {**form_fields(page.content.decode(), f"{model_name}_form"), **extra})


def steps_in_order(guide) -> list[tuple[int, str, str]]:
    return list(guide.steps.order_by("position").values_list("position", "title_fr", "title_en"))
