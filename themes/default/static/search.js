/* copcat search page. Loads the index that copcat writes under search/ as <script>
   parts (works from file:// and under script-src 'self'), ranks with BM25-style impacts,
   completes the word being typed, tolerates typos, and filters by facets. Results show
   title and summary with the matched words marked; all text is inserted with
   textContent/createTextNode. The index format is in src/search/. Every word it shows
   comes from the page: #search-messages holds the strings of the page's language (JSON,
   from copcat's strings table) and its plural rule. */
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  if (!app) return;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var facetBox = document.getElementById("search-facets");
  var statusBox = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var fallback = document.getElementById("search-fallback");
  var base = (document.documentElement.dataset.root || "") + "search/";
  var PAGE = 10, MAX_COMPLETIONS = 10, MAX_CORRECTIONS = 8, FORMAT = 1;
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = new Int8Array(128);
  for (var a = 0; a < 64; a++) DIGIT[ALPHABET.charCodeAt(a)] = a;
  var LIGATURES = { "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d" };
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  var messageBox = document.getElementById("search-messages");
  var messages = {};
  try { messages = JSON.parse(messageBox.textContent); } catch (error) { /* no strings: say nothing */ }
  /** Whether `n` takes the "one" form, by the rule copcat names (src/i18n/plural.rs). */
  var isOne = {
    "one": function (n) { return n === 1; },
    "zero-one": function (n) { return n === 0 || n === 1; },
    "other": function () { return false; },
  }[messageBox && messageBox.dataset.pluralRule] || function (n) { return n === 1; };
  /** The message `key` with each {name} replaced; a count's form chosen by `values.n`. */
  function say(key, values) {
    var text = messages[key] || "";
    if (typeof text === "object") text = isOne(values.n) ? text.one : text.other;
    return String(text).replace(/\{(\w+)\}/g, function (all, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }
  function quote(text) { return say("quote", { text: text }); }

  if (fallback) fallback.hidden = true;

  // ---------------------------------------------------------------- loading parts
  var parts = {};
  function part(key) {
    if (!parts[key]) {
      var entry = { data: undefined };
      entry.promise = new Promise(function (resolve, reject) { entry.resolve = resolve; entry.reject = reject; });
      parts[key] = entry;
    }
    return parts[key];
  }
  function load(key) {
    var entry = part(key);
    if (!entry.script) {
      var script = document.createElement("script");
      script.src = base + key + ".js";
      script.async = true;
      script.onerror = function () { entry.reject(new Error("cannot load " + script.src)); };
      entry.script = script;
      document.head.appendChild(script);
    }
    return entry.promise;
  }
  var api = window.copcatSearch = {
    load: function (key, data) { var entry = part(key); entry.data = data; entry.resolve(data); }
  };

  // ---------------------------------------------------------------- words
  function fold(word) {
    return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[œæßøłđ]/g, function (c) { return LIGATURES[c]; });
  }
  function indexable(word) {
    var length = Array.from(word).length;
    return length <= 32 && (length >= 2 || /^\p{N}$/u.test(word));
  }
  function terms(query) {
    var words = (query.match(WORD) || []).map(fold).filter(indexable);
    var seen = {};
    return words.filter(function (word) {
      if (meta.stop[word] || seen[word]) return false;
      return (seen[word] = true);
    });
  }

  // ---------------------------------------------------------------- decoding
  function lastAtMost(bounds, word) {
    var low = 0, high = bounds.length - 1;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (bounds[mid] <= word) low = mid; else high = mid - 1;
    }
    return low;
  }
  function lowerBound(sorted, word) {
    var low = 0, high = sorted.length;
    while (low < high) {
      var mid = (low + high) >> 1;
      if (sorted[mid] < word) low = mid + 1; else high = mid;
    }
    return low;
  }
  function setMembers(encoded, count) {
    var members = [], i, bits;
    if (encoded[0] === "b") {
      for (i = 1; i < encoded.length; i++) {
        bits = DIGIT[encoded.charCodeAt(i)];
        for (var j = 0; j < 6; j++) if (bits & (1 << j)) members.push((i - 1) * 6 + j);
      }
    } else {
      var next = 0, value = 0, shift = 0;
      for (i = 1; i < encoded.length; i++) {
        bits = DIGIT[encoded.charCodeAt(i)];
        value |= (bits & 31) << shift;
        if (bits >= 32) { shift += 5; continue; }
        next += value; members.push(next); next++;
        value = 0; shift = 0;
      }
    }
    return members.filter(function (d) { return d < count; });
  }
  /** Entries: shared-prefix digit, frequency digit, rest of the word, [":" cut digit, added]. */
  function decodeVocabulary(text) {
    var words = [], keys = [], frequencies = [], previous = "";
    (text ? text.split(" ") : []).forEach(function (entry) {
      var colon = entry.indexOf(":");
      var spelled = colon < 0 ? entry : entry.slice(0, colon);
      var word = previous.slice(0, DIGIT[spelled.charCodeAt(0)]) + spelled.slice(2);
      var key = colon < 0 ? word
        : word.slice(0, word.length - DIGIT[entry.charCodeAt(colon + 1)]) + entry.slice(colon + 2);
      words.push(word); keys.push(key); frequencies.push(DIGIT[spelled.charCodeAt(1)]); previous = word;
    });
    return { words: words, keys: keys, frequencies: frequencies };
  }
  function decodePostings(pair) {
    var text = pair[1], docs = [], impacts = [], titles = [];
    var i = 0, next = 0;
    while (i < text.length) {
      var value = 0, shift = 0, d;
      do { d = DIGIT[text.charCodeAt(i++)]; value |= (d & 31) << shift; shift += 5; } while (d >= 32);
      var doc = next + (value >>> 1);
      titles.push(value & 1 ? DIGIT[text.charCodeAt(i++)] : 0);
      impacts.push(DIGIT[text.charCodeAt(i++)]);
      docs.push(doc); next = doc + 1;
    }
    return { idf: pair[0] / 1000, docs: docs, impacts: impacts, titles: titles };
  }

  // ---------------------------------------------------------------- the index
  var meta = null, vocabularies = {}, postingsCache = {};
  function loadMeta() {
    return load("meta").then(function (data) {
      if (meta) return meta;
      if (data.version !== FORMAT) throw new Error("search index format " + data.version);
      var n = data.documents, stop = {};
      data.stop_words.split(" ").forEach(function (w) { stop[w] = true; });
      var facets = data.facets.map(function (facet) {
        var words = Math.max(1, Math.ceil(facet.values.length / 32));
        var masks = new Uint32Array(n * words);
        facet.values.forEach(function (value, v) {
          setMembers(value[2], n).forEach(function (d) { masks[d * words + (v >> 5)] |= 1 << (v & 31); });
        });
        return { id: facet.id, name: facet.name, values: facet.values, words: words, masks: masks };
      });
      meta = { count: n, perFile: data.documents_per_file, stop: stop, vocabulary: data.vocabulary, postings: data.postings, facets: facets };
      return meta;
    });
  }
  function vocabularyPart(number) {
    if (vocabularies[number]) return Promise.resolve(vocabularies[number]);
    return load("vocabulary/" + number).then(function (text) {
      return (vocabularies[number] = vocabularies[number] || decodeVocabulary(text));
    });
  }
  /** Vocabulary parts that may hold words starting with `prefix`. */
  function vocabularyFor(prefix) {
    var first = lastAtMost(meta.vocabulary, prefix), last = lastAtMost(meta.vocabulary, prefix + "\uffff");
    var loads = [];
    for (var i = first; i <= last; i++) loads.push(vocabularyPart(i));
    return Promise.all(loads);
  }
  function postingsOf(key) {
    if (postingsCache[key]) return Promise.resolve(postingsCache[key]);
    return load("postings/" + lastAtMost(meta.postings, key)).then(function (data) {
      var pair = data[key];
      return (postingsCache[key] = pair ? decodePostings(pair) : { idf: 0, docs: [], impacts: [], titles: [] });
    });
  }

  /** Optimal string alignment distance, or `limit + 1` once it is sure to exceed `limit`. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var previous2 = null, previous = [], current, i, j;
    for (j = 0; j <= b.length; j++) previous.push(j);
    for (i = 1; i <= a.length; i++) {
      current = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (previous2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, previous2[j - 2] + 1);
        }
        current.push(value);
        if (value < best) best = value;
      }
      if (best > limit) return limit + 1;
      previous2 = previous; previous = current;
    }
    return previous[b.length];
  }
  function typoLimit(word) { return word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0; }

  /** Words with the same first letter as `word` within `limit` edits, nearest first. */
  function nearWords(word, limit) {
    return vocabularyFor(word[0]).then(function (shards) {
      var found = [];
      shards.forEach(function (shard) {
        for (var i = lowerBound(shard.words, word[0]); i < shard.words.length; i++) {
          var candidate = shard.words[i];
          if (candidate[0] !== word[0]) break;
          var d = distance(word, candidate, limit);
          if (d <= limit && candidate !== word) {
            found.push({ word: candidate, key: shard.keys[i], distance: d, frequency: shard.frequencies[i] });
          }
        }
      });
      return found.sort(function (x, y) {
        return x.distance - y.distance || y.frequency - x.frequency || (x.word < y.word ? -1 : 1);
      });
    });
  }

  /** What a query word matches: keys with a weight, and the words to highlight. */
  function expand(word, asPrefix) {
    return vocabularyFor(word).then(function (shards) {
      var keys = {}, words = [word], found = false;
      function add(key, weight, spelled) {
        if (!(keys[key] >= weight)) keys[key] = weight;
        if (spelled && words.indexOf(spelled) < 0) words.push(spelled);
        found = true;
      }
      var completions = [];
      shards.forEach(function (shard) {
        for (var i = lowerBound(shard.words, word); i < shard.words.length; i++) {
          var candidate = shard.words[i];
          if (candidate === word) add(shard.keys[i], 1, candidate);
          else if (candidate.lastIndexOf(word, 0) === 0) {
            if (asPrefix) completions.push([candidate, shard.keys[i], shard.frequencies[i]]);
          } else break;
        }
      });
      if (asPrefix && Array.from(word).length >= 2) {
        // The commonest completions first: typing "br" in a catalog about brokers means broker.
        completions.sort(function (x, y) { return y[2] - x[2] || x[0].length - y[0].length || (x[0] < y[0] ? -1 : 1); });
        var distinct = 0;
        completions.forEach(function (c) {
          if (keys[c[1]] === undefined && distinct >= MAX_COMPLETIONS) return;
          if (keys[c[1]] === undefined) distinct++;
          add(c[1], 0.55 + 0.4 * word.length / c[0].length, c[0]);
        });
      }
      var limit = typoLimit(word);
      if (found || !limit) return { word: word, keys: keys, words: words, corrected: null, found: found };
      return nearWords(word, limit).then(function (near) {
        var distinct = 0, corrected = near.length ? near[0].word : null;
        near.forEach(function (c) {
          if (keys[c.key] === undefined && distinct >= MAX_CORRECTIONS) return;
          if (keys[c.key] === undefined) distinct++;
          add(c.key, c.distance === 1 ? 0.6 : 0.4, c.word);
        });
        return { word: word, keys: keys, words: words, corrected: corrected, found: found };
      });
    });
  }

  // ---------------------------------------------------------------- querying
  /** Ranks documents for `query` under `filters` ({facet id: [value ids]}); resolves to
      { documents, counts, matches, suggestion }. */
  function query(text, filters) {
    return loadMeta().then(function () {
      var words = terms(text);
      var prefix = !/\s$/.test(text);
      return Promise.all(words.map(function (word, i) { return expand(word, prefix && i === words.length - 1); }));
    }).then(function (matches) {
      var keys = [];
      matches.forEach(function (m) { for (var k in m.keys) if (keys.indexOf(k) < 0) keys.push(k); });
      return Promise.all(keys.map(postingsOf)).then(function () { return rank(matches, filters || {}); });
    });
  }

  function rank(matches, filters) {
    var n = meta.count, candidates, score = null, exact = null;
    if (matches.length) {
      score = new Float64Array(n);
      var hits = new Uint8Array(n), titleHits = new Uint8Array(n), titleKeys = new Uint8Array(n);
      matches.forEach(function (m, t) {
        var best = new Float64Array(n), inTitle = new Uint8Array(n);
        for (var key in m.keys) {
          var p = postingsCache[key], weight = m.keys[key] * p.idf;
          for (var i = 0; i < p.docs.length; i++) {
            var d = p.docs[i], s = weight * p.impacts[i];
            if (s > best[d]) best[d] = s;
            if (p.titles[i]) { inTitle[d] = 1; titleKeys[d] = p.titles[i]; }
          }
        }
        for (var d2 = 0; d2 < n; d2++) {
          if (best[d2] > 0 && hits[d2] === t) { hits[d2]++; score[d2] += best[d2]; titleHits[d2] += inTitle[d2]; }
        }
      });
      candidates = [];
      exact = new Uint8Array(n);
      for (var d3 = 0; d3 < n; d3++) {
        if (hits[d3] === matches.length) {
          candidates.push(d3);
          exact[d3] = titleHits[d3] === matches.length && titleKeys[d3] === matches.length ? 1 : 0;
        }
      }
      candidates.sort(function (x, y) { return exact[y] - exact[x] || score[y] - score[x] || x - y; });
    } else {
      candidates = [];
      for (var d4 = 0; d4 < n; d4++) candidates.push(d4);
    }

    // Facets: OR within a facet, AND across; a value's count applies the other facets.
    var active = meta.facets.map(function (facet) {
      var chosen = filters[facet.id] || [], mask = new Uint32Array(facet.words), any = false;
      facet.values.forEach(function (value, v) {
        if (chosen.indexOf(value[0]) >= 0) { mask[v >> 5] |= 1 << (v & 31); any = true; }
      });
      return any ? mask : null;
    });
    var counts = meta.facets.map(function (facet) { return new Array(facet.values.length).fill(0); });
    var documents = [];
    var F = meta.facets.length;
    var passes = new Uint8Array(F);
    candidates.forEach(function (d) {
      var failed = 0, f, w;
      for (f = 0; f < F; f++) {
        passes[f] = 1;
        if (!active[f]) continue;
        var facet = meta.facets[f], ok = false;
        for (w = 0; w < facet.words; w++) if (facet.masks[d * facet.words + w] & active[f][w]) ok = true;
        if (!ok) { passes[f] = 0; failed++; }
      }
      if (!failed) documents.push(d);
      for (f = 0; f < F; f++) {
        if (failed - (passes[f] ? 0 : 1) > 0) continue;
        var facet2 = meta.facets[f];
        for (var v = 0; v < facet2.values.length; v++) {
          if (facet2.masks[d * facet2.words + (v >> 5)] & (1 << (v & 31))) counts[f][v]++;
        }
      }
    });
    return { documents: documents, counts: counts, matches: matches };
  }

  /** A respelling of the query from the nearest real words, for "did you mean". */
  function suggest(matches) {
    return Promise.all(matches.map(function (m) {
      if (m.found) return m.word;
      if (m.corrected) return m.corrected;
      return nearWords(m.word, m.word.length >= 8 ? 3 : m.word.length >= 4 ? 2 : 1).then(function (near) {
        return near.length ? near[0].word : m.word;
      });
    })).then(function (words) {
      var respelled = words.join(" ");
      return respelled !== matches.map(function (m) { return m.word; }).join(" ") ? respelled : null;
    });
  }

  // ---------------------------------------------------------------- display
  function documentData(d) {
    return load("documents/" + Math.floor(d / meta.perFile)).then(function (group) { return group[d % meta.perFile]; });
  }

  function highlighter(matches) {
    var words = {}, prefixes = [];
    matches.forEach(function (m) {
      m.words.forEach(function (w) { words[w] = true; });
      for (var key in m.keys) {
        Object.keys(vocabularies).forEach(function (n) {
          var shard = vocabularies[n];
          for (var i = lowerBound(shard.words, key.slice(0, 2)); i < shard.words.length && shard.words[i] < key.slice(0, 2) + "\uffff"; i++) {
            if (shard.keys[i] === key) words[shard.words[i]] = true;
          }
        });
      }
      if (Array.from(m.word).length >= 2) prefixes.push(m.word);
    });
    return function (token) {
      var folded = fold(token);
      return words[folded] || prefixes.some(function (p) { return folded.lastIndexOf(p, 0) === 0; });
    };
  }
  function marked(text, isMatch) {
    var fragment = document.createDocumentFragment(), last = 0, found;
    WORD.lastIndex = 0;
    while ((found = WORD.exec(text))) {
      if (!isMatch(found[0])) continue;
      if (found.index > last) fragment.appendChild(document.createTextNode(text.slice(last, found.index)));
      var mark = document.createElement("mark");
      mark.textContent = found[0];
      fragment.appendChild(mark);
      last = found.index + found[0].length;
    }
    if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }
  function facetNames(d) {
    var names = [];
    meta.facets.forEach(function (facet) {
      if (facet.id !== "kind" && facet.id !== "stage") return;
      facet.values.forEach(function (value, v) {
        if (facet.masks[d * facet.words + (v >> 5)] & (1 << (v & 31))) names.push(value[1]);
      });
    });
    return names.join(" · ");
  }
  function resultItem(d, data, isMatch) {
    var item = document.createElement("li");
    item.className = "search-result";
    var heading = document.createElement("h2");
    heading.className = "search-result-title";
    var link = document.createElement("a");
    link.href = (document.documentElement.dataset.root || "") + data[1];
    link.appendChild(marked(data[0], isMatch));
    heading.appendChild(link);
    var about = document.createElement("p");
    about.className = "search-result-meta";
    about.textContent = facetNames(d);
    var text = document.createElement("p");
    text.className = "search-snippet";
    text.appendChild(marked(data[2], isMatch));
    item.appendChild(heading); item.appendChild(about); item.appendChild(text);
    return item;
  }

  // ---------------------------------------------------------------- the page
  var current = null, shown = 0, generation = 0, more = null, suggestionBox = null;

  function readUrl() {
    var params = new URLSearchParams(location.search), filters = {};
    (meta ? meta.facets : []).forEach(function (facet) {
      var values = params.getAll(facet.id).filter(function (id) {
        return facet.values.some(function (value) { return value[0] === id; });
      });
      if (values.length) filters[facet.id] = values;
    });
    return { q: params.get("q") || "", filters: filters };
  }
  function urlFor(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    meta.facets.forEach(function (facet) {
      (state.filters[facet.id] || []).forEach(function (id) { params.append(facet.id, id); });
    });
    var search = params.toString();
    return location.pathname + (search ? "?" + search : "");
  }
  function formState() {
    var filters = {};
    facetBox.querySelectorAll("input:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    return { q: input.value, filters: filters };
  }
  /** History: "push" adds an entry, "typing" starts one that later keystrokes replace,
      "replace" rewrites the current one, null leaves history alone (back/forward). */
  function remember(state, mode) {
    var url = urlFor(state), typing = history.state && history.state.copcat === "typing";
    try {
      if (mode === "typing" && typing) history.replaceState({ copcat: "typing" }, "", url);
      else if (mode === "typing") history.pushState({ copcat: "typing" }, "", url);
      else if (mode === "push" && url !== location.pathname + location.search) history.pushState({ copcat: "search" }, "", url);
      else if (mode) history.replaceState({ copcat: "search" }, "", url);
    } catch (error) { /* some browsers refuse history changes on file:// */ }
  }

  function buildFacets() {
    meta.facets.forEach(function (facet) {
      if (!facet.values.length) return;
      var fieldset = document.createElement("fieldset");
      fieldset.className = "search-facet";
      var legend = document.createElement("legend");
      legend.textContent = facet.id === "stage" || facet.id === "kind" ? say(facet.id) : facet.name;
      fieldset.appendChild(legend);
      facet.values.forEach(function (value) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox"; box.name = facet.id; box.value = value[0];
        var count = document.createElement("span");
        count.className = "facet-count";
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value[1] + " "));
        label.appendChild(count);
        fieldset.appendChild(label);
      });
      facetBox.appendChild(fieldset);
    });
    var clear = document.createElement("button");
    clear.type = "button"; clear.className = "search-clear"; clear.textContent = say("clear_filters"); clear.hidden = true;
    clear.addEventListener("click", function () {
      facetBox.querySelectorAll("input:checked").forEach(function (box) { box.checked = false; });
      update("push");
    });
    facetBox.appendChild(clear);
    facetBox.addEventListener("change", function () { update("push"); });
  }
  function showState(state) {
    input.value = state.q;
    facetBox.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = (state.filters[box.name] || []).indexOf(box.value) >= 0;
    });
  }

  function render(state, outcome, run) {
    var total = outcome.documents.length, filtered = Object.keys(state.filters).length > 0;
    meta.facets.forEach(function (facet, f) {
      var boxes = facetBox.querySelectorAll("input[name=\"" + facet.id + "\"]");
      boxes.forEach(function (box, v) { box.parentNode.querySelector(".facet-count").textContent = "(" + outcome.counts[f][v] + ")"; });
    });
    facetBox.querySelector(".search-clear").hidden = !filtered;
    var corrected = outcome.matches.filter(function (m) { return !m.found && m.corrected; });
    var message;
    var query = quote(state.q.trim());
    if (!outcome.matches.length) {
      message = say(filtered ? "entries_filtered" : "entries", { n: total });
    } else if (total) {
      message = say(filtered ? "results_filtered" : "results", { n: total, query: query });
      if (corrected.length) {
        var words = corrected.map(function (m) { return quote(m.corrected); }).join(say("separator"));
        message += say("including", { words: words });
      }
    } else {
      message = say(filtered ? "no_results_filtered" : "no_results", { query: query });
    }
    statusBox.textContent = message;
    list.textContent = "";
    shown = 0;
    current = { state: state, outcome: outcome, isMatch: highlighter(outcome.matches) };
    if (suggestionBox) { suggestionBox.remove(); suggestionBox = null; }
    if (!total && outcome.matches.length) {
      suggest(outcome.matches).then(function (respelled) {
        if (!respelled || run !== generation) return;
        suggestionBox = document.createElement("p");
        suggestionBox.className = "search-suggestion";
        var around = say("did_you_mean").split("{suggestion}");
        suggestionBox.appendChild(document.createTextNode(around[0]));
        var link = document.createElement("a");
        var target = { q: respelled, filters: state.filters };
        link.href = urlFor(target);
        link.textContent = respelled;
        link.addEventListener("click", function (event) {
          event.preventDefault();
          showState(target);
          update("push");
        });
        suggestionBox.appendChild(link);
        suggestionBox.appendChild(document.createTextNode(around.slice(1).join("")));
        statusBox.parentNode.insertBefore(suggestionBox, list);
      });
    }
    return showMore(run);
  }
  function showMore(run) {
    var page = current.outcome.documents.slice(shown, shown + PAGE);
    shown += page.length;
    return Promise.all(page.map(documentData)).then(function (datas) {
      if (run !== generation) return;
      datas.forEach(function (data, i) { list.appendChild(resultItem(page[i], data, current.isMatch)); });
      if (!more) {
        more = document.createElement("button");
        more.type = "button"; more.className = "search-more"; more.textContent = say("show_more");
        more.addEventListener("click", function () {
          var next = shown;
          showMore(generation).then(function () {
            var link = list.children[next] && list.children[next].querySelector("a");
            if (link) link.focus();
          });
        });
        list.parentNode.insertBefore(more, list.nextSibling);
      }
      more.hidden = shown >= current.outcome.documents.length;
    });
  }

  function update(mode) {
    var state = formState(), run = ++generation;
    remember(state, mode);
    app.setAttribute("aria-busy", "true");
    return query(state.q, state.filters).then(function (outcome) {
      if (run === generation) return render(state, outcome, run);
    }).catch(failed).then(function () {
      if (run === generation) app.removeAttribute("aria-busy");
    });
  }
  function failed(error) {
    statusBox.textContent = say("failed");
    if (fallback) fallback.hidden = false;
    if (window.console) console.warn(error);
  }
  api.query = function (text, filters) { return query(text, filters); };

  var typing = null;
  input.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { update("typing"); }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(typing);
    update("push");
  });
  window.addEventListener("popstate", function () {
    if (!meta) return;
    showState(readUrl());
    update(null);
  });
  app.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll(".search-result-title a"));
    var at = links.indexOf(document.activeElement);
    if (event.target === input && event.key === "ArrowDown" && links.length) links[0].focus();
    else if (at >= 0 && event.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
    else if (at > 0 && event.key === "ArrowUp") links[at - 1].focus();
    else if (at === 0 && event.key === "ArrowUp") input.focus();
    else return;
    event.preventDefault();
  });

  statusBox.textContent = say("loading");
  loadMeta().then(function () {
    buildFacets();
    showState(readUrl());
    return update("replace");
  }).catch(failed);
})();
