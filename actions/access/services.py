"""Record a person's access to supporters' personal data (see ``access.models``).

Every view, export or API endpoint that shows personal data to a signed-in person calls
``pii_access_record`` once per response or file, with how many supporters' rows it held.
Tasks do not call it (no person reads anything), and neither do totals or charts.
"""

import logging

from .models import PersonalDataAccess

logger = logging.getLogger(__name__)


def pii_access_record(*, user, what: str, rows: int = 1, supporter_id: int | None = None) -> PersonalDataAccess | None:
    """Append one entry; None (nothing written) when there is no signed-in person."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    entry = PersonalDataAccess.objects.create(
        user=user, username=user.get_username()[:150], what=what[:100], rows=max(0, rows), supporter_id=supporter_id
    )
    logger.info("personal data read: user=%s what=%s rows=%s", user.pk, entry.what, entry.rows)
    return entry
