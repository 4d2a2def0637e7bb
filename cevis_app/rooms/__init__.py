"""Classroom rooms: a teacher publishes a view state, students follow and answer."""
