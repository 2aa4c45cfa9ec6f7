"""Self-graded practice in the terminal: a session, its SM-2 schedule and its SQLite history.

    session.py   one question at a time: read, grade (quizgen.grading), explain, record
    schedule.py  SM-2 per family ("card") and the order families come back in
    feedback.py  what the session says: answer formats, hints, verdicts, the summary
    history.py   the history database: where it lives, opening it safely, writing attempts
    report.py    what `quizgen stats` prints, read from the history

Practice reads the Question record only; it never imports the engine.
"""
