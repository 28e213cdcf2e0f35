"""On air: the approved programme played at the airing times, and a record of what actually aired.

    outputs/   where sound goes: the sound card (miniaudio), an Icecast mount, a folder   → Played
    items      what may air: an approved episode or notice, with the sha256 it was approved with
    playout    one item on every output at once: checksum again, retries, urgent pre-emption
    slot       the scheduler's airing time: grace for a late start, priorities, the column
    log        the as-played log (append-only rows in the review database)
    report     the quarter's figures for the commune's CCHC report (DOCX, XLSX)
"""
