"""What a parse becomes: the record and its schema, the summary table, the review page and review file, the batch database, and the one safe way every file is written."""
