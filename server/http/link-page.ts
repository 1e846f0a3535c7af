/**
 * The default landing page for magic links: it hosts the widget, which reads the token from the
 * fragment and completes the login. No inline script or style, so it runs under a strict CSP.
 */
export function renderLinkPage({ apiBase, widgetUrl }: { apiBase: string; widgetUrl: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Signing in…</title>
<script src="${escapeAttr(widgetUrl)}" defer></script>
</head>
<body>
<main>
<passwordless-login api="${escapeAttr(apiBase)}"></passwordless-login>
</main>
</body>
</html>
`;
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
