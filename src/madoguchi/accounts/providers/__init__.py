"""Authentication providers for residents, as plugins.

A provider proves who a resident is and links the account to a registry person from what it
verified. The demo provider lets a visitor pick a demo resident; OpenID Connect providers
(マイナンバーカード through デジタル認証アプリ) plug in the same way.
"""
