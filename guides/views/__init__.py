"""Views by topic: pages readers read, their progress, their reports and votes."""
