"""Run axe-core in a Playwright page and fail on serious or critical accessibility violations.

axe-core is pinned in package-lock.json and installed into node_modules by scripts/test.sh
(`npm ci`); it is injected from that local file, so no test ever fetches a script from a CDN.
"""

from pathlib import Path

import pytest
from django.conf import settings

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
# WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (landmarks, headings, skip links).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_run(page, *, tags=AXE_TAGS) -> dict:
    """Inject axe-core (once per document) and return its full results for the current page."""
    if not AXE_JS.exists():
        from tests.conftest import _missing

        _missing(f"axe-core is not installed at {AXE_JS} (run `npm ci` at the repository root)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol rather than added as a <script> tag: the site's
        # Content-Security-Policy (rightly) refuses inline scripts, and the test must not weaken it.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        "async (tags) => await window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags,
    )


def axe_report(violations: list[dict]) -> str:
    """Violations as a reader wants them: rule, impact, what is wrong, and where."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n        ")
            if summary:
                lines.append(f"        {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_no_serious_violations(page, *, label: str = "") -> dict:
    """Fail the test, listing each problem, when axe finds a serious or critical violation."""
    results = axe_run(page)
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        where = label or page.url
        pytest.fail(f"axe found serious or critical violations on {where}:\n{axe_report(blocking)}", pytrace=False)
    return results
