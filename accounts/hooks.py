"""Hooks of the accounts app (``core.hooks``), filled by higher apps at loading."""

from core.hooks import Hook

# A notice to a user (softcopy delivered, survey invitation...): a higher app may take it
# over on another channel, e.g. WhatsApp for a user who opted in to WhatsApp notices
# (``channels``). Called with ``user, office, kind, subject, body, url, reference, extra,
# email_fallback``; a true answer means "taken over, with this e-mail as the fallback",
# so the caller does not send the e-mail itself.
offer_notice = Hook("accounts.offer_notice")
