"""The benchmark of issue 5: a Purworejo-size kabupaten on PostgreSQL, the roll-up against its baselines,
refresh latency, report pages under load, Excel, workbook export and import. Entry: ``make bench``."""
