"""Bilingual bulletins of Lạng Sơn's provincial working groups: load, validate, index,
page models, feeds and search, with MkDocs + Material as the (replaceable) renderer."""
