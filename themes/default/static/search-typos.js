/* copcat search: typo correction, loaded by search.js only when a query word finds nothing
   (or for "did you mean"). Words within one edit (four letters or more) or two (eight or
   more) of a query word, first among those with its first letter (the vocabulary), then,
   for words of five letters or more, among those whose first letter differs, from the
   rests index (search/rests/, see src/search/rests.rs). It hands search.js a function that
   takes the index's helpers and returns { near, nearWords }. */
(function () {
  "use strict";
  window.copcatSearch.load("typos", function (index) {
    var meta = index.meta, DIGIT = index.DIGIT;
    // Three rows of the edit distance table, reused: words are at most 32 letters.
    var rows = [new Int32Array(40), new Int32Array(40), new Int32Array(40)];

    /** Optimal string alignment distance, or `limit + 1` once it is sure to exceed `limit`. */
    function distance(a, b, limit) {
      if (Math.abs(a.length - b.length) > limit) return limit + 1;
      if (a.length >= 40 || b.length >= 40) return limit + 1;
      var before = rows[0], previous = rows[1], current = rows[2], i, j;
      for (j = 0; j <= b.length; j++) previous[j] = j;
      for (i = 1; i <= a.length; i++) {
        current[0] = i;
        var best = i;
        for (j = 1; j <= b.length; j++) {
          var cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
          var value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
          if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
            value = Math.min(value, before[j - 2] + 1);
          }
          current[j] = value;
          if (value < best) best = value;
        }
        if (best > limit) return limit + 1;
        var spare = before; before = previous; previous = current; current = spare;
      }
      return previous[b.length];
    }
    function nearest(x, y) {
      return x.distance - y.distance || y.frequency - x.frequency || (x.word < y.word ? -1 : 1);
    }

    /** Words with the same first letter as `word` within `limit` edits, nearest first. */
    function nearWords(word, limit) {
      return index.vocabularyFor(word[0]).then(function (shards) {
        var found = [];
        shards.forEach(function (shard) {
          for (var i = index.lowerBound(shard.words, word[0]); i < shard.words.length; i++) {
            var candidate = shard.words[i];
            if (candidate[0] !== word[0]) break;
            var d = distance(word, candidate, limit);
            if (d <= limit && candidate !== word) {
              found.push({ word: candidate, key: shard.keys[i], distance: d, frequency: shard.frequencies[i] });
            }
          }
        });
        return found.sort(nearest);
      });
    }

    /** A rests part: sorted rests, and per rest its words' first letters and frequencies. */
    var parts = {};
    function restPart(number) {
      if (parts[number]) return Promise.resolve(parts[number]);
      return index.load("rests/" + number).then(function (text) {
        if (parts[number]) return parts[number];
        var rests = [], firsts = [], previous = "";
        (text ? text.split(" ") : []).forEach(function (entry) {
          var colon = entry.lastIndexOf(":");
          var rest = previous.slice(0, DIGIT[entry.charCodeAt(0)]) + entry.slice(1, colon);
          var letters = Array.from(entry.slice(colon + 1)), pairs = [];
          for (var i = 0; i + 1 < letters.length; i += 2) pairs.push([letters[i], DIGIT[letters[i + 1].charCodeAt(0)]]);
          rests.push(rest); firsts.push(pairs); previous = rest;
        });
        return (parts[number] = { rests: rests, firsts: firsts });
      });
    }
    function restsFor(prefix) {
      var first = index.lastAtMost(meta.rests, prefix), last = index.lastAtMost(meta.rests, prefix + "\uffff");
      var loads = [];
      for (var i = first; i <= last; i++) loads.push(restPart(i));
      return Promise.all(loads);
    }

    /** For a word of 5+ letters that nothing else corrects: words within `limit` edits whose
        first letter differs. Each way the first letter can be wrong names the two letters
        the rest of the right word starts with: missing (the query's first two), mistyped
        (its second and third), added (its third and fourth, after its second letter) and
        swapped with the second (its first and third, after its second letter). */
    function nearStart(word, limit) {
      var c = Array.from(word);
      if (c.length < 5) return Promise.resolve([]);
      var lookups = [[c[0] + c[1], null], [c[1] + c[2], null], [c[2] + c[3], c[1]], [c[0] + c[2], c[1]]];
      var loads = lookups.map(function (lookup) { return restsFor(lookup[0]); });
      return Promise.all([Promise.all(loads), index.stemmer()]).then(function (all) {
        var stem = all[1], seen = {}, found = [];
        lookups.forEach(function (lookup, l) {
          var prefix = lookup[0], required = lookup[1];
          all[0][l].forEach(function (part) {
            for (var i = index.lowerBound(part.rests, prefix); i < part.rests.length; i++) {
              var rest = part.rests[i];
              if (rest.lastIndexOf(prefix, 0) !== 0) break;
              part.firsts[i].forEach(function (pair) {
                var candidate = pair[0] + rest;
                if (pair[0] === c[0] || (required && pair[0] !== required) || seen[candidate]) return;
                seen[candidate] = true;
                var d = distance(word, candidate, limit);
                if (d <= limit) found.push({ word: candidate, key: stem(candidate), distance: d, frequency: pair[1] });
              });
            }
          });
        });
        return found.sort(nearest);
      });
    }

    /** Corrections of a word that finds nothing: its first letter kept, or else changed. */
    function near(word, limit) {
      return nearWords(word, limit).then(function (found) {
        return found.length ? found : nearStart(word, limit);
      });
    }
    return { near: near, nearWords: nearWords };
  });
})();
