"""The portal's language: every generated word through gettext catalogs, every date through CLDR.

- :mod:`.labels`: the label ids and their English text (the one place for labels);
- :mod:`.language`: :class:`~.language.Language`, labels and CLDR formats for one program;
- :mod:`.check`: located diagnostics for ``program.language``, ``labels:`` and the theme's language;
- ``locale/<lang>/LC_MESSAGES/portal.po`` (and ``.mo``): the catalogs, ``portal.pot`` the template.
"""
