"""The region's languages: which a text is in, and (later) how each is cut into words.

Pure functions of text, used by ingestion and tagging here and by the search engines, so that
every engine reads a language the same way.
"""
