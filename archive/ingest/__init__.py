"""Ingestion: files -> raw records -> parsed articles -> database rows.

    readers.find_input_files   paths -> files to read (folders walked, unsafe links refused)
    readers.read_records       one file -> RawRecord per article (txt/md, json, jsonl, csv)
    pipeline.parse_record      RawRecord -> ParsedArticle (metadata checked, text cleaned); pure
    loader.load_article        ParsedArticle -> Article and tags, one transaction per article
    batch.ingest_paths         the whole run, with counts and reasons, for the `ingest` command

Everything up to `parse_record` is pure and tested without a database.
"""
