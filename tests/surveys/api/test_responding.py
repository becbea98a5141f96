"""Starting, resuming, saving and submitting a response through /api/v1/surveys/{slug}/…"""

import pytest
from django.core.cache import cache

from surveys.models import Answer, Invitation, Response
from surveys.services import invitation_create, survey_close
from tests.surveys.helpers import device, member, q

pytestmark = pytest.mark.django_db

ROWS = [{"key": "a", "label": "A", "label_en": "A"}, {"key": "b", "label": "B", "label_en": "B"}]
QUESTIONS = [
    q("Q1", required=True),
    q("Q2", "mark_1_10"),
    q("G", "grid", scale="yes_no", rows=ROWS),
    q("Q3", condition={"question": "Q1", "operator": "equals", "value": "a"}),
]


@pytest.fixture
def survey(make_survey):
    return make_survey(questions=QUESTIONS)


def url(survey, tail: str = "") -> str:
    return f"/api/v1/surveys/{survey.slug}/responses/{tail}"


def start(api_client, survey, **body):
    body = body or {"device_id": device()}
    return api_client.post(url(survey), body, format="json")


def headers(token: str) -> dict[str, str]:
    return {"HTTP_X_RESUME_TOKEN": token}


# --- Happy paths ------------------------------------------------------------------------------


def test_open_link_start_save_resume_and_submit(api_client, survey):
    # given: a started response
    started = start(api_client, survey)
    assert started.status_code == 201
    token = started.json()["resume_token"]
    assert started.json()["channel"] == "open_link"
    assert started.json()["visible_questions"] == ["Q1", "Q2", "G"]

    # when: partial saves, a resume and the submit
    saved = api_client.patch(
        url(survey, "current/"), {"answers": {"Q1": "a", "G": {"a": "ja"}}}, format="json",
        **headers(token),
    )  # fmt: skip
    api_client.patch(
        url(survey, "current/"), {"answers": {"Q2": "7"}}, format="json", **headers(token)
    )
    resumed = api_client.get(url(survey, "current/"), **headers(token))
    submitted = api_client.post(url(survey, "current/submit/"), **headers(token))

    # then
    assert saved.status_code == 200
    assert saved.json()["visible_questions"] == ["Q1", "Q2", "G", "Q3"]
    assert resumed.json()["answers"] == {"Q1": "a", "Q2": 7, "G": {"a": "ja"}}
    assert submitted.status_code == 200
    assert submitted.json() == {"submitted": True, "survey": survey.slug}
    response = Response.objects.get()
    assert response.is_submitted
    assert response.resume_token_hash == ""
    assert Answer.objects.filter(response=response).count() == 3


def test_panel_invitation_start_knows_the_profile_and_marks_the_invitation(
    api_client, panel_survey
):
    # given
    survey, panel = panel_survey(
        questions=[
            q("Q1", required=True),
            q(
                "B1",
                profile_field="age_band",
                options=[{"value": "25-44", "label": "25–44"}, {"value": "65+", "label": "65+"}],
            ),
        ]
    )
    issued = invitation_create(survey=survey, membership=member(panel))

    # when
    started = start(api_client, survey, invitation_token=issued.token)
    token = started.json()["resume_token"]
    api_client.patch(
        url(survey, "current/"), {"answers": {"Q1": "b"}}, format="json", **headers(token)
    )
    submitted = api_client.post(url(survey, "current/submit/"), **headers(token))

    # then
    assert started.status_code == 201
    assert started.json()["channel"] == "panel"
    assert "age_band" in started.json()["known_profile_fields"]
    assert started.json()["visible_questions"] == ["Q1"]
    assert submitted.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.responded_at is not None
    assert invitation.receipt_hash == ""
    assert Response.objects.get().age_band == "25-44"


def test_device_id_may_come_as_a_header(api_client, survey):
    response = api_client.post(url(survey), {}, format="json", HTTP_X_DEVICE_ID=device())

    assert response.status_code == 201


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "device_id"),
        ({"device_id": "", "invitation_token": ""}, "device_id"),
        ({"device_id": "device-000001-x", "invitation_token": "abc"}, "invitation_token"),
    ],
)
def test_start_needs_exactly_one_of_device_id_and_invitation_token(api_client, survey, body, field):
    response = api_client.post(url(survey), body, format="json")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("device_id", ["short", "x" * 201])
def test_start_with_an_invalid_device_id_names_the_problem(api_client, survey, device_id):
    response = start(api_client, survey, device_id=device_id)

    assert response.status_code == 400
    assert response.json()["code"] == "device_id_invalid"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"Q1": "z"}, [("Q1", "")]),
        ({"Q2": 11}, [("Q2", "")]),
        ({"Q2": "zeven"}, [("Q2", "")]),
        ({"G": {"c": "ja"}}, [("G", "c")]),
        ({"G": {"a": "misschien"}}, [("G", "a")]),
        ({"G": "ja"}, [("G", "")]),
        ({"NOPE": "a"}, [("NOPE", "")]),
        ({"Q1": "z", "Q2": 0}, [("Q1", ""), ("Q2", "")]),
    ],
)
def test_invalid_answers_are_named_by_question_and_row_and_nothing_is_saved(
    api_client, survey, answers, expected
):
    # given
    token = start(api_client, survey).json()["resume_token"]

    # when
    response = api_client.patch(
        url(survey, "current/"),
        {"answers": {"Q3": "b", **answers}},
        format="json",
        **headers(token),
    )

    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "answers_invalid"
    assert [(e["question"], e["row"]) for e in body["extra"]["errors"]] == expected
    assert all(e["message"] for e in body["extra"]["errors"])
    assert not Answer.objects.exists()


@pytest.mark.parametrize("body", [{}, {"answers": {}}, {"answers": ["Q1", "a"]}, {"answers": "a"}])
def test_save_needs_an_answers_object(api_client, survey, body):
    token = start(api_client, survey).json()["resume_token"]

    response = api_client.patch(url(survey, "current/"), body, format="json", **headers(token))

    assert response.status_code == 400
    assert "answers" in response.json()


def test_submit_lists_missing_required_answers(api_client, survey):
    token = start(api_client, survey).json()["resume_token"]

    response = api_client.post(url(survey, "current/submit/"), **headers(token))

    assert response.status_code == 400
    assert response.json()["code"] == "answers_incomplete"
    assert [e["question"] for e in response.json()["extra"]["errors"]] == ["Q1"]
    assert not Response.objects.submitted().exists()


# --- Token misuse ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "patch", "submit"])
def test_resume_endpoints_need_the_resume_token_header(api_client, survey, method):
    start(api_client, survey)
    if method == "submit":
        response = api_client.post(url(survey, "current/submit/"))
    else:
        response = getattr(api_client, method)(
            url(survey, "current/"), {"answers": {"Q1": "a"}}, format="json"
        )

    assert response.status_code == 400
    assert "X-Resume-Token" in response.json()


@pytest.mark.parametrize("token", ["wrong", "x" * 500, "' OR 1=1 --"])
def test_a_wrong_resume_token_is_404(api_client, survey, token):
    start(api_client, survey)

    response = api_client.get(url(survey, "current/"), **headers(token))

    assert response.status_code == 404
    assert response.json()["code"] == "resume_token_invalid"


def test_resume_token_of_another_survey_is_refused(api_client, survey, make_survey):
    other = make_survey(questions=QUESTIONS)
    token = start(api_client, other).json()["resume_token"]

    response = api_client.patch(
        url(survey, "current/"), {"answers": {"Q1": "a"}}, format="json", **headers(token)
    )

    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_resume_token_stops_working_after_submit(api_client, survey):
    token = start(api_client, survey).json()["resume_token"]
    api_client.patch(
        url(survey, "current/"), {"answers": {"Q1": "b"}}, format="json", **headers(token)
    )
    assert api_client.post(url(survey, "current/submit/"), **headers(token)).status_code == 200

    again = api_client.post(url(survey, "current/submit/"), **headers(token))
    save = api_client.patch(
        url(survey, "current/"), {"answers": {"Q1": "a"}}, format="json", **headers(token)
    )

    assert again.status_code == 404
    assert save.status_code == 404
    assert Response.objects.submitted().count() == 1


def test_one_device_cannot_respond_twice(api_client, survey):
    device_id = device()
    token = start(api_client, survey, device_id=device_id).json()["resume_token"]
    api_client.patch(
        url(survey, "current/"), {"answers": {"Q1": "b"}}, format="json", **headers(token)
    )
    api_client.post(url(survey, "current/submit/"), **headers(token))

    again = start(api_client, survey, device_id=device_id)

    assert again.status_code == 409
    assert again.json()["code"] == "already_responded"


def test_invitation_token_is_single_use(api_client, panel_survey):
    survey, panel = panel_survey()
    issued = invitation_create(survey=survey, membership=member(panel))
    assert start(api_client, survey, invitation_token=issued.token).status_code == 201

    again = start(api_client, survey, invitation_token=issued.token)

    assert again.status_code == 409
    assert again.json()["code"] == "invitation_used"
    assert Response.objects.count() == 1


def test_invitation_token_of_another_survey_is_refused(api_client, panel_survey):
    survey, _panel = panel_survey()
    other, other_panel = panel_survey()
    issued = invitation_create(survey=other, membership=member(other_panel))

    response = start(api_client, survey, invitation_token=issued.token)

    assert response.status_code == 404
    assert response.json()["code"] == "invitation_invalid"
    assert not Response.objects.exists()


@pytest.mark.parametrize("token", ["guess", "a" * 300])
def test_guessed_invitation_tokens_are_refused(api_client, panel_survey, token):
    survey, _panel = panel_survey()

    response = start(api_client, survey, invitation_token=token)

    assert response.status_code == 404
    assert response.json()["code"] == "invitation_invalid"


def test_panel_only_survey_refuses_open_link_starts(api_client, panel_survey):
    survey, _panel = panel_survey()

    response = start(api_client, survey)

    assert response.status_code == 403
    assert response.json()["code"] == "panel_only_survey"


def test_closed_survey_refuses_starts_and_saves(api_client, survey):
    token = start(api_client, survey).json()["resume_token"]
    survey_close(survey=survey)

    started = start(api_client, survey)
    saved = api_client.patch(
        url(survey, "current/"), {"answers": {"Q1": "a"}}, format="json", **headers(token)
    )

    assert started.status_code == 409
    assert started.json()["code"] == "survey_closed"
    assert saved.status_code == 404  # closing deleted the unsubmitted response


# --- Throttling -----------------------------------------------------------------------------


def test_starts_are_throttled_per_client(api_client, survey, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "survey_start": "2/hour"},
    }
    cache.clear()

    statuses = [start(api_client, survey).status_code for _ in range(3)]

    assert statuses == [201, 201, 429]
    assert Response.objects.count() == 2
