// copcat serve: reloads this tab when the page it shows is rebuilt, and shows the
// catalog's errors over the page until they are fixed. Served only by `copcat serve`;
// never part of a built site. Builds the overlay from DOM text nodes only.
(function () {
  "use strict";

  var OVERLAY_ID = "copcat-overlay";

  function currentPath() {
    var path;
    try {
      path = decodeURIComponent(location.pathname);
    } catch (error) {
      path = location.pathname;
    }
    path = path.replace(/^\/+/, "");
    if (path === "" || path.charAt(path.length - 1) === "/") {
      path += "index.html";
    }
    return path;
  }

  function element(tag, style, text) {
    var node = document.createElement(tag);
    Object.assign(node.style, style || {});
    if (text !== undefined) {
      node.appendChild(document.createTextNode(text));
    }
    return node;
  }

  function hideOverlay() {
    var overlay = document.getElementById(OVERLAY_ID);
    if (overlay) {
      overlay.parentNode.removeChild(overlay);
    }
  }

  function showOverlay(errors) {
    hideOverlay();
    var overlay = element("div", {
      position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto",
      background: "rgba(20, 20, 20, 0.92)", color: "#f5f5f5", padding: "2rem",
      font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"
    });
    overlay.id = OVERLAY_ID;
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "copcat: the catalog has errors");
    var heading = element("h2", { margin: "0 0 0.5rem", font: "bold 18px/1.4 system-ui, sans-serif", color: "#ff8a80" },
      errors.length === 1 ? "1 error: the page shows the last good build" :
        errors.length + " errors: the page shows the last good build");
    overlay.appendChild(heading);
    overlay.appendChild(element("p", { margin: "0 0 1rem", font: "14px/1.4 system-ui, sans-serif" },
      "Fix the file and save; this closes by itself."));
    var list = element("ol", { margin: "0", padding: "0", listStyle: "none" });
    errors.forEach(function (diagnostic) {
      var item = element("li", { margin: "0 0 1rem", padding: "0.75rem 1rem", background: "#2b2b2b",
        borderLeft: "4px solid #ff5252" });
      item.appendChild(element("div", { color: "#82b1ff" },
        diagnostic.file + ":" + diagnostic.line + ":" + diagnostic.column));
      item.appendChild(element("div", { fontWeight: "bold" }, "error: " + diagnostic.message));
      if (diagnostic.help) {
        item.appendChild(element("div", { color: "#b9f6ca" }, "help: " + diagnostic.help));
      }
      list.appendChild(item);
    });
    overlay.appendChild(list);
    var close = element("button", { position: "absolute", top: "1rem", right: "1rem", font: "inherit",
      cursor: "pointer" }, "Close");
    close.type = "button";
    close.addEventListener("click", hideOverlay);
    overlay.appendChild(close);
    (document.body || document.documentElement).appendChild(overlay);
  }

  var source = new EventSource("/__copcat/events");
  source.addEventListener("reload", function (event) {
    var data = JSON.parse(event.data);
    if (data.all || data.paths.indexOf(currentPath()) !== -1) {
      location.reload();
    }
  });
  source.addEventListener("status", function (event) {
    var data = JSON.parse(event.data);
    var errors = data.diagnostics.filter(function (d) { return d.severity === "error"; });
    if (errors.length) {
      showOverlay(errors);
    } else {
      hideOverlay();
    }
  });
})();
