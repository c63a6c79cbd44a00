"""An independent OAuth2 client (authlib + requests) driving a running Signet.

Usage: client.py BASE_URL CLIENT_ID CLIENT_SECRET EMAIL PASSWORD REDIRECT_URI

Runs the authorization code grant with PKCE through the login and consent pages as a plain
HTTP session (CSRF tokens parsed from the HTML), exchanges the code, calls the API, refreshes,
checks refresh-token reuse detection, the client credentials grant and revocation. Exits
non-zero with a message at the first thing that is not as RFC 6749/7009/7636 say.
"""

import html
import os
import re
import sys
from urllib.parse import parse_qs, urlparse

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

# The server under test listens on loopback over plain HTTP.
os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def check(condition, message):
    if not condition:
        sys.exit(f"FAILED: {message}")


def hidden_fields(page):
    return {name: html.unescape(value) for name, value in HIDDEN.findall(page)}


def log_in_and_consent(base, url, email, password):
    """Follows the authorization URL like a browser; returns the redirect to the client."""
    browser = requests.Session()
    first = browser.get(url, allow_redirects=False)
    check(first.status_code == 302, f"authorize without a session: {first.status_code}")
    login_page = browser.get(base + first.headers["Location"])
    fields = hidden_fields(login_page.text)
    check("csrf" in fields and "return_to" in fields, "the login form lacks csrf or return_to")
    fields.update(email=email, password=password)
    logged_in = browser.post(base + "/login", data=fields, allow_redirects=False)
    check(logged_in.status_code == 303, f"login: {logged_in.status_code}")
    consent = browser.get(base + logged_in.headers["Location"], allow_redirects=False)
    check(consent.status_code == 200, f"consent page: {consent.status_code}")
    check("Authorize" in consent.text, "the consent page has no Authorize button")
    form = hidden_fields(consent.text)
    without_csrf = {k: v for k, v in form.items() if k != "csrf"}
    refused = browser.post(base + "/oauth/authorize", data={**without_csrf, "decision": "approve"}, allow_redirects=False)
    check(refused.status_code == 403, f"consent without CSRF: {refused.status_code}")
    approved = browser.post(base + "/oauth/authorize", data={**form, "decision": "approve"}, allow_redirects=False)
    check(approved.status_code == 302, f"consent: {approved.status_code}")
    return approved.headers["Location"]


def main():
    base, client_id, secret, email, password, redirect_uri = sys.argv[1:7]
    meta = requests.get(base + "/.well-known/oauth-authorization-server").json()
    check(meta["code_challenge_methods_supported"] == ["S256"], "metadata: S256")
    token_url, api = meta["token_endpoint"], base + "/api/v1/envelopes"

    oauth = OAuth2Session(
        client_id, secret, scope="read write", redirect_uri=redirect_uri,
        code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic",
    )
    verifier = generate_token(64)
    url, state = oauth.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier)
    callback = log_in_and_consent(base, url, email, password)
    check(callback.startswith(redirect_uri), f"redirected to {callback}")
    check(parse_qs(urlparse(callback).query)["state"] == [state], "state not echoed")

    token = oauth.fetch_token(token_url, authorization_response=callback, code_verifier=verifier)
    check(token["token_type"] == "Bearer" and token["expires_in"] == 1800, f"token: {token}")
    check(set(token) >= {"access_token", "refresh_token"}, f"token: {token}")
    check(oauth.get(api).status_code == 200, "API call with the access token")

    old_refresh = token["refresh_token"]
    renewed = oauth.refresh_token(token_url, refresh_token=old_refresh)
    check(renewed["refresh_token"] != old_refresh, "the refresh token was not rotated")
    check(oauth.get(api).status_code == 200, "API call with the refreshed token")
    reuse = requests.post(token_url, data={"grant_type": "refresh_token", "refresh_token": old_refresh}, auth=(client_id, secret))
    check(reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant", f"reuse: {reuse.text}")
    family = requests.get(api, headers={"Authorization": "Bearer " + renewed["access_token"]})
    check(family.status_code == 401, f"after reuse the family must be revoked: {family.status_code}")

    machine = OAuth2Session(client_id, secret, token_endpoint_auth_method="client_secret_post")
    cc = machine.fetch_token(token_url, grant_type="client_credentials")
    check("refresh_token" not in cc, "client credentials must not return a refresh token")
    check(machine.get(api).status_code == 200, "API call with the client-credentials token")
    revoked = machine.revoke_token(meta["revocation_endpoint"], token=cc["access_token"], token_type_hint="access_token")
    check(revoked.status_code == 200, f"revoke: {revoked.status_code}")
    after = requests.get(api, headers={"Authorization": "Bearer " + cc["access_token"]})
    check(after.status_code == 401, f"a revoked token still works: {after.status_code}")
    print("OK")


if __name__ == "__main__":
    main()
