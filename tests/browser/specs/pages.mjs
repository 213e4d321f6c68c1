// The default theme's pages in a real browser: no console errors, zero axe (WCAG 2.1 AA)
// violations, a working skip link, links that work under a sub-path and from file://.

// The sites under test: the shipped catalog, and the fixture when there is one.
const sites = (ctx) => [['site', ctx.site], ['fixture', ctx.fixture]].filter(([, s]) => s);

// A page of `site` by its path under the root, e.g. "landscape/index.html".
const at = (site, relative = '') => new URL(relative, site.url).href;

// The first published entry's page, from catalog.json.
function entryPath(ctx, site) {
  const entries = site.catalog && site.catalog.entries;
  ctx.assert.ok(entries && entries.length, `${site.dir}/catalog.json lists no entries`);
  return `${entries[0].path.replace(/\/?$/, '/')}index.html`;
}

// The href (relative to the root) of the first stage page the home page links to.
async function firstStagePath(ctx, site) {
  const page = await ctx.newPage();
  await page.goto(at(site));
  const href = await page.locator('main a[href*="stages/"]:not(.cycle-figure a)').first().getAttribute('href');
  ctx.assert.ok(href, 'the home page links to no stage page');
  await page.context().close();
  return href;
}

async function loadsCleanly(ctx, url, label) {
  const { page, assert } = ctx;
  const response = await page.goto(url, { waitUntil: 'load' });
  assert.equal(response.status(), 200, `${label}: HTTP status of ${url}`);
  assert.equal(await page.locator('h1').count(), 1, `${label}: exactly one h1`);
  assert.equal(await page.locator('main#main').count(), 1, `${label}: one <main id="main">`);
  assert.ok(await page.locator('link[rel="canonical"]').count(), `${label}: canonical link`);
  // The stylesheet applied (the skip link is positioned off screen until focused).
  const skipTop = await page.locator('a.skip-link').evaluate((a) => a.getBoundingClientRect().bottom);
  assert.ok(skipTop <= 0, `${label}: style.css did not apply (the skip link is visible)`);
  await ctx.expectAccessible(page, label);
}

async function skipLinkFirst(ctx, url, label) {
  const { page, assert } = ctx;
  await page.goto(url, { waitUntil: 'load' });
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    return {
      tag: el.tagName,
      href: el.getAttribute('href'),
      text: el.textContent.trim(),
      visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight,
    };
  });
  assert.equal(first.tag, 'A', `${label}: the first Tab stop is a link (got ${first.tag} "${first.text}")`);
  assert.equal(first.href, '#main', `${label}: the first Tab stop is the skip link (got "${first.text}")`);
  assert.ok(first.visible, `${label}: the skip link is visible when focused`);
  await page.keyboard.press('Enter');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  assert.equal(focused, 'main', `${label}: the skip link moves focus to <main id="main">`);
}

// Waits until search.js has answered (not busy, no longer saying it is loading).
async function searchSettled(page) {
  await page.waitForFunction(() => {
    const app = document.getElementById('search-app');
    const loading = JSON.parse(document.getElementById('search-messages').textContent).loading;
    const status = document.getElementById('search-status').textContent;
    return status && status !== loading && app.getAttribute('aria-busy') !== 'true';
  });
}

// One page of each type, as paths under the root: home, entry, stage, kind, taxonomy, term,
// free page, landscape, sources, search (empty and with a query) and the 404 page.
async function pageOfEachType(ctx, site) {
  const page = await ctx.newPage();
  await page.goto(at(site));
  const pick = (selector) => page.locator(selector).first().getAttribute('href');
  const paths = {
    home: 'index.html',
    entry: entryPath(ctx, site),
    stage: await pick('main a[href*="stages/"]:not(.cycle-figure a)'),
    kind: await pick('.nav-list > li > a[href$="/index.html"]'),
    'free page': await pick('.nav-page a'),
    landscape: 'landscape/index.html',
    sources: 'sources/index.html',
    search: 'search/index.html',
    'search with results': 'search/index.html?q=funding',
    'not found': '404.html',
  };
  await page.goto(at(site, paths.entry));
  paths.term = new URL(await pick('.facts .chip:not(.chip-stage)'), page.url()).href.slice(site.url.length);
  paths.taxonomy = paths.term.replace(/[^/]+\/index\.html$/, 'index.html');
  await page.context().close();
  for (const [type, path] of Object.entries(paths)) ctx.assert.ok(path, `no ${type} page found`);
  return paths;
}

// Zero axe violations, best-practice rules included, on every page type at `viewport`; on
// a phone also with the search filters and the navigation's menus open.
async function bestPracticeEverywhere(ctx, viewport) {
  const phone = viewport.width < 600;
  const page = await ctx.newPage({ viewport, isMobile: phone, hasTouch: phone });
  for (const [type, path] of Object.entries(await pageOfEachType(ctx, ctx.site))) {
    if (type === 'not found') ctx.allowConsoleErrors(); // the 404 page, served as a 404
    await page.goto(at(ctx.site, path), { waitUntil: 'load' });
    if (type.startsWith('search')) await searchSettled(page);
    await ctx.expectAccessible(page, `${type} at ${viewport.width}px`, { bestPractice: true });
    if (phone && type.startsWith('search')) {
      await page.click('#search-filters-toggle');
      await ctx.expectAccessible(page, `${type} at ${viewport.width}px, filters open`, { bestPractice: true });
    }
  }
  if (phone) {
    await page.goto(at(ctx.site));
    for (const summary of await page.locator('.nav-list summary').all()) {
      if (!(await summary.isVisible())) continue;
      await summary.click();
      await ctx.expectAccessible(page, `home at ${viewport.width}px, a menu open`, { bestPractice: true });
    }
  }
  // An alias's redirect page, read as a browser that does not follow the refresh would.
  const site = ctx.fixture;
  const entry = site && site.catalog.entries.find((candidate) => (candidate.aliases || []).length);
  if (entry) {
    const old = at(site, `${entry.aliases[0]}index.html`);
    await page.route(old, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(/<meta http-equiv="refresh"[^>]*>/, '');
      await route.fulfill({ response, body });
    });
    await page.goto(old, { waitUntil: 'load' });
    ctx.assert.equal(page.url(), old, 'the redirect page stays (its refresh removed)');
    await ctx.expectAccessible(page, `an alias's redirect page at ${viewport.width}px`, { bestPractice: true });
  }
}

export const tests = [
  {
    name: 'home, an entry, a stage and the landscape load cleanly with zero axe violations',
    run: async (ctx) => {
      for (const [name, site] of sites(ctx)) {
        await loadsCleanly(ctx, at(site), `${name} home`);
        await loadsCleanly(ctx, at(site, entryPath(ctx, site)), `${name} entry`);
        await loadsCleanly(ctx, at(site, await firstStagePath(ctx, site)), `${name} stage`);
        await loadsCleanly(ctx, at(site, 'landscape/index.html'), `${name} landscape`);
      }
    },
  },
  {
    name: 'kind, taxonomy, term, sources and free pages have zero axe violations',
    run: async (ctx) => {
      const { page } = ctx;
      for (const [name, site] of sites(ctx)) {
        await page.goto(at(site));
        // Every page the header and footer navigation name, except search (its own spec).
        const hrefs = await page.$$eval('header a[href], footer a[href$="index.html"]', (links) =>
          links.map((a) => a.getAttribute('href')),
        );
        const seen = new Set();
        for (const href of hrefs) {
          if (seen.has(href) || href.startsWith('search/') || href === 'index.html' || href === '#main') continue;
          seen.add(href);
          await loadsCleanly(ctx, at(site, href), `${name} ${href}`);
        }
        // A term page: the first term chip on an entry page.
        await page.goto(at(site, entryPath(ctx, site)));
        const term = page.locator('.facts .chip:not(.chip-stage)').first();
        if (await term.count()) {
          await term.click();
          await page.waitForLoadState('load');
          await ctx.expectAccessible(page, `${name} term page ${page.url()}`);
        }
      }
    },
  },
  {
    name: 'every page type has zero axe violations with best-practice rules too (desktop)',
    run: (ctx) => bestPracticeEverywhere(ctx, { width: 1366, height: 768 }),
  },
  {
    name: 'every page type has zero axe violations with best-practice rules too (390px phone)',
    run: (ctx) => bestPracticeEverywhere(ctx, { width: 390, height: 844 }),
  },
  {
    name: 'dark mode has zero axe violations (contrast)',
    run: async (ctx) => {
      const page = await ctx.newPage({ colorScheme: 'dark' });
      const site = ctx.site;
      for (const relative of ['', entryPath(ctx, site), await firstStagePath(ctx, site), 'landscape/index.html']) {
        await page.goto(at(site, relative));
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        ctx.assert.notEqual(bg, 'rgb(255, 255, 255)', `dark mode applies on ${relative || 'home'}`);
        await ctx.expectAccessible(page, `dark ${relative || 'home'}`);
      }
    },
  },
  {
    name: 'the first Tab stop is the skip link and it moves focus to main',
    run: async (ctx) => {
      await skipLinkFirst(ctx, at(ctx.site), 'home');
      await skipLinkFirst(ctx, at(ctx.site, entryPath(ctx, ctx.site)), 'entry');
      await skipLinkFirst(ctx, at(ctx.site, 'landscape/index.html'), 'landscape');
    },
  },
  {
    name: 'links lead from the home page to a stage page and on to an entry (under /sub/)',
    run: async (ctx) => {
      const { page, assert } = ctx;
      await page.goto(at(ctx.site));
      const stageLink = page.locator('main a[href*="stages/"]:not(.cycle-figure a)').first();
      const stageName = (await stageLink.innerText()).replace(/^\s*\d+\s*/, '').trim();
      await Promise.all([page.waitForURL(/\/sub\/stages\/[^/]+\/index\.html$/), stageLink.click()]);
      assert.equal((await page.locator('h1').innerText()).trim(), stageName, 'the stage page is titled by its stage');
      const entryLink = page.locator('main .card h3 a').first();
      const entryTitle = (await entryLink.innerText()).trim();
      await Promise.all([page.waitForURL(/\/sub\/[^/]+\/[^/]+\/index\.html$/), entryLink.click()]);
      assert.equal((await page.locator('h1').innerText()).trim(), entryTitle, 'the entry page is titled by its entry');
      // The entry links back to its stage with a chip.
      assert.ok(await page.locator('.facts a.chip-stage').count(), 'the entry page shows its stages as links');
      await page.locator('.breadcrumb a').first().click();
      await page.waitForURL(/\/sub\/index\.html$/);
    },
  },
  {
    name: 'the site works from file:// (home, stage, entry, styles)',
    run: async (ctx) => {
      const { page, assert } = ctx;
      await page.goto(new URL('index.html', ctx.site.fileUrl).href);
      const stageLink = page.locator('main a[href*="stages/"]:not(.cycle-figure a)').first();
      await Promise.all([page.waitForURL(/^file:.*\/stages\/[^/]+\/index\.html$/), stageLink.click()]);
      const entryLink = page.locator('main .card h3 a').first();
      const title = (await entryLink.innerText()).trim();
      await Promise.all([page.waitForURL(/^file:.*\/index\.html$/), entryLink.click()]);
      assert.equal((await page.locator('h1').innerText()).trim(), title);
      const skipTop = await page.locator('a.skip-link').evaluate((a) => a.getBoundingClientRect().bottom);
      assert.ok(skipTop <= 0, 'style.css applies from file://');
      await ctx.expectAccessible(page, `file:// ${page.url()}`);
    },
  },
  {
    name: 'a 360px phone scrolls no page sideways',
    run: async (ctx) => {
      const page = await ctx.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
      const site = ctx.site;
      for (const relative of ['', entryPath(ctx, site), await firstStagePath(ctx, site), 'landscape/index.html', 'sources/index.html']) {
        await page.goto(at(site, relative));
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        ctx.assert.ok(scrollWidth <= innerWidth, `${relative || 'home'} is ${scrollWidth}px wide on a ${innerWidth}px screen`);
      }
    },
  },
  {
    name: 'printing an entry or a stage page leaves out the navigation and shows link URLs',
    run: async (ctx) => {
      const { page, assert } = ctx;
      await page.emulateMedia({ media: 'print' });
      for (const relative of [entryPath(ctx, ctx.site), await firstStagePath(ctx, ctx.site)]) {
        await page.goto(at(ctx.site, relative));
        const hidden = await page.evaluate(() =>
          ['.site-header', '.site-footer', '.breadcrumb'].map((s) => {
            const el = document.querySelector(s);
            return [s, el ? getComputedStyle(el).display : 'none'];
          }),
        );
        for (const [selector, display] of hidden) assert.equal(display, 'none', `${selector} is hidden in print`);
        assert.ok(await page.locator('main h1').isVisible(), 'the title prints');
      }
      // An external link whose text is not its address gets the address printed after it.
      const afters = await page.$$eval('main a[href^="http"]', (links) =>
        links
          .filter((a) => a.textContent.trim() !== a.getAttribute('href'))
          .map((a) => [a.getAttribute('href'), getComputedStyle(a, '::after').content]),
      );
      for (const [href, after] of afters) assert.ok(after.includes(href), `print shows ${href} after its link`);
    },
  },
];
