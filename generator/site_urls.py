"""Every address the outputs carry, derived from two settings and nowhere else.

settings.site.url is the public site's base (canonical links, the sitemap, the posters' QR codes);
settings.forge (kind, base_url, repo, branch) is where the repository lives (links to a return's file).
No forge or host name is written into the code: a town on Forgejo gets Forgejo links and its own site URL.
"""

from __future__ import annotations

from urllib.parse import quote, urlparse

# The web editor's path on each kind of forge (GitHub: /edit/; Gitea and Forgejo: /_edit/).
EDIT_PATHS = {"github": "edit", "gitea": "_edit", "forgejo": "_edit"}


def public_base(settings: dict) -> str:
    """The public site's base URL, always ending in "/" ("" when not set)."""
    url = str((settings.get("site") or {}).get("url") or "")
    return url if not url or url.endswith("/") else url + "/"


def project_page(settings: dict, project_id: str) -> str:
    return f"{public_base(settings)}projects/{quote(str(project_id))}/"


def repo_url(settings: dict) -> str | None:
    forge = settings.get("forge") or {}
    base, repo = str(forge.get("base_url") or "").rstrip("/"), str(forge.get("repo") or "").strip("/")
    return f"{base}/{repo}" if base and repo else None


def edit_url(settings: dict, path: str) -> str | None:
    """The forge's web editor for a repository file (content/returns/2024-12/nibaxi.yaml)."""
    repo = repo_url(settings)
    forge = settings.get("forge") or {}
    if repo is None:
        return None
    action = EDIT_PATHS.get(str(forge.get("kind") or "github"), "edit")
    return f"{repo}/{action}/{quote(str(forge.get('branch') or 'main'))}/{quote(path)}"


def api_base(forge: dict) -> str:
    """The forge's REST API root: doctor reads it, the web form's GitHub backend talks to it."""
    base = str(forge.get("base_url") or "").rstrip("/")
    if forge.get("kind", "github") == "github":
        # GitHub itself (a bare second-level host) answers on the api. subdomain; GitHub Enterprise
        # Server on its own host under /api/v3.
        parsed = urlparse(base)
        host = parsed.hostname or ""
        return f"{parsed.scheme}://api.{host}" if host.count(".") == 1 else f"{base}/api/v3"
    return f"{base}/api/v1"
