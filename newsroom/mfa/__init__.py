"""The admin's second factor (django-otp): an authenticator app (TOTP) and one-time
backup codes. ``factors`` says who must verify and checks codes, ``middleware`` holds
the admin until the session has verified, ``views`` are the enrol / verify / manage pages
that ``newsroom.admin`` mounts in the admin."""
