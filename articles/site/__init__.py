"""The public reader site: pages, feeds, sitemaps, JSON-LD and the page cache."""
