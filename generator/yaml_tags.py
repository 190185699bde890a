"""The tags the strict loader's resolver gives nodes (load.py) instead of resolving them.

A home of their own because two stages read them: load builds values from them, and the schema layer
(check/schema.py) uses PLAIN to tell an unquoted `no` (read as false) from a quoted "no".
"""

PLAIN, QUOTED, MAP, SEQ = "?plain", "?quoted", "?map", "?seq"
