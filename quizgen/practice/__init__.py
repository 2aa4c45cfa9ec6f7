"""Self-graded practice in the terminal: a session, its SM-2 schedule and its SQLite history.

    session.py   one question at a time: read, grade (quizgen.grading), explain, record
    schedule.py  SM-2 per family ("card") and the order families come back in
    feedback.py  what the session says: answer formats, hints, verdicts, the summary
    history.py   the history database: where it lives, opening it, writing attempts and cards
    guard.py     whether a file may be trusted as a history (checked without writing to it)
    schema.py    the tables quizgen writes, version by version, and nothing else
    report.py    what `quizgen stats` prints, read from the history

The score is the same everywhere (summary, stats, the site): each question counts once, right
or not at its first answer.

Practice reads the Question record only; it never imports the engine.
"""
