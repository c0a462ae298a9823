"""The steps a supporter takes on a campaign page, one class-based view per route.

``CampaignPage`` is a Wagtail ``RoutablePageMixin`` page: each of its ``@path`` methods is a
sub-URL of the page (``call/``, ``share/log/``, ...). Like Wagtail's own form pages, which build a
view class and call it with the page (``serve_submissions_list_view``), every route is one line
that hands the page to a view here, e.g. ``CallStepView.as_view(page=self)(request)``.

- ``base``: ``StepView``, what every step view shares (the page, the recognised supporter,
  rendering with the page's context).
- ``petition``: the campaign page and its sign form, ``thanks/``, the recognised supporter's
  one-button ``sign/`` and "Not you?" (``forget/``).
- ``email``: ``email/`` and ``email/sent/``.
- ``call``: ``call/`` and ``call/log/``.
- ``share``: ``share/`` and ``share/log/``.
- ``one_click``: the signed links from emails, ``go/<kind>/...``.
- ``ladder``: which steps a supporter has done and which to offer next.
"""
