"""Following sources: fetch outlets' feeds, sitemaps and pages politely, and keep every response.

    fetcher.Fetcher            one URL -> FetchResult: robots.txt, a per-host delay, conditional
                               GET, timeouts and a deadline, a size limit, bounded redirects,
                               retries with backoff; every HTTP exchange kept as sent and received
    robots.RobotsRules         a robots.txt's answer for our user agent (pure)
    warc_writer.WarcWriter     Exchange -> request and response records in rotated .warc.gz
                               files, each record its own gzip member; returns where it landed
    feeds.parse_feed           RSS/Atom bytes -> entries (pure)
    sitemaps.parse_sitemap     sitemap or sitemap index bytes -> entries or child sitemaps (pure)
    poll.poll_source           a source's settings and state -> what to fetch, fetched and
                               archived -> PollReport (new pages with their WARC locations, and
                               the state to keep for the next poll)

No Django here: settings and state come in as plain dataclasses, and turning the archived pages
into articles is the ingest's work (it reads the WARC records).
"""
