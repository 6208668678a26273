"""Session dates and calendar files.

Time zones come from the pinned ``tzdata`` package (requirements.lock), never from the
machine's ``/usr/share/zoneinfo``: :mod:`zoneinfo` prefers the system's data when it has
any, so occurrence times would depend on how up to date the machine is. Importing this
package points :mod:`zoneinfo` at ``tzdata`` alone, before any zone is loaded.
"""

import zoneinfo

zoneinfo.reset_tzpath(to=[])
zoneinfo.ZoneInfo.clear_cache()
