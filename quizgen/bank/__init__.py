"""The question bank: declarative families -> seeded variants -> Question records."""
