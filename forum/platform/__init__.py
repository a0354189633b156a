"""What every feature stands on, knowing none of them: database, unit of work, errors, text, mail."""
