"""Load the Kang Hen campaign (and, for local use, an admin login). Safe to run again.

The story is read from the organisers' text in ``../shared/campaign/`` (or ``--source``). A
second run finds everything in place and changes nothing.
"""

import re
import secrets
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Page, Site

from actions.models import Target
from cms.models import CampaignPage, CampaignTarget, HomePage
from cms.translation_services import campaign_translation_create

from ..kang_hen_translations import TRANSLATIONS

CAMPAIGN_SLUG = "stop-the-deportation-of-kang-hen"
DEFAULT_SOURCE = Path(settings.BASE_DIR).parent / "shared" / "campaign"

# Used only when the organisers' text is not beside the checkout: our own short summary of the
# facts the campaign relies on, so a newcomer still gets a working campaign.
BUILT_IN_PETITION = {
    "title": "Stop the Deportation of Kang Hen",
    "subtitle": "Father and Cambodian genocide survivor",
    "lede": "Ask Santa Clara District Attorney Jeff Rosen and Governor Gavin Newsom to stop "
    "the deportation of Kang Hen.",
    "body": [
        "Kang Hen came to the United States as a child refugee from the Cambodian genocide. "
        "ICE arrested him on 1 April 2019 and he now faces deportation to a country he fled.",
        "His deportation rests on a 1994 conviction as an accomplice, from just after his 18th "
        "birthday. He has not been arrested since, and has worked at a seafood business for 13 years.",
        "Kang and Ruth, his partner of 17 years, have a 3-year-old son, Kayden. Ruth is seriously ill.",
        "Kang has applied to Governor Newsom for a pardon and asked DA Rosen to join a motion to "
        "vacate his conviction. Both can act now.",
    ],
    "goal": 2500,
}
ADMIN_PASSWORD_FILE = Path(settings.BASE_DIR) / "var" / "dev-admin-password"

# Public office contacts as commonly published; flagged for an organiser to verify before launch.
# Neither office publishes an email address: the DA takes letters (and calls), the Governor
# written contact through his web form (and letters). ``delivery`` is the channel the email step
# uses; the call step uses the phone.
TARGETS = [
    {
        "name": "Jeff Rosen",
        "title": "District Attorney, Santa Clara County",
        "salutation": "Dear District Attorney Rosen",
        "phone": "+14082997400",
        "postal_address": "Office of the District Attorney\n70 W. Hedding St.\nSan Jose, CA 95110",
        # Santa Clara County's ZIP codes (950 reaches a little beyond it, into Santa Cruz County).
        "jurisdiction": "94022, 94023, 94024, 94035, 94039, 94040, 94041, 94042, 94043, 94085, 94086, 94087, "
        "94088, 94089, 94301, 94302, 94303, 94304, 94305, 94306, 950, 951",
        "contact_form_url": "",
        "delivery": Target.Delivery.LETTER,
        "office_hours": "Mon-Fri 08:00-17:00",
        "ask": "Join the motion to vacate Kang Hen's 1994 conviction.",
    },
    {
        "name": "Gavin Newsom",
        "title": "Governor of California",
        "salutation": "Dear Governor Newsom",
        "phone": "+19164452841",
        "postal_address": "Office of the Governor\n1021 O Street, Suite 9000\nSacramento, CA 95814",
        "jurisdiction": "90, 91, 92, 93, 94, 95, 960, 961",  # California
        "contact_form_url": "https://www.gov.ca.gov/contact/",
        "contact_form_fields": "your name, email and address, a subject, and your message",
        "delivery": Target.Delivery.FORM,
        "office_hours": "Mon-Fri 09:00-17:00",
        "ask": "Grant Kang Hen the pardon he has applied for.",
    },
]

# Key dates, from the facts the petition states.
TIMELINE = [
    (
        "1994-01-01",
        "year",
        "Just after turning 18, Kang is arrested for driving two friends away from an attempted robbery.",
    ),
    ("2019-04-01", "day", "ICE arrests Kang in San Francisco; deportation to Cambodia now threatens him."),
]


class Command(BaseCommand):
    help = "Load the Kang Hen campaign and its two targets. Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            default=None,
            help="Folder holding kang-hen-petition.txt (default: ../shared/campaign, else a built-in summary).",
        )
        parser.add_argument(
            "--with-admin",
            action="store_true",
            help="Also create a local 'admin' superuser (refused unless DEBUG is on).",
        )

    @transaction.atomic
    def handle(self, *args, source, with_admin, **options):
        if source is None and not (DEFAULT_SOURCE / "kang-hen-petition.txt").exists():
            self.stdout.write(
                self.style.WARNING(
                    f"{DEFAULT_SOURCE} not found: loading a short built-in summary of the campaign instead."
                )
            )
            petition = BUILT_IN_PETITION
        else:
            petition = self._read_petition(Path(source) if source else DEFAULT_SOURCE)
        home = self._home_page()
        targets = [self._target(spec) for spec in TARGETS]
        campaign = self._campaign(home, petition, targets)
        self.stdout.write(f"Campaign: {campaign.title} at {campaign.url}")
        for language, text in TRANSLATIONS.items():
            self._translation(campaign, language, text)
        if with_admin:
            self._admin()

    def _read_petition(self, folder: Path) -> dict:
        path = folder / "kang-hen-petition.txt"
        if not path.exists():
            raise CommandError(f"{path} not found; pass --source with the folder holding it.")
        text = path.read_text(encoding="utf-8").replace("Governer ", "Governor ")  # the one typo in the source
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
        title_line = paragraphs[0]
        goal = 2500
        body = []
        lede = ""
        for paragraph in paragraphs[1:]:
            found = re.search(r"get to ([\d,]+)", paragraph)
            if found and "have signed" in paragraph:
                goal = int(found.group(1).replace(",", ""))
            elif not lede:
                lede = paragraph
            else:
                body.append(paragraph)
        title, _, subtitle = title_line.partition(" - ")
        return {"title": title.strip(), "subtitle": subtitle.strip(), "lede": lede, "body": body, "goal": goal}

    def _home_page(self) -> HomePage:
        home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
        if home is None:
            root = Page.get_first_root_node() or self._root_page()
            welcome = root.get_children().filter(slug="home").exclude(content_type__model="homepage").first()
            if welcome is not None:
                # Wagtail's placeholder "Welcome" page: replace it with ours.
                Site.objects.filter(root_page=welcome).update(root_page=root)
                welcome.delete()
            home = root.add_child(instance=HomePage(title="Campaigns", slug="home", intro="<p>Take action.</p>"))
            self.stdout.write("Created the home page.")
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Campaigns"
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save()
        return home

    def _root_page(self) -> Page:
        """Wagtail's migrations create the root page; a database emptied since then has none."""
        from wagtail.coreutils import get_supported_content_language_variant
        from wagtail.models import Locale

        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        return Page.add_root(instance=Page(title="Root", slug="root"))

    def _target(self, spec: dict) -> Target:
        fields = {k: v for k, v in spec.items() if k != "ask"}
        target = Target.objects.filter(name=spec["name"]).first()
        if target is None:
            target = Target.objects.create(
                **fields,
                time_zone="America/Los_Angeles",
                verify_before_launch=True,
                note="Contact details as commonly published. Verify before live delivery.",
            )
            self.stdout.write(f"Created target {target}.")
        elif target.delivery == Target.Delivery.MAILTO and not target.email:
            # Loaded by an older version as "the supporter's mail client" with no address to
            # write to: give it the channels the office really has. Anything else an organiser
            # set is left alone.
            for name in ("contact_form_url", "contact_form_fields", "postal_address"):
                setattr(target, name, getattr(target, name) or fields.get(name, ""))
            target.delivery = fields["delivery"]
            target.save()
            self.stdout.write(f"Updated how {target} is reached: {target.get_delivery_display()}.")
        return target

    def _campaign(self, home: HomePage, petition: dict, targets: list[Target]) -> CampaignPage:
        campaign = CampaignPage.campaigns().filter(slug=CAMPAIGN_SLUG).first()
        if campaign is not None:
            return campaign
        story = [("paragraph", f"<p>{_escape(paragraph)}</p>") for paragraph in petition["body"][:2]]
        story.append(
            (
                "timeline",
                {
                    "heading": "What happened",
                    "events": [
                        {"date": date.fromisoformat(day), "date_precision": precision, "text": text}
                        for day, precision, text in TIMELINE
                    ],
                },
            )
        )
        story += [("paragraph", f"<p>{_escape(paragraph)}</p>") for paragraph in petition["body"][2:]]
        story.append(
            (
                "call_out",
                {
                    "heading": "What we ask",
                    "tone": "urgent",
                    "text": "".join(f"<p><b>{t['name']}</b>: {t['ask']}</p>" for t in TARGETS),
                },
            )
        )
        campaign = CampaignPage(
            title=petition["title"],
            slug=CAMPAIGN_SLUG,
            seo_title=f"{petition['title']}: {petition['subtitle']}" if petition["subtitle"] else "",
            search_description=petition["lede"][:300],
            lede=petition["lede"],
            story=story,
            signature_goal=petition["goal"],
            share_text="Kang Hen, a father and Cambodian genocide survivor, faces deportation. "
            "Ask DA Jeff Rosen and Governor Newsom to act:",
        )
        home.add_child(instance=campaign)
        for order, (target, spec) in enumerate(zip(targets, TARGETS, strict=True)):
            CampaignTarget.objects.create(page=campaign, target=target, ask=spec["ask"], sort_order=order)
        campaign.save_revision().publish()
        self.stdout.write(f"Created and published the campaign ({len(story)} story blocks, goal {petition['goal']:,}).")
        return campaign

    def _translation(self, campaign: CampaignPage, language: str, text: dict) -> None:
        """The campaign in one more language, machine-drafted and flagged for a native speaker's
        review (the box at the top of the page's Story tab). An existing translation is kept."""
        existing = campaign.get_translations().filter(locale__language_code=language).first()
        if existing is not None:
            return
        campaign_translation_create(
            page=campaign,
            language=language,
            fields=_translated_fields(campaign, text),
            target_asks=text["asks"],
            needs_review=True,
        )
        self.stdout.write(
            f"Created the {language} translation (needs review by a native speaker): /{language}/{campaign.slug}/"
        )

    def _admin(self):
        if not settings.DEBUG:
            raise CommandError("--with-admin is for local development only (DEBUG is off).")
        User = get_user_model()
        if not ADMIN_PASSWORD_FILE.exists():
            ADMIN_PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
            ADMIN_PASSWORD_FILE.write_text(secrets.token_urlsafe(12))
            ADMIN_PASSWORD_FILE.chmod(0o600)
        password = ADMIN_PASSWORD_FILE.read_text().strip()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@localhost", password)
            self.stdout.write("Created the local admin user.")
        self.stdout.write(f"Admin login: admin / {password}")


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def _translated_fields(campaign: CampaignPage, text: dict) -> dict:
    """A translation's own text, in the English page's shape (story blocks, action steps)."""
    paragraphs = [("paragraph", f"<p>{_escape(paragraph)}</p>") for paragraph in text["body"]]
    events = [
        {"date": date.fromisoformat(day), "date_precision": precision, "text": event}
        for (day, precision, _english), event in zip(TIMELINE, text["timeline"], strict=True)
    ]
    asks = "".join(
        f"<p><b>{spec['name']}</b>: {_escape(ask)}</p>" for spec, ask in zip(TARGETS, text["asks"], strict=True)
    )
    sign_heading, sign_button = text["sign"]
    email_heading, email_button, subject, body = text["email"]
    call_heading, script = text["call"]
    steps = {
        "sign": {"heading": sign_heading, "button_label": sign_button},
        "email": {"heading": email_heading, "button_label": email_button, "subject": subject, "body": body},
        "call": {"heading": call_heading, "script": script},
        "share": {"heading": text["share"]},
    }
    action_steps = []
    for block in campaign.action_steps:
        value = dict(block.value)
        value.update(steps.get(block.block_type, {}))
        action_steps.append((block.block_type, value))
    return {
        "title": text["title"],
        "seo_title": f"{text['title']}: {text['subtitle']}",
        "search_description": text["lede"][:300],
        "lede": text["lede"],
        "story": paragraphs[:2]
        + [("timeline", {"heading": text["timeline_heading"], "events": events})]
        + paragraphs[2:]
        + [("call_out", {"heading": text["ask_heading"], "tone": "urgent", "text": asks})],
        "consent_text": text["consent_text"],
        "share_text": text["share_text"],
        "action_steps": action_steps,
    }
