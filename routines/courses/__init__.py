"""Courses of 10-15 sessions: planning (`planner`), dates (`schedule`), how a course reacts to
a session that went badly (`holdback`), the calendar export (`calendar`) and the chart (`chart`).
"""
