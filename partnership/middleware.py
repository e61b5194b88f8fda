class ContentSecurityPolicyMiddleware:
    """Send a strict Content-Security-Policy: every script and style is served by the app itself.

    Templates hold no inline script or style, so 'self' is enough; the admin's few inline
    styles need 'unsafe-inline' for style only.
    """

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = self.POLICY
        if response.headers.get("X-Frame-Options") == "SAMEORIGIN":
            # A view marked @xframe_options_sameorigin (the signing portal's PDF) is
            # meant to be framed by our own pages: 'none' would blank it.
            policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
