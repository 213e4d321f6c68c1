// The shipped catalog on a phone: the search page puts its count and first result on the
// first screen with the filters behind a "Filters (n active)" button; the header keeps its
// spacing; the learning cycle's text stays at least 11px tall; every free page is in the
// menu.

import { settled } from '../search-page.mjs';
import fs from 'node:fs';
import path from 'node:path';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const SMALL_PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

const at = (site, relative = '') => new URL(relative, site.url).href;


// A box's edges in CSS pixels from the top of the page.
const box = (page, selector) =>
  page.locator(selector).first().evaluate((element) => {
    const rect = element.getBoundingClientRect();
    return { top: rect.top + scrollY, bottom: rect.bottom + scrollY, left: rect.left, right: rect.right };
  });

// The smallest text in the home page's learning-cycle figure as the reader sees it, in CSS
// pixels: an SVG text's font size times the drawing's scale, an HTML text's font size.
const smallestCycleText = (page) =>
  page.evaluate(() => {
    const figure = document.querySelector('.cycle-figure');
    let smallest = { size: Infinity, text: '' };
    const walker = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!node.textContent.trim() || element.closest('title') || !element.getClientRects().length) continue;
      let size = parseFloat(getComputedStyle(element).fontSize);
      const svg = element.closest('svg');
      if (svg) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      if (size < smallest.size) smallest = { size, text: node.textContent.trim() };
    }
    return smallest;
  });

export const tests = [
  {
    name: 'at 390x844 the search count and first result are on the first screen, the filters behind a button',
    run: async (ctx) => {
      const { assert } = ctx;
      const page = await ctx.newPage(PHONE);
      await page.goto(at(ctx.site, 'search/index.html?q=funding'), { waitUntil: 'load' });
      await settled(page);
      const status = await box(page, '#search-status');
      const first = await box(page, '#search-results .search-result-title');
      assert.ok(status.bottom <= 844, `the count ends at ${status.bottom}px, below the first screen`);
      assert.ok(first.bottom <= 844, `the first result's title ends at ${first.bottom}px, below the first screen`);
      const toggle = page.locator('#search-filters-toggle');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.isVisible('#search-facets'), false, 'the filters start closed on a phone');
      assert.match(await toggle.textContent(), /^Filters \(0 active\)$/);
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assert.ok(await page.isVisible('#search-facets input[name="stage"]'), 'the button opens the filters');
      await page.check('#search-facets input[name="kind"]');
      await settled(page);
      await page.locator('#search-facets input[name="stage"]').first().check();
      await settled(page);
      assert.match(await toggle.textContent(), /^Filters \(2 active\)$/, 'the button counts the ticked filters');
      await toggle.click();
      assert.equal(await page.isVisible('#search-facets'), false, 'the button closes them again');
      // A shared link with filters says how many are on before the reader opens them.
      const shared = await ctx.newPage(PHONE);
      await shared.goto(page.url(), { waitUntil: 'load' });
      await settled(shared);
      assert.match(await shared.textContent('#search-filters-toggle'), /\(2 active\)/);
    },
  },
  {
    name: 'on a wide screen the filters are open beside the results, with no button',
    run: async (ctx) => {
      const { page, assert } = ctx;
      await page.goto(at(ctx.site, 'search/index.html?q=funding'), { waitUntil: 'load' });
      await settled(page);
      assert.equal(await page.isVisible('#search-filters-toggle'), false);
      const facets = await box(page, '#search-facets');
      const results = await box(page, '#search-results');
      assert.ok(facets.right <= results.left, 'the filters sit left of the results');
      assert.ok(Math.abs(facets.top - (await box(page, '#search-status')).top) < 2, 'level with the count');
    },
  },
  {
    name: 'the header keeps its spacing on a phone (title off the top edge, search box off the navigation)',
    run: async (ctx) => {
      const { assert } = ctx;
      for (const device of [SMALL_PHONE, PHONE]) {
        const page = await ctx.newPage(device);
        for (const relative of ['index.html', 'search/index.html']) {
          await page.goto(at(ctx.site, relative));
          const title = await box(page, '.site-title');
          const search = await box(page, '.site-search');
          const nav = await box(page, '.site-nav');
          const where = `${relative} at ${device.viewport.width}px`;
          assert.ok(title.top >= 8, `${where}: the site title is ${title.top}px from the top edge`);
          assert.ok(nav.top - search.bottom >= 8, `${where}: the search box is ${nav.top - search.bottom}px above the navigation`);
          assert.ok(search.top - title.bottom >= 4, `${where}: the search box touches the title`);
        }
      }
    },
  },
  {
    name: "the learning cycle's text is at least 11px tall at 360px (a list there) and at other widths",
    run: async (ctx) => {
      const { assert } = ctx;
      const page = await ctx.newPage(SMALL_PHONE);
      await page.goto(at(ctx.site));
      const smallest = await smallestCycleText(page);
      assert.ok(smallest.size >= 11, `"${smallest.text}" is ${smallest.size.toFixed(1)}px tall at 360px`);
      // The list still names every stage, in order, each a link to its page.
      const svgStages = await page.$$eval('svg.cycle a', (links) => links.map((a) => a.getAttribute('href')));
      const listed = await page.$$eval('.cycle-list a', (links) => links.map((a) => a.getAttribute('href')));
      assert.deepEqual(listed, svgStages, 'the list links the drawing\'s stages in its order');
      assert.ok(await page.isVisible('.cycle-again'), 'the list says the cycle starts again');
      await page.locator('.cycle-list a').first().click();
      await page.waitForURL(/\/stages\/[^/]+\/index\.html$/);
      for (const width of [480, 540, 768, 1000, 1120, 1366, 1920]) {
        const wide = await ctx.newPage({ viewport: { width, height: 900 } });
        await wide.goto(at(ctx.site));
        const { size, text } = await smallestCycleText(wide);
        assert.ok(size >= 11, `"${text}" is ${size.toFixed(1)}px tall at ${width}px`);
        await wide.context().close();
      }
    },
  },
  {
    name: 'every free page is reachable from the menu on a phone',
    run: async (ctx) => {
      const { assert } = ctx;
      const pages = fs.readdirSync(path.join(ctx.site.dir, 'pages')).map((slug) => `pages/${slug}/index.html`);
      assert.ok(pages.length, 'the shipped catalog has free pages');
      const page = await ctx.newPage(SMALL_PHONE);
      for (const relative of pages) {
        await page.goto(at(ctx.site, 'index.html'));
        const link = page.locator(`.site-nav a[href="${relative}"]`).filter({ visible: true });
        if (!(await link.count())) await page.locator('.nav-more summary').click();
        await link.first().click();
        await page.waitForURL(at(ctx.site, relative));
      }
    },
  },
];
