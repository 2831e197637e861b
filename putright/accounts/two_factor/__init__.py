"""A second factor for staff sign-in (OWASP ASVS V2): a code from an authenticator app (TOTP),
with single-use backup codes for when the phone is not to hand. Built on django-otp.

- ``policy``: who must use one (``PUTRIGHT_TWO_FACTOR_REQUIRED_FOR``), and whether this session
  still has to enter a code.
- ``services``: setting an app up, backup codes, and an administrator's reset.
- ``middleware``: keeps a session that still has to enter a code away from every other page.
- ``views``: the code pages after the password, and the set-up and account pages.
- ``admin``: the "Reset two-factor authentication" action on staff accounts.

Decision record: docs/decisions/0010-second-factor.md.
"""
