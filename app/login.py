"""The login gate: who may use the app when it is served beyond this machine.

Two ways in, the first one configured wins:

- Streamlit's own login (``st.login``, OpenID Connect: Cognito, Google, Entra...), configured with
  an ``[auth]`` section in Streamlit's secrets (``.streamlit/secrets.toml``). The user is the
  identity provider's e-mail (or name).
- A password (the minimum): the secret named by ``BHNAV_APP_PASSWORD_SECRET`` (default ``app``),
  a JSON object ``{"password": "..."}`` read through ``lake.secrets``: Secrets Manager in AWS (the
  stack creates ``<project>/app/login``), ``BHNAV_LOCAL_SECRET_APP`` locally. The user is the
  name typed beside it.

Served on loopback only (``bhnav app``'s default), no login is asked unless
``BHNAV_APP_LOGIN=required`` (a reverse proxy on the same host makes a loopback app reachable).
Served beyond it with neither way configured, the app shows how to configure one and serves nothing.
"""

from __future__ import annotations

import hmac
import ipaddress

import streamlit as st

USER_KEY = "bhnav_user"


class LoginNotConfigured(RuntimeError):
    """Served beyond loopback with no way to log in."""


def beyond_loopback(address: str | None) -> bool:
    """Streamlit's ``server.address``: empty or ``0.0.0.0`` means every interface."""
    host = (address or "0.0.0.0").strip("[]")
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to any interface
        return True


def login_required(settings, address: str | None) -> bool:
    return settings.app_login == "required" or beyond_loopback(address)


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: not configured
        return False


def expected_password(settings) -> str | None:
    """The login password from the secrets resource; None when that secret is not set."""
    from lake.secrets import SecretError, get_secret

    try:
        password = get_secret(settings.app_password_secret, settings).get("password")
    except SecretError:
        return None
    return password or None


def require_configured(settings) -> str:
    """Which login serves beyond loopback (``oidc`` or ``password``), or ``LoginNotConfigured``."""
    if oidc_configured():
        return "oidc"
    if expected_password(settings):
        return "password"
    raise LoginNotConfigured(
        "serving beyond this machine needs a login: set the secret "
        f"{settings.app_password_secret!r} to {{\"password\": ...}} (locally BHNAV_LOCAL_SECRET_"
        f"{settings.app_password_secret.upper()}; in AWS, Secrets Manager), or configure Streamlit's login "
        "(an auth section in .streamlit/secrets.toml); or serve on --address 127.0.0.1")


def pending(settings) -> bool:
    """A login is needed and this session has not logged in yet."""
    if oidc_configured():
        return not st.user.is_logged_in
    return login_required(settings, st.get_option("server.address")) and not st.session_state.get(USER_KEY)


def gate(settings) -> str | None:
    """The logged-in user (None on loopback without a login); otherwise shows the login and stops the run."""
    if oidc_configured():
        if not st.user.is_logged_in:
            st.title("BH Strategic Navigator")
            st.button("Log in", type="primary", on_click=st.login, key="login")
            st.stop()
        st.sidebar.button("Log out", on_click=st.logout, key="logout")
        return st.user.get("email") or st.user.get("name")
    if not login_required(settings, st.get_option("server.address")):
        return None
    if st.session_state.get(USER_KEY):
        return st.session_state[USER_KEY]
    try:
        require_configured(settings)
    except LoginNotConfigured as exc:
        st.error(str(exc), icon=":material/lock:")
        st.stop()
    _password_form(settings)
    st.stop()


def current_user() -> str | None:
    """Who is logged in to this session (for the query log and the SQL page's history)."""
    if oidc_configured() and st.user.is_logged_in:
        return st.user.get("email") or st.user.get("name")
    return st.session_state.get(USER_KEY)


def _password_form(settings) -> None:
    st.title("BH Strategic Navigator")
    with st.form("login"):
        user = st.text_input("Name", key="login_user")
        password = st.text_input("Password", type="password", key="login_password")
        submitted = st.form_submit_button("Log in", type="primary")
    if submitted:
        expected = expected_password(settings) or ""
        if user.strip() and hmac.compare_digest(password.encode(), expected.encode()):
            st.session_state[USER_KEY] = user.strip()
            st.rerun()
        st.error("Wrong name or password.", icon=":material/lock:")
