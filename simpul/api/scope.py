from simpul.accounts.context_processors import request_scope

__all__ = ["request_scope"]
