"""Code written for st-page-state 0.2.x keeps running on 1.x (README, "Coming from 0.2.x").

:mod:`.values` holds what the class machinery and the URL engine read
(reversed value maps, 0.2.x Config options and class bodies, base64
links); :mod:`.methods` the class methods 0.2.x-era code calls. The
0.2.x ``RedisBackend`` lives in :mod:`st_page_state.backends`.
"""
