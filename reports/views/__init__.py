"""Organiser reports in the Wagtail admin, one module per report.

Listings build on Wagtail's ``ReportView`` (a filtered, paginated listing with the admin's page
furniture and its "Download CSV / XLSX" buttons); ``base`` holds what they share: the permission
check, the streamed export and the export log. Anonymous visitors never reach these views:
Wagtail's admin URLs send them to the login page. Signed-in users without the organiser
permission get a 403 (not Wagtail's usual redirect), so an editor can tell they are not allowed
rather than being silently sent to the dashboard.
"""
