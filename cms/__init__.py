"""Campaign pages (Wagtail): the home page, campaign pages and the steps supporters take on them."""
