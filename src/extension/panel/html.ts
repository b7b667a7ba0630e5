/**
 * The panel's HTML shell: assets from media/ only (through asWebviewUri), a strict CSP
 * with a nonce fresh per render, and no data at all (it arrives by postMessage).
 */
import { displayLanguage } from '../locale';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function nonce(): string {
  return randomBytes(18).toString('base64url');
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const media = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...p)).toString();
  const n = nonce();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${displayLanguage()}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${media('dist', 'codicon.css')}" id="vscode-codicon-stylesheet">
  <link rel="stylesheet" href="${media('panel.css')}">
  <title>NEON Clusters</title>
</head>
<body>
  <div id="root"></div>
  <script type="module" nonce="${n}" src="${media('dist', 'vscode-elements.js')}"></script>
  <script type="module" nonce="${n}" src="${media('dist', 'webview.js')}"></script>
</body>
</html>`;
}
