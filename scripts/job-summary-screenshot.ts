/**
 * Draws docs/job-summary.png, the picture of a job summary in the README: the demo's third run (a
 * canary that the per-version analysis rolls back, against the emulator, with the bundled action),
 * its Markdown summary rendered to HTML with `marked` (GitHub-flavoured), styled like GitHub's
 * summary page, the Mermaid chart drawn by Mermaid itself, and photographed by headless Chromium.
 *
 *   npm run bundle && npm run docs:screenshot            # needs `chromium` (apt-get install chromium)
 *
 * Mermaid is 150 MB of packages, too much for every `npm ci`: the script installs the pinned release
 * below into a cache folder on first use (`npm install --prefix`), from the npm registry.
 * CHROMIUM=/path/to/chrome picks another browser; KEEP_HTML=1 leaves the HTML page beside the PNG.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import { startEmulator } from '../emulator/index.js';
import { runAction } from '../emulator/runner/action-runner.js';
import { ANALYSIS_ENV, ANALYSIS_INPUTS, seedDemoWorld, startDemoTraffic } from '../emulator/runner/demo-world.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUTPUT = join(ROOT, 'docs/job-summary.png');
const MERMAID_RELEASE = '11.17.2';
/** CSS pixels of the page, and the pixel density of the PNG (2: sharp on high-density screens). */
const PAGE_WIDTH = 920;
const SCALE = 2;

/** The demo's analysis run: version 2 fails 15 % of its calls, version 1 0.5 %; no alarm. */
async function jobSummary(): Promise<string> {
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/index.js is missing: run `npm run bundle` first.');
  const emu = await startEmulator();
  try {
    seedDemoWorld(emu);
    emu.updateCode('orders');
    startDemoTraffic(emu, '1');
    const run = await runAction({ endpoint: emu.url, inputs: ANALYSIS_INPUTS, env: ANALYSIS_ENV });
    emu.stopTraffic();
    if (run.outputs.status !== 'rolled-back' || !run.summary.includes('```mermaid')) {
      throw new Error(`the demo run did not end as the picture says (status ${run.outputs.status}):\n${run.stdout}`);
    }
    return run.summary;
  } finally {
    await emu.close();
  }
}

/** mermaid.min.js of MERMAID_RELEASE, installed into a cache folder the first time. */
function mermaidScript(): string {
  const prefix = join(ROOT, 'node_modules/.cache/lsd-mermaid', MERMAID_RELEASE);
  const script = join(prefix, 'node_modules/mermaid/dist/mermaid.min.js');
  if (!existsSync(script)) {
    mkdirSync(prefix, { recursive: true });
    console.error(`Installing mermaid@${MERMAID_RELEASE} into ${prefix} (once) ...`);
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `mermaid@${MERMAID_RELEASE}`], {
      stdio: ['ignore', 'ignore', 'inherit']
    });
  }
  return readFileSync(script, 'utf8');
}

/** GitHub's summary page, briefly: its fonts, colours, tables and code, in a card with the job's title. */
const CSS = `
body { margin: 0; padding: 24px; background: #f6f8fa; color: #1f2328;
  font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji"; }
.card { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
.card > header { padding: 12px 16px; border-bottom: 1px solid #d1d9e0; font-weight: 600; }
.markdown-body { padding: 8px 24px 16px; }
h1, h2, h3 { font-weight: 600; line-height: 1.25; margin: 20px 0 12px; }
h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
h3 { font-size: 1.25em; }
p, blockquote, table, pre, details, ol, ul { margin: 0 0 14px; }
blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
th, td { padding: 6px 13px; border: 1px solid #d1d9e0; }
th { font-weight: 600; }
tr:nth-child(2n) { background: #f6f8fa; }
code { font: 85% ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  padding: .2em .4em; background: #818b981f; border-radius: 6px; }
summary { cursor: pointer; }
pre.mermaid { background: none; text-align: center; }
`;

/** The summary as a page: Markdown to HTML, the Mermaid fence handed to Mermaid, which draws it on load. */
function page(summary: string, mermaid: string): string {
  const body = (marked.parse(summary, { gfm: true, async: false }) as string).replace(
    /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
    '<pre class="mermaid">$1</pre>'
  );
  return `<!doctype html>
<html><head><meta charset="utf-8"><style>${CSS}</style></head>
<body><div class="card"><header>deploy summary</header><div class="markdown-body">${body}</div></div>
<script>${mermaid}</script>
<script>
  mermaid.initialize({ startOnLoad: false, theme: 'default' });
  mermaid.run().then(() => {
    document.body.dataset.height = String(document.documentElement.scrollHeight);
  }, (error) => { document.body.dataset.error = String(error); });
</script></body></html>`;
}

function chromium(args: string[], profile: string): string {
  const browser = process.env.CHROMIUM ?? 'chromium';
  return execFileSync(
    browser,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--hide-scrollbars',
      '--virtual-time-budget=10000',
      ...args
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 }
  );
}

async function main(): Promise<void> {
  const summary = await jobSummary();
  const work = mkdtempSync(join(tmpdir(), 'lsd-screenshot-'));
  try {
    const html = join(work, 'summary.html');
    writeFileSync(html, page(summary, mermaidScript()));
    // First pass: let Mermaid draw, then read the page's height; second: photograph that much.
    const dom = chromium([`--window-size=${PAGE_WIDTH},1000`, '--dump-dom', `file://${html}`], join(work, 'profile-1'));
    const error = /data-error="([^"]*)"/.exec(dom)?.[1];
    const height = Number(/data-height="(\d+)"/.exec(dom)?.[1]);
    if (error || !(height > 0)) throw new Error(`Mermaid did not draw the chart: ${error ?? 'no height was set'}`);
    chromium(
      [
        `--window-size=${PAGE_WIDTH},${height}`,
        `--force-device-scale-factor=${SCALE}`,
        `--screenshot=${OUTPUT}`,
        `file://${html}`
      ],
      join(work, 'profile-2')
    );
    if (process.env.KEEP_HTML) writeFileSync(OUTPUT.replace(/\.png$/, '.html'), readFileSync(html));
    console.log(`${OUTPUT}: ${PAGE_WIDTH}×${height} CSS pixels at ${SCALE}×`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
