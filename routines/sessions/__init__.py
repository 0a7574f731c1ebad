"""Running a session: its frozen plan (`plan`), the one way to start it (`start`), and the
actions on a running session with what they mean for a course (`actions`).
"""
