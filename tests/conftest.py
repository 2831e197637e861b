"""Suite-wide fixtures. App-specific fixtures live beside the app's tests."""

import os

# Playwright's sync API runs an event loop in the test thread; Django must allow sync ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
