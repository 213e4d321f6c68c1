// Pages that hold still, and a search page that works as far as it can without JavaScript.
// Layout shifts are read from Chromium's own PerformanceObserver ('layout-shift', the
// entries cumulative layout shift adds up), with every script slowed down so that the page
// paints before search.js hides, fills or adds anything.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1366, height: 768 } };
const SCRIPT_DELAY_MS = 300;

const at = (site, relative = '') => new URL(relative, site.url).href;

// A string of copcat's shipped table for `language` (src/i18n/<language>.toml).
function shippedString(language, key) {
  const table = fs.readFileSync(path.join(repo, 'src', 'i18n', `${language}.toml`), 'utf8');
  const found = table.match(new RegExp(`^${key} = (".*")$`, 'm'));
  if (!found) throw new Error(`src/i18n/${language}.toml has no ${key}`);
  return JSON.parse(found[1]);
}

// A page whose layout shifts are recorded from the start, and whose scripts arrive late.
async function watchedPage(ctx, device) {
  const page = await ctx.newPage(device);
  await page.context().route(/\.js(\?.*)?$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, SCRIPT_DELAY_MS));
    await route.continue();
  });
  await page.addInitScript(() => {
    window.layoutShifts = [];
    new PerformanceObserver((list) => {
      for (const shift of list.getEntries()) {
        if (shift.hadRecentInput) continue;
        const moved = shift.sources.map((source) => {
          const node = source.node;
          return node ? `${node.nodeName.toLowerCase()}${node.id ? `#${node.id}` : ''}${node.className ? `.${String(node.className).split(' ').join('.')}` : ''}` : '?';
        });
        window.layoutShifts.push({ value: shift.value, moved });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  return page;
}

// Loads `url`, waits for the search (if any) to answer and a moment more, and fails if
// anything moved.
async function holdsStill(ctx, page, url, label) {
  await page.goto(url, { waitUntil: 'load' });
  if (await page.locator('#search-app').count()) {
    await page.waitForFunction(() => {
      const app = document.getElementById('search-app');
      const loading = JSON.parse(document.getElementById('search-messages').textContent).loading;
      const status = document.getElementById('search-status').textContent;
      return status && status !== loading && app.getAttribute('aria-busy') !== 'true';
    });
  }
  await page.waitForTimeout(500);
  const shifts = await page.evaluate(() => window.layoutShifts);
  const total = shifts.reduce((sum, shift) => sum + shift.value, 0);
  ctx.assert.ok(total < 0.001, `${label}: layout shift ${total.toFixed(4)}: ${JSON.stringify(shifts)}`);
}

// axe runs as a script, so it cannot run where scripts are off: it checks the page as a
// browser without JavaScript renders it instead (no scripts, <noscript> contents shown).
async function expectAccessibleWithoutScripts(ctx, device, url, label) {
  const page = await ctx.newPage(device);
  await page.route(url, async (route) => {
    const response = await route.fetch();
    const body = (await response.text())
      .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
      .replace(/<\/?noscript>/g, '');
    await route.fulfill({ response, body });
  });
  await page.goto(url, { waitUntil: 'load' });
  ctx.assert.ok(await page.isVisible('.search-noscript'), `${label}: the notice shows`);
  await ctx.expectAccessible(page, label, { bestPractice: true });
  await page.context().close();
}

// The A-Z list in its pages (list_page_size to a page), followed by its "next" links from
// the search page: every entry once, from A to Z. Leaves `page` on the search page.
async function assertEveryEntryAToZ(ctx, page, site, where) {
  const first = page.url();
  const titles = [];
  for (let pages = 1; ; pages += 1) {
    titles.push(...(await page.locator('.az-list li a').allTextContents()));
    const next = page.locator('#search-fallback .pagination a[rel=next]');
    if ((await next.count()) === 0) break;
    ctx.assert.ok(pages < 1000, `${where}: the A-Z pages end`);
    await Promise.all([page.waitForURL(/search\/page\/\d+\/index\.html$/), next.click()]);
    ctx.assert.ok(await page.isVisible('.search-noscript'), `${where}: page ${pages + 1} of A-Z is a search page too`);
  }
  ctx.assert.equal(titles.length, site.catalog.entries.length, `${where}: every entry A-Z, once`);
  const sorted = [...titles].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  ctx.assert.deepEqual(titles, sorted, `${where}: from A to Z`);
  await page.goto(first, { waitUntil: 'load' });
}

export const tests = [
  {
    name: 'nothing moves on the search page while it loads and answers (phone and desktop, scripts slowed)',
    run: async (ctx) => {
      // "workload" is only in bodies: its results' sentences load while they are hidden.
      const queries = ['', '?q=funding', '?q=zzzqqq', '?q=fnd', '?q=funding&stage=identify-priorities', '?q=workload'];
      for (const [name, device] of [['390px phone', PHONE], ['desktop', DESKTOP]]) {
        const page = await watchedPage(ctx, device);
        for (const query of queries) {
          await holdsStill(ctx, page, at(ctx.site, `search/index.html${query}`), `search${query} (${name})`);
        }
      }
    },
  },
  {
    name: 'nothing moves on the home page, an entry or the landscape while they load',
    run: async (ctx) => {
      const entry = `${ctx.site.catalog.entries[0].path}index.html`;
      for (const [name, device] of [['390px phone', PHONE], ['desktop', DESKTOP]]) {
        const page = await watchedPage(ctx, device);
        for (const relative of ['index.html', entry, 'landscape/index.html']) {
          await holdsStill(ctx, page, at(ctx.site, relative), `${relative} (${name})`);
        }
      }
    },
  },
  {
    name: 'without JavaScript the search page says plainly that search needs it, above the A-Z list',
    run: async (ctx) => {
      const { assert } = ctx;
      const sites = [['en', ctx.site], ['fr', ctx.french]].filter(([, site]) => site);
      for (const [language, site] of sites) {
        for (const device of [PHONE, DESKTOP]) {
          const page = await ctx.newPage({ ...device, javaScriptEnabled: false });
          const where = `${language} at ${device.viewport.width}px`;
          await page.goto(at(site, 'search/index.html?q=funding'), { waitUntil: 'load' });
          const notice = page.locator('.search-noscript');
          assert.ok(await notice.isVisible(), `${where}: the notice shows`);
          assert.equal((await notice.textContent()).trim(), shippedString(language, 'search_needs_js'), where);
          const noticeBottom = await notice.evaluate((element) => element.getBoundingClientRect().bottom);
          const listTop = await page.locator('#search-fallback').evaluate((element) => element.getBoundingClientRect().top);
          assert.ok(noticeBottom <= listTop, `${where}: the notice is above the lists`);
          assert.ok(await page.isVisible('#search-fallback'), `${where}: the lists show`);
          await assertEveryEntryAToZ(ctx, page, site, where);
          for (const selector of ['#search-filters-toggle', '#search-facets', '#search-status', '#search-results']) {
            assert.equal(await page.isVisible(selector), false, `${where}: ${selector} is hidden (it needs the script)`);
          }
          await expectAccessibleWithoutScripts(ctx, device, page.url(), `search without JavaScript (${where})`);
          // The form still reaches the same page with the words in its address, where a
          // browser that runs the script searches for them (the box itself cannot show them
          // without a script: a static page cannot read its own address).
          await page.fill('#search-q', 'sponsor');
          await Promise.all([page.waitForURL(/search\/index\.html\?q=sponsor$/), page.press('#search-q', 'Enter')]);
          assert.ok(await page.isVisible('.search-noscript'), `${where}: the notice shows after submitting`);
        }
      }
    },
  },
];
