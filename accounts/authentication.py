"""API tokens: django-rest-knox keeps a SHA-512 digest, an expiry, and revokes by deletion."""

from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class TokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token <key>`. A key that is not text (bytes outside UTF-8) is an invalid
    token, a 401, where knox would fail to decode it and answer 500."""

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed("Invalid token.") from exc
        return super().authenticate_credentials(token)
