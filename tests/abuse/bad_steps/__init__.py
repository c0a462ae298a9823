"""Bad input on every step of a campaign page after signing (property-based, hypothesis).

One module per route family: test_email.py (email/), test_actions.py (call/log/, share/log/,
sign/ and the petition form), test_links_and_pages.py (go/ links and every step page's query
string): 752 requests per run in all, each module's docstring says how many it sends. Their
shared strategies and pages live in inputs.py.
"""
