"""Factories that build exactly the rows a test needs."""

import factory
from wagtail.models import Page, Site

from actions.models import Action, ActionKind, Supporter, Target
from actions.pii import email_index
from cms.models import CampaignPage, CampaignTarget, HomePage


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    name = factory.Sequence(lambda n: f"Target {n}")
    title = "District Attorney"
    salutation = factory.LazyAttribute(lambda o: f"Dear {o.name}")
    phone = "(408) 299-7400"
    time_zone = "America/Los_Angeles"


class SupporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supporter

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"supporter{n}@example.org")
    email_index = factory.LazyAttribute(lambda o: email_index(o.email))
    city = "San Jose"
    postal_code = "95110"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    kind = ActionKind.SIGN
    supporter = factory.SubFactory(SupporterFactory)


def home_page() -> HomePage:
    """The site's home page, created under Wagtail's root and made the default site's root."""
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    if root is None:
        # Transactional tests empty every table, Wagtail's root page and locale included.
        from django.conf import settings
        from wagtail.coreutils import get_supported_content_language_variant
        from wagtail.models import Locale

        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Campaigns", slug="campaigns-home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home


def campaign_page(*, targets=(), publish=True, **fields) -> CampaignPage:
    """A live campaign page under the home page, with the given targets in order."""
    defaults = dict(
        title="Stop the Deportation of Test Person",
        slug=f"campaign-{CampaignPage.objects.count() + 1}",
        lede="Tell the DA and the Governor to act.",
        story=[("paragraph", "<p>The story of a father facing deportation.</p>")],
        signature_goal=2500,
    )
    defaults.update(fields)
    page = CampaignPage(**defaults)
    home_page().add_child(instance=page)
    for order, target in enumerate(targets):
        CampaignTarget.objects.create(page=page, target=target, ask=f"Act now, {target.name}", sort_order=order)
    if publish:
        page.save_revision().publish()
    else:
        page.unpublish()
    page.refresh_from_db()
    return page


# --- Email to targets ---------------------------------------------------------------------------


def email_target(**fields) -> Target:
    """A target we may email directly."""
    n = Target.objects.count() + 1
    defaults = dict(
        name=f"Office {n}",
        title="District Attorney",
        email=f"office{n}@example.gov",
        delivery=Target.Delivery.DIRECT,
        verify_before_launch=False,
    )
    defaults.update(fields)
    return TargetFactory(**defaults)


def email_action(page, *, supporter=None, personal_note="", live=False, user=None):
    """Take the email action for a supporter on a campaign page, the way the page does."""
    from actions.intake import Submission
    from actions.outbox.take import delivery_switch, email_action_take

    if live:
        delivery_switch(campaign_id=page.pk, deliver_to_targets=True, user=user)
    supporter = supporter or SupporterFactory()
    campaign = page.email_campaign()
    drafts = page.email_drafts(campaign, supporter=supporter, personal_note=personal_note)
    return email_action_take(campaign=campaign, supporter=supporter, drafts=drafts, submission=Submission())


def email_form_texts(client, page) -> dict:
    """The subject and body fields of a page's email step as a browser with JavaScript off submits
    them: every field as the page rendered it."""
    response = client.get(page.url + "email/")
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    return {name: form[name].initial for name in form.fields if name.startswith(("subject_", "body_"))}
