/* copcat search: body sentences, loaded by search.js only when a result lacks some query
   word in its title and summary. It hands search.js a function that takes the page's
   helpers and returns { add, forget }: add(results, shownFor) gives each result ({ item,
   d, missing }) the sentence of its document's body (search/snippets/, see
   src/search/snippets.rs) that holds the most of its missing query words, marked, with
   text nodes only: now for the results on screen or within a quarter of a screen of it,
   for the others as they come that near (a snippets part per result would be most of what
   a first query fetches, and a reader who never scrolls never needs them). */
(function () {
  "use strict";
  window.copcatSearch.load("sentences", function (page) {
    var perFile = page.meta.snippetsPerFile, waiting = [];
    var nearScreen = typeof IntersectionObserver === "function" ? new IntersectionObserver(function (seen) {
      seen.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        nearScreen.unobserve(entry.target);
        waiting = waiting.filter(function (wait) {
          if (wait.item !== entry.target) return true;
          wait.add().catch(function (error) { if (window.console) console.warn(error); });
          return false;
        });
      });
    }, { rootMargin: "25% 0px" }) : null;

    /** Whether `item` is on the screen or within a quarter of a screen of it, as for
        `nearScreen`. */
    function onScreen(item) {
      var box = item.getBoundingClientRect(), margin = window.innerHeight / 4;
      return box.bottom >= -margin && box.top <= window.innerHeight + margin;
    }
    /** The sentence holding the most of the query words (their numbers) in `missing`. */
    function bestSentence(sentences, missing, termMatchers) {
      var best = null, bestCount = 0;
      sentences.forEach(function (sentence) {
        var found = page.wordsIn(sentence, termMatchers), count = 0;
        missing.forEach(function (t) { if (found[t]) count++; });
        if (count > bestCount) { best = sentence; bestCount = count; }
      });
      return best;
    }
    function addOne(result, shownFor) {
      var d = result.d;
      return page.load("snippets/" + Math.floor(d / perFile)).then(function (group) {
        var sentence = bestSentence(group[d % perFile] || [], result.missing, shownFor.matchers);
        if (!sentence || !page.isShown(shownFor)) return;
        var body = document.createElement("p");
        body.className = "search-snippet search-body-snippet";
        body.appendChild(page.marked(sentence, shownFor.isMatch));
        result.item.appendChild(body);
      });
    }

    return {
      add: function (results, shownFor) {
        var now = [];
        results.forEach(function (result) {
          var add = function () { return addOne(result, shownFor); };
          if (!nearScreen || onScreen(result.item)) now.push(add());
          else { waiting.push({ item: result.item, add: add }); nearScreen.observe(result.item); }
        });
        return Promise.all(now);
      },
      /** Drops the results waiting for their sentence (the list is about to change). */
      forget: function () {
        waiting.forEach(function (wait) { nearScreen.unobserve(wait.item); });
        waiting = [];
      }
    };
  });
})();
