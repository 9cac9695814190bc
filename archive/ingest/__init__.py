"""Ingestion: files -> raw records -> parsed articles -> database rows.

    readers.find_input_files   paths -> files to read (folders walked, unsafe links refused)
    readers.read_records       one file -> RawRecord per article (txt/md, json, jsonl, csv):
                               read_file_bytes (size limit), decode_text and parse_records,
                               the last two pure
    pipeline.parse_record      RawRecord -> ParsedArticle (metadata checked, text cleaned); pure
    loader.load_article        ParsedArticle -> Article and tags, one transaction per article
    batch.ingest_paths         the whole run, with counts and reasons, for the `ingest` command

    workers.RecordReader       parse_record and the tagger's reading, in this process or in
                               worker processes while this one writes
    inserts                    the lean INSERTs that write a new article, its tags and history

Everything up to `parse_record` is pure and tested without a database.
"""
