"""Every editorial write: the transitions table, the publish gates, the workflow steps,
roles and the desk firewall, revisions, preview links and drafts filed through the API.

Nothing outside this package changes an article's status.
"""
