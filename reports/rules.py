"""Who may do what with reports (django-rules). Object permissions take a Report or None.

| permission | who |
|---|---|
| reports.add_report | everyone (anonymous allowed) |
| reports.view_backoffice | all staff roles (policy staff, moderator, administrator) |
| reports.view_report (obj) | staff; confidential categories only moderators and administrators |
| reports.handle_report (obj) | like view_report: status, messages, notes, merge |
| reports.moderate_report (obj) | moderators and administrators |
| reports.view_personal_data (obj) | moderators and administrators: contact e-mail, account |
| reports.export_reports | policy staff and administrators (personal data: see above) |
| reports.import_reports, reports.manage_categories, reports.manage_open311 | administrators |
"""

from typing import Any

import rules

from participation.rules import (
    can_use_staff_pages,
    is_administrator,
    is_moderator,
    is_policy_staff,
)


@rules.predicate
def report_is_confidential(user: Any, report: Any) -> bool:
    category = getattr(report, "category", None)
    return bool(category is not None and category.sensitivity == "confidential")


may_see_report = can_use_staff_pages & (~report_is_confidential | is_moderator | is_administrator)

rules.add_perm("reports.add_report", rules.always_allow)
rules.add_perm("reports.view_backoffice", can_use_staff_pages)
rules.add_perm("reports.view_report", may_see_report)
rules.add_perm("reports.handle_report", may_see_report)
rules.add_perm("reports.moderate_report", is_moderator | is_administrator)
rules.add_perm("reports.view_personal_data", is_moderator | is_administrator)
rules.add_perm("reports.view_confidential", is_moderator | is_administrator)
rules.add_perm("reports.export_reports", is_policy_staff | is_administrator)
# Reports per 1,000 inhabitants per buurt/wijk with exact counts (staff analysis).
rules.add_perm("reports.view_report_rates", is_policy_staff | is_administrator)
rules.add_perm("reports.import_reports", is_administrator)
rules.add_perm("reports.manage_categories", is_administrator)
rules.add_perm("reports.manage_open311", is_administrator)
