"""What leaves the archive: the yearly PDF volumes (:mod:`.pdf`), ``archive.json``
(:mod:`.archive_export`) and the 整改台账 as XLSX/CSV (:mod:`.ledger_export`); :mod:`.collector`
pauses garbage collection while those whole-archive exports are built."""
