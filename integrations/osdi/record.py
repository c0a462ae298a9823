"""OSDI's record signature helper: a partner's signature, through the web form's own path.

The body is checked for shape (each error names its field, in OSDI's terms), mapped onto
``SignForm`` so the same cleaning and the same messages apply, then handed to
``intake.signature_create``: the same dedupe by email, flags, totals and consent as a signature
on the page. A token's requests come from the partner's server, not from each signer, so like a
volunteer's tablet at an event (``Submission.at_event``) the per-address limit is not applied;
the honeypot and the per-email limits are.
"""

from actions import intake
from actions.forms import SignForm
from actions.recognition import address_hash, client_address

SOURCE = "osdi-api"
# SignForm's field -> where it sits in OSDI's body, for error messages.
FIELD_PATHS = {
    "first_name": "person.given_name",
    "last_name": "person.family_name",
    "email": "person.email_addresses[0].address",
    "city": "person.postal_addresses[0].locality",
    "postal_code": "person.postal_addresses[0].postal_code",
    "country": "person.postal_addresses[0].country",
    "comment": "comments",
    "consent": "person.custom_fields.advocacy_consent",
}


class BadInput(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _object(value, field: str, *, required: bool = True) -> dict:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise BadInput(field, f"{field} must be a JSON object.")
    return value


def _first(value, field: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, list) or (value and not isinstance(value[0], dict)):
        raise BadInput(field, f"{field} must be a list of objects.")
    return value[0] if value else {}


def _text(container: dict, key: str, field: str) -> str:
    value = container.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadInput(field, f"{field} must be a string.")
    return value


def form_data(body) -> dict:
    """The body as SignForm's data; BadInput for anything of the wrong shape."""
    body = _object(body, "body")
    person = _object(body.get("person"), "person")
    email = _first(person.get("email_addresses"), "person.email_addresses")
    postal = _first(person.get("postal_addresses"), "person.postal_addresses")
    custom = _object(person.get("custom_fields"), "person.custom_fields", required=False)
    consent = custom.get("advocacy_consent", False)
    if not isinstance(consent, bool):
        raise BadInput(FIELD_PATHS["consent"], "advocacy_consent must be true or false.")
    data = {
        "first_name": _text(person, "given_name", FIELD_PATHS["first_name"]),
        "last_name": _text(person, "family_name", FIELD_PATHS["last_name"]),
        "email": _text(email, "address", FIELD_PATHS["email"]),
        "city": _text(postal, "locality", FIELD_PATHS["city"]),
        "postal_code": _text(postal, "postal_code", FIELD_PATHS["postal_code"]),
        "country": _text(postal, "country", FIELD_PATHS["country"]) or "US",
        "comment": _text(body, "comments", FIELD_PATHS["comment"]),
        "website": _text(body, "honeypot", "honeypot"),
    }
    if any("\x00" in value for value in data.values()):
        raise BadInput("body", "Text may not contain NUL characters.")
    return {**data, **({"consent": "on"} if consent else {})}


def signature_record(request, *, page, body) -> intake.ActionResult:
    """Record one signature on ``page``'s petition; BadInput naming the first field at fault."""
    form = SignForm(data=form_data(body), consent_text=page.consent_text)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise BadInput(FIELD_PATHS.get(name, name), " ".join(errors))
    submission = intake.Submission(
        ip_hash=address_hash(client_address(request)),
        honeypot=form.cleaned_data["website"],
        source=SOURCE,
        at_event=True,
        user_agent=request.headers.get("User-Agent", "")[:512],
    )
    return intake.signature_create(
        campaign_id=page.pk, consent_text=page.consent_text, submission=submission, **form.signer()
    )
