/**
 * Renders a webview's HTML in headless Chromium the way VS Code shows it: the theme's CSS variables
 * (a Dark Modern palette) and `acquireVsCodeApi()` are provided — inside the page's own nonce'd
 * style and script, so its Content-Security-Policy stays exactly as written — and every CSP
 * violation or console error is collected. Screenshots go to test-artifacts/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';

export const CHROMIUM = process.env.PGIR_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const ARTIFACTS = path.join(REPO, 'test-artifacts');

/** VS Code's Dark Modern theme, the variables our pages read. */
export const DARK_MODERN: Record<string, string> = {
  '--vscode-foreground': '#cccccc',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editorWidget-border': '#454545',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-sideBar-background': '#181818',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-textCodeBlock-background': '#2b2b2b',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-inputValidation-warningBackground': '#352a05',
  '--vscode-errorForeground': '#f85149',
  '--vscode-inputValidation-errorBackground': '#5a1d1d',
  '--vscode-editorInfo-foreground': '#3794ff',
  '--vscode-inputValidation-infoBackground': '#063b49',
  '--vscode-input-background': '#313131',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
  '--vscode-editor-font-size': '13px',
};

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

export interface Rendered {
  errors: string[];
  /** Messages the page posted through acquireVsCodeApi().postMessage. */
  messages: unknown[];
  screenshot: string;
  /** The page's text (for assertions on what a person reads). */
  text: string;
}

export interface RenderOptions {
  /** Inject VS Code theme variables and a postMessage stub (a webview page). */
  webview?: boolean;
  width?: number;
  height?: number;
  colorScheme?: 'light' | 'dark';
  fullPage?: boolean;
  /** Selector to click after load (a link posting `reveal`). */
  click?: string;
}

export interface PageRenderer {
  render(html: string, name: string, o?: RenderOptions): Promise<Rendered>;
  close(): Promise<void>;
}

/** One Chromium for several pages (launching is most of the time). */
export async function openRenderer(): Promise<PageRenderer> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return { render: (html, name, o) => renderPage(html, name, o, browser), close: () => browser.close() };
}

export async function renderPage(html: string, name: string, o: RenderOptions = {}, shared?: import('playwright-core').Browser): Promise<Rendered> {
  const { chromium } = await import('playwright-core');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  let page = html;
  if (o.webview) {
    const nonce = /'nonce-([^']+)'/.exec(html)?.[1];
    if (!nonce) throw new Error('a webview page needs a nonce in its CSP');
    const vars = `:root{${Object.entries(DARK_MODERN).map(([k, v]) => `${k}:${v}`).join(';')}}`;
    page = page.replace(`<style nonce="${nonce}">`, `<style nonce="${nonce}">${vars}\n`);
    page = page.replace('</head>', `<script nonce="${nonce}">window.__messages=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>window.__messages.push(m),getState:()=>undefined,setState:()=>undefined});</script></head>`);
  }
  const file = path.join(ARTIFACTS, `${name}.html`);
  fs.writeFileSync(file, page);
  const browser = shared ?? (await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }));
  const p = await browser.newPage({ viewport: { width: o.width ?? 1280, height: o.height ?? 1000 }, colorScheme: o.colorScheme ?? (o.webview ? 'dark' : 'light') });
  try {
    const errors: string[] = [];
    p.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) errors.push(m.text());
    });
    p.on('pageerror', (e) => errors.push(e.message));
    // Remote requests would be CSP violations; fail loudly if any is even attempted.
    await p.route(/^(?!file:|data:|about:)/, (route) => {
      errors.push(`remote request: ${route.request().url()}`);
      return route.abort();
    });
    await p.goto(`file://${file}`);
    if (o.click) await p.click(o.click);
    const screenshot = path.join(ARTIFACTS, `${name}.png`);
    await p.screenshot({ path: screenshot, fullPage: o.fullPage ?? false });
    const messages = o.webview ? ((await p.evaluate('window.__messages')) as unknown[]) : [];
    const text = (await p.evaluate('document.body.innerText')) as string;
    return { errors, messages, screenshot, text };
  } finally {
    await p.close();
    if (!shared) await browser.close();
  }
}
