"""The outbox queue's former home: `send_email` and `render_email` live on the shared floor
in `catalog_app.email_queue` (so accounts and moderation queue mail without importing this
package). Re-exported here for code written against the old path; new code imports
`catalog_app.email_queue`, or `notifications.members.notify_members` for an organization.
"""
from catalog_app.email_queue import render_email, send_email

__all__ = ["render_email", "send_email"]
