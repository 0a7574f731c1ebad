"""Every input goes through a form, grouped by the same concept names as the views."""
