"""What a supporter's own data page shows of their partner opt-ins.

Registered with ``actions.privacy`` from ``PartnersConfig.ready``: the download gets
``partner_consents`` and the page shows them (``templates/partners/supporter_data_section.html``).
Withdrawn opt-ins are listed too: we keep the record of what was agreed.
"""

from actions.privacy import supporter_data_section_register

from .models import PartnerConsent

SECTION_KEY = "partner_consents"
SECTION_TEMPLATE = "partners/supporter_data_section.html"


def supporter_partner_consents(supporter) -> list[dict]:
    """Every partner this supporter agreed to share their details with: the partner, the
    campaign, when, the words they agreed to, and when they took it back (None if they have not)."""
    rows = (
        PartnerConsent.objects.filter(supporter_id=supporter.pk)
        .select_related("partner", "campaign")
        .order_by("given_at", "pk")
    )
    return [
        {
            "partner": row.partner.name,
            "campaign": row.campaign.title,
            "text": row.text,
            "given_at": row.given_at.isoformat(),
            "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
        }
        for row in rows
    ]


def supporter_data_section_install() -> None:
    supporter_data_section_register(SECTION_KEY, supporter_partner_consents, template=SECTION_TEMPLATE, consent=True)
