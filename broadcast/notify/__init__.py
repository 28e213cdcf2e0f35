"""Reaching people who are not at the office PC: e-mail reminders (SMTP)."""
