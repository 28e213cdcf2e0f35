"""Everything after speech: clips, dynamics, loudness, the meter, assembly, MP3 joining, ffmpeg.

Modules:
    clip      one clip at a time: silence, joins, edges, the jingle and the music pad
    dynamics  compressor and true-peak limiter
    loudness  level-matching a clip to the programme target
    meter     in-process ITU-R BS.1770-4 loudness and true peak
    mixdown   the "mixed" assembly: voice over a music bed
    mp3join   joins MP3 pieces frame by frame without re-encoding
    ffmpeg    the one seam to ffmpeg (decode, encode, filters)
"""
