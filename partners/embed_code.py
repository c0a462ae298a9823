"""The copy-ready snippet a partner pastes into its page: the frame and the optional resize script.

Built from plain values (the campaign's public URL, this site's static URL, the partner's code),
so it can be shown in the admin and tested without a browser.
"""

from urllib.parse import urlencode

from django.templatetags.static import static
from django.utils.html import format_html


def embed_url(*, campaign_url: str, partner_code: str) -> str:
    return f"{campaign_url.rstrip('/')}/embed/?{urlencode({'partner': partner_code})}"


def resize_script_url(*, site_root: str) -> str:
    return site_root.rstrip("/") + static("js/embed-frame.js")


def embed_snippet(*, campaign_url: str, campaign_title: str, partner_code: str, site_root: str) -> str:
    """The HTML to paste: an ``<iframe>`` marked for the resize script, then the script itself."""
    return str(
        format_html(
            '<iframe src="{}" title="{}" data-advocacy-embed style="width:100%;max-width:40rem;height:720px;border:0" '
            'loading="lazy"></iframe>\n<script src="{}" async></script>',
            embed_url(campaign_url=campaign_url, partner_code=partner_code),
            campaign_title,
            resize_script_url(site_root=site_root),
        )
    )
