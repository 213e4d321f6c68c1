/* copcat search page. Loads the index that copcat writes under search/ as <script>
   parts (works from file:// and under script-src 'self'), ranks with BM25-style impacts,
   completes the word being typed, stems words the vocabulary lacks with the catalog's
   Snowball stemmer (search/stemmer.js, loaded only then), tolerates typos (in the first
   letter too, with search-typos.js, loaded only then), expands the catalog's synonyms (a
   word or a phrase of the query), and filters by facets. Results show title
   and summary with the matched words marked, and the body sentence that holds matched words
   the two lack (search-sentences.js, loaded only then, adds it as the result comes near the
   screen); all text is inserted with textContent/createTextNode. The index format is
   in src/search/. Every word it shows comes from the page: #search-messages holds the
   strings of the page's language (JSON, from copcat's strings table) and its plural rule. */
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
  var printButton = document.getElementById("search-print");
  var filtersToggle = document.getElementById("search-filters-toggle");
  var base = (document.documentElement.dataset.root || "") + "search/";
  // search-typos.js sits beside this script.
  var typosSource = document.currentScript ? new URL("search-typos.js", document.currentScript.src).href : null;
  var PAGE = 10, MAX_COMPLETIONS = 10, MAX_CORRECTIONS = 8, FORMAT = 3, SYNONYM_WEIGHT = 0.9;
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
  /** Loads the index's part `key` (or the script at `source`), which calls api.load(key, …). */
  function load(key, source) {
    var entry = part(key);
    if (!entry.script) {
      var script = document.createElement("script");
      script.src = source || base + key + ".js";
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
    var found = (query.match(WORD) || []).map(fold).filter(indexable);
    var seen = {};
    return found.filter(function (word) {
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
  /** Entries: shared-prefix digit, frequency digit, rest of the word, [":" cut digit, added];
      then, after "|", the keys in the part's range that none of its words has. */
  function decodeVocabulary(data) {
    var words = [], keys = [], frequencies = [], previous = "", known = {};
    var bar = data.indexOf("|"), text = bar < 0 ? data : data.slice(0, bar);
    if (bar >= 0) data.slice(bar + 1).split(" ").forEach(function (key) { known[key] = true; });
    (text ? text.split(" ") : []).forEach(function (entry) {
      var colon = entry.indexOf(":");
      var spelled = colon < 0 ? entry : entry.slice(0, colon);
      var word = previous.slice(0, DIGIT[spelled.charCodeAt(0)]) + spelled.slice(2);
      var key = colon < 0 ? word
        : word.slice(0, word.length - DIGIT[entry.charCodeAt(colon + 1)]) + entry.slice(colon + 2);
      words.push(word); keys.push(key); frequencies.push(DIGIT[spelled.charCodeAt(1)]); previous = word;
      known[key] = true;
    });
    return { words: words, keys: keys, frequencies: frequencies, known: known };
  }
  /** [idf, postings] (sparse: per document a varint gap, shifted left with the title bit,
      a title-keys digit if in the title, an impact digit), or [idf, bitmap, impacts]
      (dense: the documents as a bitmap, per document its impact, after "0" and a
      title-keys digit when in the title). */
  function decodePostings(pair) {
    var text = pair[1], docs = [], impacts = [], titles = [];
    var i = 0, next = 0;
    if (pair.length === 3) {
      var dense = pair[2], at = 0;
      for (i = 0; i < text.length; i++) {
        var bits = DIGIT[text.charCodeAt(i)];
        for (var b = 0; b < 6; b++) {
          if (!(bits & (1 << b))) continue;
          var impact = DIGIT[dense.charCodeAt(at++)], title = 0;
          if (!impact) { title = DIGIT[dense.charCodeAt(at++)]; impact = DIGIT[dense.charCodeAt(at++)]; }
          docs.push(i * 6 + b); impacts.push(impact); titles.push(title);
        }
      }
      return { idf: pair[0] / 1000, docs: docs, impacts: impacts, titles: titles };
    }
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

  /** Bounds of parts, each a digit (length shared with the one before) and the rest. */
  function frontCoded(text) {
    var bounds = [], previous = "";
    text.split(" ").forEach(function (entry) {
      previous = previous.slice(0, DIGIT[entry.charCodeAt(0)]) + entry.slice(1);
      bounds.push(previous);
    });
    return bounds;
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
      meta = {
        count: n, perFile: data.documents_per_file, snippetsPerFile: data.snippets_per_file, stop: stop,
        vocabulary: frontCoded(data.vocabulary), postings: frontCoded(data.postings), rests: frontCoded(data.rests),
        facets: facets,
        synonyms: data.synonyms.map(function (group) {
          return group.map(function (member) { return { text: member[0], keys: member[1].split(" ") }; });
        })
      };
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
  /** The catalog's stemmer (search/stemmer.js), loaded on first need. */
  var stem = null;
  function stemmer() {
    return load("stemmer").then(function (f) { return (stem = f); });
  }
  /** Whether `key` is an index key: the vocabulary part it sorts into knows its keys. */
  function keyExists(key) {
    return vocabularyPart(lastAtMost(meta.vocabulary, key)).then(function (shard) { return shard.known[key] === true; });
  }
  function postingsOf(key) {
    if (postingsCache[key]) return Promise.resolve(postingsCache[key]);
    return load("postings/" + lastAtMost(meta.postings, key)).then(function (data) {
      var pair = data[key];
      return (postingsCache[key] = pair ? decodePostings(pair) : { idf: 0, docs: [], impacts: [], titles: [] });
    });
  }
  /** Typo correction (search-typos.js), loaded on first need. */
  var typos = null;
  function typoTools() {
    return load("typos", typosSource).then(function (make) {
      return typos || (typos = make({ meta: meta, DIGIT: DIGIT, load: load, stemmer: stemmer, vocabularyFor: vocabularyFor,
        lowerBound: lowerBound, lastAtMost: lastAtMost }));
    });
  }
  function typoLimit(word) { return word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0; }

  /** A query word's match: keys with a weight, phrases (every key needed), the words to
      highlight, the synonyms that matched, and whether anything did. */
  function matchOf(word) {
    return { word: word, key: null, keys: {}, phrases: [], words: [word], corrected: null, found: false, synonyms: [] };
  }
  function addKey(m, key, weight, spelled) {
    if (!(m.keys[key] >= weight)) m.keys[key] = weight;
    if (spelled && m.words.indexOf(spelled) < 0) m.words.push(spelled);
    m.found = true;
  }
  /** Adds to each of `matches` the members of a synonym group (single keys and phrases)
      that some entry has. */
  function addSynonyms(matches, members) {
    return Promise.all(members.map(function (member) {
      return Promise.all(member.keys.map(postingsOf)).then(function (lists) {
        if (lists.some(function (l) { return !l.docs.length; })) return;
        matches.forEach(function (m) {
          if (m.synonyms.indexOf(member.text) < 0) m.synonyms.push(member.text);
          if (member.keys.length === 1) addKey(m, member.keys[0], SYNONYM_WEIGHT, null);
          else { m.phrases.push({ keys: member.keys, weight: SYNONYM_WEIGHT }); m.found = true; }
        });
      });
    })).then(function () { return members.length ? stemmer() : null; });
  }
  /** The other members of each synonym group that has a member made of `keys`. */
  function synonymsOf(keys) {
    var others = [];
    meta.synonyms.forEach(function (group) {
      var own = group.filter(function (member) { return member.keys.join(" ") === keys.join(" "); });
      if (own.length) group.forEach(function (member) { if (own.indexOf(member) < 0) others.push(member); });
    });
    return others;
  }
  /** A phrase of the query that a synonym group names ("community of practice" for "CoP"):
      each of its words also matches the group's other members, so an entry that says "CoP"
      has every word of the phrase. */
  function phraseSynonyms(matches) {
    var adding = [];
    meta.synonyms.forEach(function (group) {
      group.forEach(function (member) {
        var length = member.keys.length;
        if (length < 2) return;
        for (var i = 0; i + length <= matches.length; i++) {
          var run = matches.slice(i, i + length);
          if (run.every(function (m, k) { return m.key === member.keys[k]; })) adding.push(addSynonyms(run, synonymsOf(member.keys)));
        }
      });
    });
    return Promise.all(adding).then(function () { return matches; });
  }

  /** What a query word matches: the vocabulary's word, its completions when it is the word
      being typed, its stem's key when the vocabulary lacks it ("sponsoring"), its synonyms,
      and, when nothing does, its nearest words. */
  function expand(word, asPrefix) {
    return vocabularyFor(word).then(function (shards) {
      var m = matchOf(word), completions = [], own = null;
      shards.forEach(function (shard) {
        for (var i = lowerBound(shard.words, word); i < shard.words.length; i++) {
          var candidate = shard.words[i];
          if (candidate === word) { own = shard.keys[i]; addKey(m, own, 1, candidate); }
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
          if (m.keys[c[1]] === undefined && distinct >= MAX_COMPLETIONS) return;
          if (m.keys[c[1]] === undefined) distinct++;
          addKey(m, c[1], 0.55 + 0.4 * word.length / c[0].length, c[0]);
        });
      }
      // A word the vocabulary lacks is stemmed as the build stems; its key, if it is one,
      // finds the entries of the words that share it.
      var stemmed = own !== null ? Promise.resolve(own) : stemmer().then(function () {
        var key = stem(word);
        return keyExists(key).then(function (exists) {
          return exists ? postingsOf(key).then(function (p) { if (p.docs.length) addKey(m, key, 1, null); return key; }) : key;
        });
      });
      return stemmed.then(function (key) {
        m.key = key;
        return addSynonyms([m], synonymsOf([key]));
      }).then(function () {
        var limit = typoLimit(word);
        if (m.found || !limit) return m;
        return typoTools().then(function (tools) { return tools.near(word, limit); }).then(function (near) {
          var distinct = 0;
          m.corrected = near.length ? near[0].word : null;
          near.forEach(function (c) {
            if (m.keys[c.key] === undefined && distinct >= MAX_CORRECTIONS) return;
            if (m.keys[c.key] === undefined) distinct++;
            addKey(m, c.key, c.distance === 1 ? 0.6 : 0.4, c.word);
          });
          m.found = false;
          return m;
        });
      });
    });
  }

  // ---------------------------------------------------------------- querying
  /** Ranks documents for `query` under `filters` ({facet id: [value ids]}); resolves to
      { documents, counts, matches, partial }. */
  function query(text, filters) {
    return loadMeta().then(function () {
      var words = terms(text);
      var prefix = !/\s$/.test(text);
      return Promise.all(words.map(function (word, i) { return expand(word, prefix && i === words.length - 1); }));
    }).then(function (matches) {
      return meta.synonyms.length ? phraseSynonyms(matches) : matches;
    }).then(function (matches) {
      var keys = [];
      matches.forEach(function (m) {
        for (var k in m.keys) if (keys.indexOf(k) < 0) keys.push(k);
        m.phrases.forEach(function (phrase) { phrase.keys.forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); }); });
      });
      return Promise.all(keys.map(postingsOf)).then(function () { return rank(matches, filters || {}); });
    });
  }

  /** Arrays of one number per document, reused from query to query, zeroed: allocating them
      for every query and word left much to the garbage collector, which made some queries
      many times slower than the rest. */
  var scratch = {};
  function zeros(name, Type) {
    var array = scratch[name];
    if (!array || array.length !== meta.count) array = scratch[name] = new Type(meta.count);
    else array.fill(0);
    return array;
  }
  /** Per document: how many query words it has, its score, how many of the words are in its
      title, and its title's number of distinct keys. */
  function scoreMatches(matches) {
    var n = meta.count, hits = zeros("hits", Uint8Array), score = zeros("score", Float64Array);
    var titleHits = zeros("titleHits", Uint8Array), titleKeys = zeros("titleKeys", Uint8Array);
    matches.forEach(function (m) {
      var best = zeros("best", Float64Array), inTitle = zeros("inTitle", Uint8Array);
      function take(p, weight) {
        for (var i = 0; i < p.docs.length; i++) {
          var d = p.docs[i], s = weight * p.impacts[i];
          if (s > best[d]) best[d] = s;
          if (p.titles[i]) { inTitle[d] = 1; titleKeys[d] = p.titles[i]; }
        }
      }
      for (var key in m.keys) take(postingsCache[key], m.keys[key] * postingsCache[key].idf);
      m.phrases.forEach(function (phrase) {
        // A phrase counts where every one of its keys is: the mean of their scores.
        var sum = zeros("sum", Float64Array), count = zeros("count", Uint8Array), titled = zeros("titled", Uint8Array);
        phrase.keys.forEach(function (k) {
          var p = postingsCache[k];
          for (var i = 0; i < p.docs.length; i++) {
            var d = p.docs[i];
            sum[d] += phrase.weight * p.idf * p.impacts[i]; count[d]++;
            if (p.titles[i]) titled[d]++;
          }
        });
        for (var d = 0; d < n; d++) {
          if (count[d] !== phrase.keys.length) continue;
          var s = sum[d] / count[d];
          if (s > best[d]) best[d] = s;
          if (titled[d] === count[d]) inTitle[d] = 1;
        }
      });
      for (var d2 = 0; d2 < n; d2++) {
        if (best[d2] > 0) { hits[d2]++; score[d2] += best[d2]; titleHits[d2] += inTitle[d2]; }
      }
    });
    return { hits: hits, score: score, titleHits: titleHits, titleKeys: titleKeys };
  }

  /** Entries matching every word first; when none does, those matching the most words
      (`partial`). Among them an entry whose title holds every word comes first (an exact
      title before it), then the score. */
  function rank(matches, filters) {
    var n = meta.count, candidates = [], partial = false;
    if (matches.length) {
      var scored = scoreMatches(matches), hits = scored.hits, score = scored.score;
      var most = 0;
      for (var d3 = 0; d3 < n; d3++) if (hits[d3] > most) most = hits[d3];
      partial = most > 0 && most < matches.length;
      var rankOf = zeros("rankOf", Uint8Array);
      for (var d5 = 0; d5 < n; d5++) {
        if (!hits[d5] || (!partial && hits[d5] < matches.length)) continue;
        candidates.push(d5);
        var allInTitle = scored.titleHits[d5] === matches.length;
        rankOf[d5] = allInTitle ? (scored.titleKeys[d5] === matches.length ? 2 : 1) : 0;
      }
      candidates.sort(function (x, y) {
        return hits[y] - hits[x] || rankOf[y] - rankOf[x] || score[y] - score[x] || x - y;
      });
    } else {
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
    return { documents: documents, counts: counts, matches: matches, partial: partial };
  }

  /** A respelling of the query from the nearest real words, for "did you mean". */
  function suggest(matches) {
    return Promise.all(matches.map(function (m) {
      if (m.found) return m.word;
      if (m.corrected) return m.corrected;
      return typoTools().then(function (tools) {
        return tools.nearWords(m.word, m.word.length >= 8 ? 3 : m.word.length >= 4 ? 2 : 1);
      }).then(function (near) {
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

  /** Per query word, whether a token of the text is one of its matches: a word the
      vocabulary gave it, a completion of it, or (once the stemmer is loaded) any word with
      one of its keys. */
  function matchers(matches) {
    return matches.map(function (m) {
      var spelled = {}, keys = {};
      m.words.forEach(function (w) { spelled[w] = true; });
      for (var key in m.keys) {
        keys[key] = true;
        Object.keys(vocabularies).forEach(function (n) {
          var shard = vocabularies[n], start = key.slice(0, 2);
          for (var i = lowerBound(shard.words, start); i < shard.words.length && shard.words[i] < start + "\uffff"; i++) {
            if (shard.keys[i] === key) spelled[shard.words[i]] = true;
          }
        });
      }
      m.phrases.forEach(function (phrase) { phrase.keys.forEach(function (k) { keys[k] = true; }); });
      var prefix = Array.from(m.word).length >= 2 ? m.word : null;
      return function (folded) {
        return spelled[folded] || (prefix && folded.lastIndexOf(prefix, 0) === 0) || (stem && keys[stem(folded)]) || false;
      };
    });
  }
  function highlighter(termMatchers) {
    return function (token) {
      var folded = fold(token);
      return termMatchers.some(function (match) { return match(folded); });
    };
  }
  /** The query words (their numbers) that `text` holds. */
  function wordsIn(text, termMatchers) {
    var found = {};
    (text.match(WORD) || []).forEach(function (token) {
      var folded = fold(token);
      termMatchers.forEach(function (match, t) { if (match(folded)) found[t] = true; });
    });
    return found;
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

  // ---------------------------------------------------------------- body sentences
  /** Adds to each new result whose title and summary lack some query word the body
      sentence that holds the most of them: now to those near the screen, to the others as
      they come near (search-sentences.js, beside this script, loaded on first need).
      Resolves once those near the screen have theirs. */
  var sentencesSource = typosSource && typosSource.replace(/search-typos\.js$/, "search-sentences.js");
  var sentences = null;
  function addSentences(items, page, data, shownFor) {
    var needing = [];
    items.forEach(function (item, i) {
      var found = wordsIn(data[i][0] + " " + data[i][2], shownFor.matchers), missing = [];
      shownFor.matchers.forEach(function (match, t) { if (!found[t]) missing.push(t); });
      if (missing.length) needing.push({ item: item, d: page[i], missing: missing });
    });
    if (!needing.length) return Promise.resolve();
    return load("sentences", sentencesSource).then(function (make) {
      sentences = sentences || make({ meta: meta, load: load, wordsIn: wordsIn, marked: marked,
        isShown: function (shownFor) { return shownFor === current; } });
      return sentences.add(needing, shownFor);
    });
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

  /** The filters: the page's own fieldsets (search.html writes them, so that nothing moves
      as they fill in), or built here for a template without them. */
  function buildFacets() {
    if (!facetBox.querySelector("fieldset")) meta.facets.forEach(function (facet) {
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
    var clear = facetBox.querySelector(".search-clear");
    if (!clear) {
      clear = document.createElement("button");
      clear.type = "button"; clear.className = "search-clear"; clear.textContent = say("clear_filters"); clear.hidden = true;
      facetBox.appendChild(clear);
    }
    clear.addEventListener("click", function () {
      facetBox.querySelectorAll("input:checked").forEach(function (box) { box.checked = false; });
      update("push");
    });
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
      var ids = facet.values.map(function (value) { return value[0]; });
      facetBox.querySelectorAll("input[name=\"" + facet.id + "\"]").forEach(function (box) {
        var v = ids.indexOf(box.value), count = box.parentNode.querySelector(".facet-count");
        if (v >= 0 && count) count.textContent = "(" + outcome.counts[f][v] + ")";
      });
    });
    facetBox.querySelector(".search-clear").hidden = !filtered;
    if (printButton) printButton.hidden = !total;
    if (filtersToggle) filtersToggle.textContent = say("filters_active", { n: facetBox.querySelectorAll("input:checked").length });
    var including = [];
    outcome.matches.forEach(function (m) {
      if (!m.found && m.corrected) including.push(m.corrected);
      m.synonyms.forEach(function (text) { if (including.indexOf(text) < 0) including.push(text); });
    });
    var message;
    var query = quote(state.q.trim());
    if (!outcome.matches.length) {
      message = say(filtered ? "entries_filtered" : "entries", { n: total });
    } else if (total) {
      message = say(filtered ? "results_filtered" : "results", { n: total, query: query });
      if (including.length) {
        message += say("including", { words: including.map(quote).join(say("separator")) });
      }
    } else {
      message = say(filtered ? "no_results_filtered" : "no_results", { query: query });
    }
    statusBox.textContent = message;
    list.textContent = "";
    if (sentences) sentences.forget();
    shown = 0;
    var termMatchers = matchers(outcome.matches);
    current = { state: state, outcome: outcome, matchers: termMatchers, isMatch: highlighter(termMatchers) };
    if (suggestionBox) { suggestionBox.remove(); suggestionBox = null; }
    if (outcome.partial) {
      suggestionBox = document.createElement("p");
      suggestionBox.className = "search-partial";
      suggestionBox.textContent = say("partial");
      statusBox.parentNode.insertBefore(suggestionBox, list);
    }
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
    var shownFor = current;
    return Promise.all(page.map(documentData)).then(function (data) {
      if (run !== generation) return;
      // The new results are laid out unseen while the sentences of those on screen load,
      // so that nothing moves as they arrive; the others get theirs as they come near.
      var items = data.map(function (entry, i) {
        var item = resultItem(page[i], entry, shownFor.isMatch);
        item.classList.add("search-result-pending");
        list.appendChild(item);
        return item;
      });
      var reveal = function () { items.forEach(function (item) { item.classList.remove("search-result-pending"); }); };
      return addSentences(items, page, data, shownFor).then(reveal, function (error) { reveal(); throw error; });
    }).then(function () {
      if (run !== generation) return;
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

  // ---------------------------------------------------------------- the brief
  /** "Print these results" (search-brief.js, beside this script, loaded on first use). */
  var briefSource = typosSource && typosSource.replace(/search-typos\.js$/, "search-brief.js");
  function printBrief() {
    return load("brief", briefSource).then(function (make) {
      return make({ meta: meta, app: app, statusBox: statusBox, say: say, documentData: documentData,
        facetNames: facetNames, shown: function () { return current; } });
    }).catch(failed);
  }
  if (printButton) printButton.addEventListener("click", printBrief);
  window.addEventListener("afterprint", function () { document.documentElement.classList.remove("printing-brief"); });

  function update(mode) {
    document.documentElement.classList.remove("printing-brief");
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
    var filters = app.querySelector(".search-filters");
    if (filters) filters.remove();
    if (window.console) console.warn(error);
  }
  api.query = function (text, filters) { return query(text, filters); };

  if (filtersToggle) filtersToggle.addEventListener("click", function () {
    filtersToggle.setAttribute("aria-expanded", String(filtersToggle.getAttribute("aria-expanded") !== "true"));
  });
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
