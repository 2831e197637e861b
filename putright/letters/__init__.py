"""Letters: each letter the Complaint Handling Code asks for, composed from the case record.

``compose.compose`` builds a ``Letter`` (plain-English sections keyed by the element keys of
``putright.rules.letters``) and ``render.render_html`` turns it into HTML for screen, email and
print. Nothing is stored yet.
"""
