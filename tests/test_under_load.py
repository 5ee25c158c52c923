"""The default set-up under real load: gunicorn with two workers on SQLite, no Redis.

Limits hold across the workers (a report flood from one client meets 429 after the limit, a
client without cookies is one voter), and editors' saves succeed while fifty readers tick steps.
"""

import random
import sqlite3
import threading
import time
from collections import Counter

import pytest

from tests.html_forms import form_fields
from tests.served import SEEDED_GUIDE, Visitor, gunicorn, manage, production_environment, step_ids

REPORTS_PER_WINDOW = 5
READERS = 50
EDITOR_SAVES = 16

# An editor who may publish: their saves to the published guide apply at once (an editor who
# may not would propose them, see test_proposals).
CREATE_EDITOR = """
from django.contrib.auth.models import Group, User
from guides.groups import EDITORS, PUBLISHERS
user = User.objects.create_user("editor", password="editor-password-123", is_staff=True)
user.groups.add(Group.objects.get(name=EDITORS), Group.objects.get(name=PUBLISHERS))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("under-load")
    env = production_environment(tmp, GUIDES_REPORTS_PER_WINDOW=str(REPORTS_PER_WINDOW))
    with gunicorn(env, tmp, workers=2) as port:
        manage(env, "shell", "-c", CREATE_EDITOR)
        yield port, tmp / "db.sqlite3"


def count(database, sql: str, *parameters):
    """The single value ``sql`` selects, read straight from the served database file."""
    with sqlite3.connect(database) as connection:
        return connection.execute(sql, parameters).fetchone()[0]


def test_a_report_flood_from_one_client_meets_the_limit_across_workers(site):
    port, database = site
    first_step = step_ids(Visitor(port).get(SEEDED_GUIDE)[1])[0]
    path = f"{SEEDED_GUIDE}steps/{first_step}/report/"
    answers = []
    for _ in range(2 * REPORTS_PER_WINDOW):
        reader = Visitor(port, "127.0.0.2")  # a new reader each time, from one address
        fields = form_fields(reader.get(path)[1], f"report-form-{first_step}")
        fields.update(problem="renamed", seen_instead="Un autre libellé", device="android")
        answers.append(reader.post(path, fields)[0])
    assert answers == [303] * REPORTS_PER_WINDOW + [429] * REPORTS_PER_WINDOW
    assert count(database, "SELECT COUNT(*) FROM guides_stepreport") == REPORTS_PER_WINDOW


def test_a_client_without_cookies_is_one_voter(site):
    port, database = site
    for _ in range(60):
        reader = Visitor(port, "127.0.0.3")
        reader.get(SEEDED_GUIDE)  # the CSRF cookie, which this reader then forgets
        assert reader.post(f"{SEEDED_GUIDE}vote/", {"helpful": "yes"})[0] == 303
    assert count(database, "SELECT COUNT(*) FROM guides_guidevote") == 1


def test_editors_saves_succeed_while_fifty_readers_tick_steps(site):
    port, database = site
    steps = step_ids(Visitor(port).get(SEEDED_GUIDE)[1])
    stop = threading.Event()
    answers = Counter()

    def read_and_tick(number: int) -> None:
        reader = Visitor(port, f"127.0.1.{number + 1}")
        reader.get(SEEDED_GUIDE)
        while not stop.is_set():
            step = random.choice(steps)  # noqa: S311 - test traffic, not security
            status = reader.post(f"{SEEDED_GUIDE}steps/{step}/done/", {"done": random.choice("01")})[0]  # noqa: S311
            answers[status] += 1

    readers = [threading.Thread(target=read_and_tick, args=(number,), daemon=True) for number in range(READERS)]
    for thread in readers:
        thread.start()
    time.sleep(1)  # readers are ticking
    editor = Visitor(port, "127.0.0.4")
    editor.sign_in("editor", "editor-password-123")
    guide_id = count(database, "SELECT id FROM guides_guide WHERE slug_fr = 'dissocier-tiktok-for-business'")
    url = f"/admin/guides/guide/{guide_id}/change/"
    saves = []
    try:
        for number in range(EDITOR_SAVES):
            fields = form_fields(editor.get(url)[1], "guide_form")
            fields["verified_app_version"] = f"40.{number}"
            saves.append(editor.post(url, fields)[0])
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=60)

    assert saves == [302] * EDITOR_SAVES
    assert count(database, "SELECT verified_app_version FROM guides_guide WHERE id = ?", guide_id) == "40.15"
    assert set(answers) == {303}, answers
    assert sum(answers.values()) > READERS  # readers really were writing meanwhile


def test_an_editors_save_shows_on_the_next_request_to_any_worker(site):
    port, database = site
    for _ in range(20):  # both workers have the page cached
        assert Visitor(port).get(SEEDED_GUIDE)[0] == 200
    editor = Visitor(port, "127.0.0.5")
    editor.sign_in("editor", "editor-password-123")
    guide_id = count(database, "SELECT id FROM guides_guide WHERE slug_fr = 'dissocier-tiktok-for-business'")
    url = f"/admin/guides/guide/{guide_id}/change/"
    fields = form_fields(editor.get(url)[1], "guide_form")
    fields["title_fr"] = "Un titre tout neuf"
    assert editor.post(url, fields)[0] == 302

    pages = [Visitor(port).get(SEEDED_GUIDE)[1] for _ in range(20)]
    assert all("Un titre tout neuf" in page for page in pages)
