import { html, type SafeHtml } from '../../html';

/** The shell of every server-rendered page: no scripts, no third-party resources. */
export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>
  :root { color-scheme: light dark; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { max-width: 28rem; margin: 3rem auto; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin-bottom: .5rem; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input[type=password] { width: 100%; box-sizing: border-box; padding: .6rem; font-size: 1rem; margin-top: .25rem; border: 1px solid #888; border-radius: .375rem; }
  input:focus, button:focus { outline: 3px solid #2563eb; outline-offset: 2px; }
  button { margin-top: 1.25rem; padding: .6rem 1.2rem; font-size: 1rem; border: 0; border-radius: .375rem; background: #1d4ed8; color: #fff; cursor: pointer; }
  .hint { color: #555; font-size: .9rem; margin: .25rem 0 0; }
  .error { color: #b91c1c; }
  .notice { padding: .75rem 1rem; border-radius: .375rem; background: #f1f5f9; color: #0f172a; }
  .notice.ok { background: #dcfce7; }
  .notice.bad { background: #fee2e2; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`.value;
}
