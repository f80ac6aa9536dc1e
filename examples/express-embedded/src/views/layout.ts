// HTML for the sample app. Every value that came from a user, a token or a query string passes through
// `esc`, so a name or an error_description carrying HTML is shown as text.
export const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Gatehouse example</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/app.css">
${head}
</head>
<body>
<header><a href="/">Gatehouse example</a></header>
<main>
${body}
</main>
</body>
</html>`;
}
