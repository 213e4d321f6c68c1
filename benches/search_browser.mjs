#!/usr/bin/env node
// Browser half of benches/search.py: serves a built site (no compression, like a plain
// static host or file://), opens it in headless Chromium, and prints JSON with the bytes a
// first query fetches and the time queries take, for copcat's search and for Pagefind.
//
//   node benches/search_browser.mjs --site DIR --engine copcat|pagefind --words a,b [--runs N]
//
// Needs playwright-core (tests/browser/node_modules, or $PLAYWRIGHT_CORE) and Chromium
// (/usr/bin/chromium, or $CHROMIUM).

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'browser', 'package.json'));
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

function args() {
  const options = { site: null, engine: 'copcat', words: ['funding'], runs: 50, results: 10 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === '--site') options.site = path.resolve(value);
    else if (key === '--engine') options.engine = value;
    else if (key === '--words') options.words = value.split(',');
    else if (key === '--runs') options.runs = Number(value);
    else if (key === '--results') options.results = Number(value);
    else throw new Error(`unknown argument ${key}`);
  }
  if (!options.site) throw new Error('--site is required');
  return options;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

function serve(dir) {
  const server = http.createServer((req, res) => {
    let file = path.join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// A page that runs Pagefind's own JS API the way its UI does: search, then load the data
// (fragments) of the results shown.
const PAGEFIND_PAGE = `<!doctype html><meta charset="utf-8"><title>pagefind bench</title><script type="module">
window.benchSearch = async (word, shown) => {
  const pagefind = await import("/pagefind/pagefind.js");
  const search = await pagefind.search(word);
  const data = await Promise.all(search.results.slice(0, shown).map((r) => r.data()));
  return { count: search.results.length, titles: data.map((d) => d.meta && d.meta.title) };
};
window.benchQuery = async (word) => { const pagefind = await import("/pagefind/pagefind.js"); const s = await pagefind.search(word); return s.results.length; };
</script>`;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function main() {
  const options = args();
  if (options.engine === 'pagefind') fs.writeFileSync(path.join(options.site, 'pagefind-bench.html'), PAGEFIND_PAGE);
  const server = await serve(options.site);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const report = { engine: options.engine, first_query: [], query_ms: {} };
  try {
    for (const word of options.words) {
      // A fresh context: nothing cached.
      const context = await browser.newContext();
      const page = await context.newPage();
      const responses = [];
      page.on('response', (response) => responses.push(response));
      let found;
      if (options.engine === 'copcat') {
        await page.goto(`${origin}/search/index.html?q=${encodeURIComponent(word)}`, { waitUntil: 'load' });
        await page.waitForFunction(() => {
          const app = document.getElementById('search-app');
          const status = document.getElementById('search-status').textContent;
          return status && !/^Loading/.test(status) && app.getAttribute('aria-busy') !== 'true';
        }, null, { timeout: 60000 });
        found = await page.evaluate(() => ({
          status: document.getElementById('search-status').textContent,
          titles: [...document.querySelectorAll('#search-results .search-result-title')].map((n) => n.textContent),
        }));
      } else {
        await page.goto(`${origin}/pagefind-bench.html`, { waitUntil: 'load' });
        found = await page.evaluate(([w, n]) => window.benchSearch(w, n), [word, options.results]);
      }
      await page.waitForTimeout(200);
      let bytes = 0, files = 0, page_bytes = 0;
      for (const response of responses) {
        const url = new URL(response.url());
        const body = await response.body().catch(() => Buffer.alloc(0));
        const isSearch = options.engine === 'copcat'
          ? (url.pathname.startsWith('/search/') && !url.pathname.endsWith('.html')) || /^\/search[^/]*\.js$/.test(url.pathname)
          : url.pathname.startsWith('/pagefind/');
        if (isSearch) { bytes += body.length; files++; } else page_bytes += body.length;
      }
      report.first_query.push({ word, bytes, files, page_bytes, results: found });

      // Query time, warm (index parts already loaded), as the page's own query function.
      const times = await page.evaluate(async ([w, runs, engine]) => {
        const run = engine === 'copcat' ? () => window.copcatSearch.query(w, {}) : () => window.benchQuery(w);
        for (let i = 0; i < 5; i++) await run();
        const out = [];
        for (let i = 0; i < runs; i++) {
          const start = performance.now();
          await run();
          out.push(performance.now() - start);
        }
        return out;
      }, [word, options.runs, options.engine]);
      report.query_ms[word] = { median: median(times), p95: percentile(times, 0.95) };
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
    if (options.engine === 'pagefind') fs.rmSync(path.join(options.site, 'pagefind-bench.html'), { force: true });
  }
  console.log(JSON.stringify(report));
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
