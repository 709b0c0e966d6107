"""The tip line: readers send claims to check, editors triage them, readers who left an email hear back.

- `forms.py`: the reader's form and its abuse rules (honeypot, minimum fill time, sizes);
- `grouping.py`: which open group a new tip joins (the search's own resemblance of statements);
- `submit.py`: storing a reader's tip (and its confirmation email) in one transaction;
- `notifications.py`: the emails readers get, in their language;
- `outbox.py`: sending them after commit, retried with backoff, never twice (manage.py send_outbox).

Editors' triage actions are editorial actions: claims/editorial/tips.py.
"""
