// Shared by the browser tests and the screenshot script: starts Kirjo with
// the demo data on its own PostgreSQL cluster in a temporary directory,
// drives Debian's chromium through playwright-core, and computes TOTP codes.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
const require = createRequire(join(root, 'ui', 'package.json'));
export const { chromium } = require('playwright-core');
export const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const DEMO_PASSWORD = 'harjuniemi-demo-2026';

/** A configuration edit: sessions end after one idle minute, so that the
 * tests can see one end. */
export function oneIdleMinute(t) {
  const edited = t.replace('idle_timeout_minutes = 30', 'idle_timeout_minutes = 1');
  assert.notEqual(edited, t, 'the demo configuration names idle_timeout_minutes');
  return edited;
}

/** A page in a fresh Finnish browser context that records CSP breaks. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'fi-FI', ...options });
  const page = await context.newPage();
  page.cspErrors = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) page.cspErrors.push(m.text());
  });
  return page;
}

/** axe-core (WCAG 2.1 A and AA, best practices) on the page as it is now:
 * no violations, no CSP breaks. */
export async function checkAxe(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  const found = result.violations.map((v) => `${v.id}: ${v.help} [${v.nodes.map((n) => n.target.join(' ')).join(' | ')}]`);
  assert.deepEqual(found, [], `axe-core on ${name}`);
  assert.deepEqual(page.cspErrors, [], `CSP on ${name}`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Starts `kirjo serve --demo`; `edit` may change the configuration text. */
export async function startKirjo({ edit = (t) => t } = {}) {
  const target = process.env.CARGO_TARGET_DIR || join(root, 'target');
  const bin = process.env.KIRJO_BIN || join(target, 'debug', 'kirjo');
  const dir = mkdtempSync(join(tmpdir(), 'kirjo-browser-'));
  // Under root the cluster runs as `postgres`, which must reach the directory.
  chmodSync(dir, 0o755);
  const config = join(dir, 'kirjo.toml');
  writeFileSync(config, edit(readFileSync(join(root, 'config', 'demo.toml'), 'utf8')));
  const port = await freePort();
  const env = { ...process.env, KIRJO_LOG: 'warn' };
  // Kirjo sets up its own cluster in `dir`, as on a new machine.
  delete env.DATABASE_URL;
  delete env.KIRJO_DATABASE_URL;
  const child = spawn(bin, ['serve', '--demo', '--config', config, '--data-dir', join(dir, 'var'),
    '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Kirjo did not start in 120 s:\n${out}\n${err}`)), 120000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Kirjo is ready')) { clearTimeout(timer); resolve(); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`Kirjo exited ${code}:\n${out}\n${err}`)); });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
  const secret = /has TOTP enrolled with the secret ([A-Z2-7]+)/.exec(out)?.[1];
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    printed: out,
    totpSecret: secret,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

function fromBase32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code of a base32 secret, `offset` steps from now. */
export function totp(secretBase32, offset = 0) {
  const counter = Math.floor(Date.now() / 1000 / 30) + offset;
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(counter));
  const h = createHmac('sha1', fromBase32(secretBase32)).update(buf).digest();
  const o = h[19] & 0x0f;
  const bin = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(bin % 1000000).padStart(6, '0');
}

/** Signs in through the page. */
export async function signIn(page, base, username, password = DEMO_PASSWORD) {
  await page.goto(`${base}/sign-in`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/sign-in"] button[type=submit]')]);
}
