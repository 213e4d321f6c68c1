#!/usr/bin/env node
// Browser tests of a built copcat site, in headless Chromium (Debian's `chromium`).
//
//   node tests/browser/run.mjs --site DIR [--fixture DIR] [--french DIR] [--french-search DIR] [--bilingual DIR] [--hostile DIR] [--grep TEXT]
//
// Each site is served by a small static server on 127.0.0.1 (random port) under the
// sub-path /sub/, with a strict Content-Security-Policy, so the tests prove that the site
// works under a sub-path and without inline scripts or styles. The --hostile site (a
// catalog whose every field carries a script) is served without that policy, as a careless
// host would, so that only the site's own escaping stands between a payload and the reader. The
// --french site (built from tests/fixtures/french) is a catalog in French. Every module in specs/
// (sorted by name) exports `tests = [{ name, run: async (ctx) => {} }]`; see `makeContext`
// below for what ctx holds. One line is printed per test; the exit code is 1 if any failed.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const SUB = '/sub/';
const AXE_ROUTE = '/__browser-tests__/axe.min.js';
const TEST_TIMEOUT_MS = 60_000;
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

function usage(message) {
  if (message) console.error(`error: ${message}`);
  console.error('usage: node tests/browser/run.mjs --site DIR [--fixture DIR] [--french DIR] [--hostile DIR] [--grep TEXT]');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { site: null, fixture: null, french: null, frenchSearch: null, bilingual: null, hostile: null, grep: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const take = () => {
      const value = argv[++i];
      if (value === undefined) usage(`${arg} needs a value`);
      return value;
    };
    if (arg === '--site') options.site = take();
    else if (arg === '--fixture') options.fixture = take();
    else if (arg === '--french') options.french = take();
    else if (arg === '--hostile') options.hostile = take();
    else if (arg === '--french-search') options.frenchSearch = take();
    else if (arg === '--bilingual') options.bilingual = take();
    else if (arg === '--grep') options.grep = take();
    else if (arg === '-h' || arg === '--help') usage();
    else usage(`unknown argument ${arg}`);
  }
  if (!options.site) usage('--site is required');
  for (const key of ['site', 'fixture', 'french', 'frenchSearch', 'bilingual', 'hostile']) {
    if (options[key] === null) continue;
    options[key] = path.resolve(options[key]);
    if (!fs.existsSync(path.join(options[key], 'index.html'))) usage(`${options[key]} has no index.html`);
  }
  return options;
}

// A static server for one built site, under /sub/; `csp: false` leaves out the
// Content-Security-Policy.
function serve(dir, axePath, { csp = true } = {}) {
  const policy = csp ? { 'Content-Security-Policy': CSP } : {};
  const server = http.createServer((req, res) => {
    const send = (status, headers, body) => {
      res.writeHead(status, { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { Allow: 'GET, HEAD' }, '');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(400, { 'Content-Type': 'text/plain' }, 'bad request');
    }
    if (pathname === AXE_ROUTE) {
      return send(200, { 'Content-Type': TYPES['.js'] }, fs.readFileSync(axePath));
    }
    if (pathname === '/sub') return send(301, { Location: SUB }, '');
    const notFound = () => {
      const page = path.join(dir, '404.html');
      if (pathname.startsWith(SUB) && fs.existsSync(page)) {
        return send(404, { 'Content-Type': TYPES['.html'], ...policy }, fs.readFileSync(page));
      }
      return send(404, { 'Content-Type': 'text/plain' }, 'not found');
    };
    if (!pathname.startsWith(SUB) || pathname.includes('\0')) return notFound();
    let file = path.join(dir, pathname.slice(SUB.length));
    const relative = path.relative(dir, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return notFound();
    let stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat && stat.isDirectory()) {
      if (!pathname.endsWith('/')) return send(301, { Location: `${pathname}/` }, '');
      file = path.join(file, 'index.html');
      stat = fs.statSync(file, { throwIfNoEntry: false });
    }
    if (!stat || !stat.isFile()) return notFound();
    const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    return send(200, { 'Content-Type': type, ...policy }, fs.readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}${SUB}`,
        origin: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(done); }),
      });
    });
  });
}

function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 6)
        .map((n) => `      at ${n.target.join(' ')}\n        ${(n.failureSummary || '').replace(/\n/g, '\n        ')}`)
        .join('\n');
      const more = v.nodes.length > 6 ? `\n      … and ${v.nodes.length - 6} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join('\n');
}

function isLocal(url) {
  try {
    const u = new URL(url);
    if (['file:', 'data:', 'blob:', 'about:'].includes(u.protocol)) return true;
    return u.hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    console.error(`error: playwright-core is not installed (npm ci --prefix tests/browser): ${error.message}`);
    process.exit(2);
  }
  const axePath = require.resolve('axe-core/axe.min.js');

  const specDir = path.join(here, 'specs');
  const specFiles = fs.readdirSync(specDir).filter((f) => f.endsWith('.mjs')).sort();
  const tests = [];
  for (const file of specFiles) {
    const mod = await import(pathToFileURL(path.join(specDir, file)).href);
    for (const test of mod.tests || []) {
      tests.push({ ...test, name: `${path.basename(file, '.mjs')}: ${test.name}` });
    }
  }
  const selected = options.grep ? tests.filter((t) => t.name.includes(options.grep)) : tests;

  const servers = [];
  const describe = async (dir, serveOptions) => {
    if (!dir) return null;
    const server = await serve(dir, axePath, serveOptions);
    servers.push(server);
    const catalogFile = path.join(dir, 'catalog.json');
    return {
      dir,
      url: server.url,
      origin: server.origin,
      fileUrl: pathToFileURL(dir + path.sep).href,
      catalog: fs.existsSync(catalogFile) ? JSON.parse(fs.readFileSync(catalogFile, 'utf8')) : null,
    };
  };
  const site = await describe(options.site);
  const fixture = await describe(options.fixture);
  const french = await describe(options.french);
  const frenchSearch = await describe(options.frenchSearch);
  const bilingual = await describe(options.bilingual);
  const hostile = await describe(options.hostile, { csp: false });

  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

  let failed = 0;
  let skipped = 0;
  const started = Date.now();
  for (const test of selected) {
    const contexts = [];
    const problems = [];
    let allowErrors = false;
    let skipReason = null;

    // A fresh browser context and page whose errors, failed requests and requests to other
    // hosts are collected.
    const newPage = async (contextOptions = {}) => {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, ...contextOptions });
      contexts.push(context);
      await context.route((url) => !isLocal(url.href), (route) => {
        problems.push(`request to another host: ${route.request().url()}`);
        return route.abort();
      });
      const page = await context.newPage();
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const where = msg.location()?.url;
        problems.push(`console error: ${msg.text()}${where ? ` (${where})` : ''}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
      });
      page.on('requestfailed', (request) => {
        const failure = request.failure()?.errorText || 'failed';
        if (failure !== 'net::ERR_ABORTED' || !isLocal(request.url())) {
          problems.push(`request failed (${failure}): ${request.url()}`);
        }
      });
      return page;
    };

    // `bestPractice` adds axe's best-practice rules (landmark-unique, heading-order, …).
    const axe = async (page, { exclude = [], bestPractice = false } = {}) => {
      const onServer = servers.some((s) => page.url().startsWith(s.origin));
      const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
      if (!hasAxe) {
        if (onServer) {
          await page.addScriptTag({ url: new URL(AXE_ROUTE, page.url()).href });
        } else {
          await page.addScriptTag({ path: axePath });
        }
      }
      // From file:// axe cannot fetch stylesheets to preload the CSSOM (and says so in the
      // console), so it does not try there.
      const preload = onServer;
      const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', ...(bestPractice ? ['best-practice'] : [])];
      const result = await page.evaluate(
        async ({ exclude, preload, tags }) =>
          window.axe.run(
            { include: [document], exclude },
            { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], preload },
          ),
        { exclude, preload, tags },
      );
      return result.violations;
    };

    const ctx = {
      browser,
      chromium: executablePath,
      page: null,
      site,
      fixture,
      french,
      frenchSearch,
      bilingual,
      hostile,
      axe,
      formatViolations,
      newPage,
      assert,
      allowConsoleErrors: () => {
        allowErrors = true;
      },
      skip: (reason) => {
        skipReason = reason || 'skipped';
        throw new SkipTest();
      },
      // Fails with a readable list unless `page` has no axe violations.
      expectAccessible: async (page, label = page.url(), { bestPractice = false } = {}) => {
        const violations = await axe(page, { bestPractice });
        if (violations.length) {
          throw new Error(`${violations.length} axe violation(s) on ${label}:\n${formatViolations(violations)}`);
        }
      },
    };

    let error = null;
    let timer;
    try {
      ctx.page = await newPage();
      await Promise.race([
        test.run(ctx),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS / 1000} s`)), TEST_TIMEOUT_MS);
        }),
      ]);
      // Let late errors (deferred scripts, fetches) arrive before judging.
      for (const context of contexts) {
        for (const page of context.pages()) await page.waitForLoadState('load').catch(() => {});
      }
      await new Promise((r) => setTimeout(r, 50));
      if (!allowErrors && problems.length) {
        throw new Error(`errors in the browser:\n  ${[...new Set(problems)].join('\n  ')}`);
      }
    } catch (e) {
      if (!(e instanceof SkipTest)) error = e;
    } finally {
      clearTimeout(timer);
      for (const context of contexts) await context.close().catch(() => {});
    }

    if (skipReason && !error) {
      skipped++;
      console.log(`skip ${test.name}: ${skipReason}`);
    } else if (error) {
      failed++;
      const message = (error && (error.message || String(error))) || 'failed';
      console.log(`FAIL ${test.name}\n  ${message.replace(/\n/g, '\n  ')}`);
    } else {
      console.log(`ok   ${test.name}`);
    }
  }

  await browser.close();
  for (const server of servers) await server.close();
  const passed = selected.length - failed - skipped;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped (${selected.length} tests, ${seconds} s)`);
  process.exit(failed ? 1 : 0);
}

class SkipTest extends Error {}

main().catch((error) => {
  console.error(`error: ${error && error.stack ? error.stack : error}`);
  process.exit(2);
});
