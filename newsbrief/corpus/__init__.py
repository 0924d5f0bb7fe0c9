"""A corpus of briefs: speakers merged across articles, issues grouped, tables, SQL, report."""
