"""Problems matched to what answers them: segmentation (:mod:`.segment`), problem ↔ measure links
(:mod:`.links`), follow-ups read from the next year's text (:mod:`.followup`) and the 整改台账
across years (:mod:`.ledger`)."""
