"""Partner webhooks: which changes are sent, how they are signed and delivered, and the
API through which partners register their endpoints."""
