/* copcat search: "Print these results", loaded by search.js on first use. It hands
   search.js a function that takes the page's helpers and prints every result of the search
   shown (not only those on screen) as a brief. */
(function () {
  "use strict";
  window.copcatSearch.load("brief", function (page) {
    var meta = page.meta, say = page.say, documentData = page.documentData, facetNames = page.facetNames;
    var statusBox = page.statusBox, app = page.app;
    // The brief printed last, replaced by this one.
    var brief = document.querySelector(".search-brief");
    /** The site's address for a brief: its public one when the page names it (an absolute
        canonical link), the one it was opened from otherwise (a folder, or file://). */
    function siteAddress() {
      var canonical = document.querySelector("link[rel=canonical]");
      var href = (canonical && canonical.getAttribute("href")) || "";
      if (/^https?:\/\//.test(href) && /search\/$/.test(href)) return { base: href.slice(0, -7), pretty: true };
      return { base: new URL(document.documentElement.dataset.root || "", location.href).href, pretty: false };
    }
    function element(tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    }
    /** The filters of `state` as a list: each facet's name and its ticked values. */
    function briefFilters(state) {
      var list = element("dl", "brief-filters");
      meta.facets.forEach(function (facet) {
        var ticked = state.filters[facet.id] || [];
        if (!ticked.length) return;
        var names = facet.values.filter(function (value) { return ticked.indexOf(value[0]) >= 0; })
          .map(function (value) { return value[1]; });
        var row = element("div");
        row.appendChild(element("dt", "", facet.id === "stage" || facet.id === "kind" ? say(facet.id) : facet.name));
        row.appendChild(element("dd", "", names.join(say("separator"))));
        list.appendChild(row);
      });
      return list;
    }
    /** Prints every result of the search shown (not only those on screen) as a brief: the
        query and filters, then each entry's title, kind, stages, summary and address. While
        the brief is there, printing leaves the rest of the page out. */
    function printBrief() {
      var shownFor = page.shown();
      if (!shownFor) return Promise.resolve();
      var documents = shownFor.outcome.documents;
      return Promise.all(documents.map(documentData)).then(function (rows) {
        if (shownFor !== page.shown()) return;
        if (brief) brief.remove();
        var address = siteAddress();
        var site = document.querySelector("meta[property='og:site_name']");
        brief = element("section", "search-brief");
        brief.appendChild(element("p", "brief-site", site ? site.content : ""));
        brief.appendChild(element("h2", "brief-title", statusBox.textContent));
        brief.appendChild(briefFilters(shownFor.state));
        var list = element("ol", "brief-list");
        rows.forEach(function (data, i) {
          var item = element("li", "brief-item");
          item.appendChild(element("h3", "brief-item-title", data[0]));
          item.appendChild(element("p", "brief-meta", facetNames(documents[i])));
          if (data[2]) item.appendChild(element("p", "brief-summary", data[2]));
          var path = address.pretty ? data[1].replace(/index\.html$/, "") : data[1];
          item.appendChild(element("p", "brief-address", address.base + path));
          list.appendChild(item);
        });
        brief.appendChild(list);
        app.appendChild(brief);
        document.documentElement.classList.add("printing-brief");
        window.print();
      });
    }
    return printBrief();
  });
})();
