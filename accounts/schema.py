"""The OpenAPI security scheme of Timeline's token class (drf-spectacular matches exact classes)."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class TokenScheme(KnoxTokenScheme):
    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"  # the name DRF's token scheme had, so clients' schemas keep matching
