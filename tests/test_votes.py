"""'Did this guide help?': one vote per reader and guide, which they may change."""

import pytest
from django.test import Client

from guides.models import Guide, GuideVote
from tests.factories import guide_url, make_guide, step_url

pytestmark = pytest.mark.django_db


def test_a_vote_without_javascript_redirects_back_with_thanks(client, guide):
    response = client.post(guide_url(guide, "vote", "en"), {"helpful": "no", "reason": "Step 3 is different."})
    assert response.status_code == 303
    assert response["Location"] == "/en/demo/guide/#vote"
    vote = GuideVote.objects.get()
    assert (vote.helpful, vote.reason, vote.language) == (False, "Step 3 is different.", "en")
    page = client.get(response["Location"]).content.decode()
    assert "Thank you for your answer." in page
    assert "You said this guide did not help" in page


def test_a_reader_has_one_vote_per_guide_and_may_change_it(client, guide):
    client.post(guide_url(guide, "vote"), {"helpful": "no"})
    client.post(guide_url(guide, "vote"), {"helpful": "yes"})
    assert list(GuideVote.objects.values_list("helpful", flat=True)) == [True]


def test_an_htmx_vote_answers_with_the_section(htmx, guide):
    response = htmx.post(guide_url(guide, "vote", "fr"), {"helpful": "yes"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="vote" id="vote"')
    assert "Merci pour votre réponse." in body


@pytest.mark.parametrize("data", [{}, {"helpful": "maybe"}, {"helpful": "yes", "reason": "x" * 501}])
def test_bad_votes_are_refused(client, htmx, guide, data):
    assert Client().post(guide_url(guide, "vote", "en"), data).status_code == 400
    assert htmx.post(guide_url(guide, "vote", "en"), data).status_code == 422
    assert GuideVote.objects.count() == 0


def test_voting_refuses_get_cross_site_posts_and_unpublished_guides(client, platform):
    guide = make_guide(platform, slug="guide")
    draft = make_guide(platform, slug="draft", status=Guide.Status.DRAFT)
    assert client.get(guide_url(guide, "vote")).status_code == 405
    assert (
        client.post(guide_url(guide, "vote"), {"helpful": "yes"}, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    )
    assert client.post(guide_url(draft, "vote"), {"helpful": "yes"}).status_code == 404
    assert client.post("/fr/demo/unknown/vote/", {"helpful": "yes"}).status_code == 404
    assert GuideVote.objects.count() == 0


def test_votes_without_a_cookie_do_not_count_as_a_new_voter_each_time(guide):
    for _ in range(5):
        assert (
            Client().post(guide_url(guide, "vote", "en"), {"helpful": "yes"}, REMOTE_ADDR="203.0.113.5").status_code
            == 303
        )
    assert GuideVote.objects.count() == 1
    # A reader who keeps the cookie still changes their vote; another address is another voter.
    reader = Client(REMOTE_ADDR="203.0.113.5")
    reader.post(guide_url(guide, "vote", "en"), {"helpful": "no"})
    Client().post(guide_url(guide, "vote", "en"), {"helpful": "no"}, REMOTE_ADDR="203.0.113.6")
    assert GuideVote.objects.count() == 2


def test_a_client_voting_far_too_often_is_thanked_but_not_counted(guide):
    reader = Client()
    for _ in range(30):
        reader.post(guide_url(guide, "vote", "en"), {"helpful": "yes"})
    response = reader.post(guide_url(guide, "vote", "en"), {"helpful": "no"})
    assert response.status_code == 303
    assert list(GuideVote.objects.values_list("helpful", flat=True)) == [True]


def test_reader_keys_minted_by_other_actions_do_not_stuff_the_vote(guide):
    step = guide.steps.first()
    readers = [Client(REMOTE_ADDR="203.0.113.7") for _ in range(12)]
    for reader in readers:
        reader.post(step_url(step, "done", "en"), {"done": "1"})  # a fresh reader key
        reader.post(guide_url(guide, "vote", "en"), {"helpful": "no"})
    assert GuideVote.objects.count() == 5
    # A reader whose vote counted may still change their answer.
    readers[0].post(guide_url(guide, "vote", "en"), {"helpful": "yes"})
    assert list(GuideVote.objects.values_list("helpful", flat=True)).count(True) == 1
