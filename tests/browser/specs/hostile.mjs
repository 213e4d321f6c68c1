// A catalog whose every field an editor controls carries a script (tests/fixtures/hostile/),
// served WITHOUT a Content-Security-Policy: only copcat's escaping and URL policy stand
// between the payloads and the reader. Each payload sets window.__pwned.

import fs from 'node:fs';
import path from 'node:path';

// Every HTML file of a built site, relative to its root.
function htmlFiles(dir, prefix = '') {
  const found = [];
  for (const item of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.posix.join(prefix, item.name);
    if (item.isDirectory()) found.push(...htmlFiles(dir, relative));
    else if (item.name.endsWith('.html')) found.push(relative);
  }
  return found.sort();
}

// What in the live DOM could run a script: event-handler attributes, script URLs, frames,
// scripts that are not the site's own files (or its one JSON element of search messages).
async function dangers(page) {
  return page.evaluate(() => {
    const found = [];
    for (const element of document.querySelectorAll('*')) {
      for (const attribute of element.attributes) {
        const name = attribute.name.toLowerCase();
        const value = attribute.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        if (name.startsWith('on')) found.push(`<${element.localName} ${name}>`);
        if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc'].includes(name)) {
          if (/^(javascript|vbscript|data):/.test(value) || name === 'srcdoc') {
            found.push(`<${element.localName} ${name}="${attribute.value}">`);
          }
        }
        if (name === 'autofocus' || name === 'style') found.push(`<${element.localName} ${name}>`);
      }
      if (['iframe', 'object', 'embed', 'frame'].includes(element.localName)) found.push(`<${element.localName}>`);
      // The search page's messages are data (JSON the browser never runs), written by copcat.
      const data = element.id === 'search-messages' && element.getAttribute('type') === 'application/json';
      if (element.localName === 'script' && !data) {
        const src = element.getAttribute('src');
        if (!src || new URL(src, document.baseURI).origin !== location.origin) found.push(`<script src=${src}>`);
      }
    }
    return found;
  });
}

// Gives every payload its chance: focus moves through the page, the pointer passes over
// each link and heading, and scripts get time to run.
async function provoke(page) {
  for (let i = 0; i < 12; i++) await page.keyboard.press('Tab');
  const targets = await page.$$('main a, main h2, main h3, main img, main svg');
  for (const target of targets.slice(0, 40)) await target.hover({ timeout: 500 }).catch(() => {});
  await page.waitForTimeout(100);
}

const pwned = (page) => page.evaluate(() => window.__pwned);

export const tests = [
  {
    name: 'the tripwire fires on a real payload, so the checks below can fail',
    run: async ({ newPage, hostile, assert, skip }) => {
      if (!hostile) skip('no hostile site');
      const page = await newPage();
      await page.goto(new URL('index.html', hostile.url).href);
      await page.evaluate(() => {
        const probe = document.createElement('div');
        probe.innerHTML = '<img src="data:," onerror="window.__pwned=1">';
        document.body.append(probe);
      });
      await page.waitForFunction(() => window.__pwned === 1, null, { timeout: 5000 });
      assert.equal(await pwned(page), 1);
    },
  },
  {
    name: 'no page of a catalog full of script payloads runs one, even without a CSP',
    run: async ({ newPage, hostile, assert, skip }) => {
      if (!hostile) skip('no hostile site');
      // 404.html links its styles from base_url's path (it is served at any depth), which
      // this server does not host: it has a test of its own below.
      const files = htmlFiles(hostile.dir).filter((file) => file !== '404.html');
      assert.ok(files.length >= 10, `expected the whole site, found ${files.length} pages`);
      const page = await newPage();
      const failures = [];
      for (const file of files) {
        await page.goto(new URL(file, hostile.url).href);
        await provoke(page);
        const found = await dangers(page);
        if (await pwned(page) !== undefined) found.unshift('window.__pwned was set');
        if (found.length) failures.push(`${file}: ${[...new Set(found)].join(', ')}`);
      }
      assert.deepEqual(failures, []);
    },
  },
  {
    name: 'the 404 page runs nothing',
    run: async ({ newPage, hostile, assert, skip, allowConsoleErrors }) => {
      if (!hostile) skip('no hostile site');
      allowConsoleErrors();
      const page = await newPage();
      await page.goto(new URL('404.html', hostile.url).href);
      await provoke(page);
      assert.deepEqual(await dangers(page), []);
      assert.equal(await pwned(page), undefined);
    },
  },
  {
    name: 'the payloads are shown as text, not dropped',
    run: async ({ newPage, hostile, assert, skip }) => {
      if (!hostile) skip('no hostile site');
      const page = await newPage();
      await page.goto(new URL('roles/attacker/index.html', hostile.url).href);
      const heading = await page.textContent('h1');
      assert.ok(heading.includes('<script>window.__pwned=1</script>'), heading);
      const body = await page.textContent('main');
      assert.ok(body.includes('<script>window.__pwned=1</script>'), 'raw HTML is shown escaped');
      for (const text of ['inline', 'mixed', 'encoded', 'spaced', 'by reference', 'a neighbour']) {
        assert.ok(body.includes(text), `the text of the link "${text}" is kept`);
      }
      const safe = await page.getAttribute('main a[href="https://example.org/"]', 'href');
      assert.equal(safe, 'https://example.org/', 'allowed links stay links');
    },
  },
  {
    name: 'search results for a payload title run nothing',
    run: async ({ newPage, hostile, assert, skip }) => {
      if (!hostile) skip('no hostile site');
      const page = await newPage();
      await page.goto(new URL('search/index.html?q=attacker', hostile.url).href);
      await page.waitForSelector('#search-results a, [data-search-results] a, .search-result a', { timeout: 10_000 }).catch(() => {});
      const text = await page.textContent('main');
      assert.ok(text.includes('Attacker'), 'the search found the attacker entry');
      await provoke(page);
      assert.deepEqual(await dangers(page), []);
      assert.equal(await pwned(page), undefined);
    },
  },
  {
    name: 'from file:// the entry page runs nothing either',
    run: async ({ newPage, hostile, assert, skip }) => {
      if (!hostile) skip('no hostile site');
      const page = await newPage();
      await page.goto(new URL('roles/attacker/index.html', hostile.fileUrl).href);
      await provoke(page);
      assert.deepEqual(await dangers(page), []);
      assert.equal(await pwned(page), undefined);
    },
  },
];
