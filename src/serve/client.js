// zhiku serve's live-reload client.
//
// The dev server puts this into every HTML page it serves, just before
// </body>; it is never written to disk and never part of `zhiku build`
// output. The server replaces the placeholder on the last line with a JSON
// object: {"path": the socket path, "version": the site's content version
// when the page was served, "problems": the current build errors}.
//
// Everything the build reports is put into the page with textContent, never
// as HTML: an error message may quote the content that caused it.
(function (config) {
  "use strict";
  if (window.__zhikuLive) return;
  window.__zhikuLive = true;

  var SCROLL_KEY = "zhiku-live-scroll:" + location.pathname;
  var OVERLAY_ID = "zhiku-live-errors";
  var FIRST_DELAY = 250;
  var MAX_DELAY = 5000;

  // Storage can be blocked or full; live reload works without it.
  function storage() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null;
    }
  }

  function reload() {
    try {
      var s = storage();
      if (s) s.setItem(SCROLL_KEY, JSON.stringify([window.scrollX, window.scrollY]));
    } catch (e) {
      // The scroll position is a nicety.
    }
    location.reload();
  }

  function restoreScroll() {
    var saved = null;
    try {
      var s = storage();
      saved = s && s.getItem(SCROLL_KEY);
      if (saved) s.removeItem(SCROLL_KEY);
    } catch (e) {
      return;
    }
    if (!saved) return;
    var xy;
    try {
      xy = JSON.parse(saved);
    } catch (e) {
      return;
    }
    if (!Array.isArray(xy)) return;
    var go = function () {
      window.scrollTo(Number(xy[0]) || 0, Number(xy[1]) || 0);
    };
    if (document.readyState === "complete") go();
    else window.addEventListener("load", go, { once: true });
  }

  // Re-request every stylesheet of this site. The new <link> goes in beside
  // the old one, which is removed only once the new one has loaded, so the
  // page never shows unstyled.
  function refreshCss() {
    var stamp = String(Date.now());
    var links = document.querySelectorAll('link[rel~="stylesheet" i][href]');
    Array.prototype.forEach.call(links, function (link) {
      if (link.hasAttribute("data-zhiku-live-old")) return;
      var url;
      try {
        url = new URL(link.href);
      } catch (e) {
        return;
      }
      if (url.origin !== location.origin) return;
      url.searchParams.set("zhiku-live", stamp);
      var fresh = link.cloneNode(false);
      fresh.href = url.href;
      link.setAttribute("data-zhiku-live-old", "");
      fresh.addEventListener("load", function () {
        link.remove();
      }, { once: true });
      fresh.addEventListener("error", function () {
        fresh.remove();
        link.removeAttribute("data-zhiku-live-old");
      }, { once: true });
      link.after(fresh);
    });
  }

  function element(tag, style) {
    var node = document.createElement(tag);
    node.style.cssText = "all:initial;box-sizing:border-box;color:inherit;font:inherit;" + style;
    return node;
  }

  function where(problem) {
    var text = String(problem.file);
    if (problem.line != null) {
      text += ":" + problem.line;
      if (problem.column != null) text += ":" + problem.column;
    }
    return text;
  }

  // The error overlay: fixed at the top, dark text on light red, readable on
  // a 360 px phone, with a dismiss button. Built with textContent only.
  function showProblems(problems) {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
    if (!Array.isArray(problems) || problems.length === 0) return;

    var box = element("section",
      "display:block;position:fixed;top:0;left:0;right:0;z-index:2147483647;" +
      "max-height:70vh;overflow:auto;padding:12px 14px;" +
      "background:#fde8e8;color:#1f1f1f;border-bottom:3px solid #b42318;" +
      "box-shadow:0 2px 10px rgba(0,0,0,.3);text-align:left;" +
      "font:15px/1.5 system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");

    var head = element("div", "display:flex;align-items:flex-start;gap:12px;");
    var title = element("strong", "display:block;flex:1;font-weight:700;font-size:16px;");
    title.textContent = problems.length === 1
      ? config.words.one
      : config.words.many.replace("{n}", String(problems.length));
    var dismiss = element("button",
      "display:block;flex:none;min-width:44px;min-height:44px;cursor:pointer;" +
      "font-size:24px;line-height:1;text-align:center;background:#fff;" +
      "border:1px solid #b42318;border-radius:6px;");
    dismiss.type = "button";
    dismiss.textContent = "\u00d7";
    dismiss.setAttribute("aria-label", config.words.dismiss);
    dismiss.addEventListener("click", function () {
      box.remove();
    });
    head.append(title, dismiss);

    var list = element("ol", "display:block;margin:8px 0 0;padding:0;list-style:none;");
    problems.forEach(function (problem) {
      var item = element("li", "display:block;margin:10px 0 0;overflow-wrap:anywhere;");
      var place = element("code",
        "display:block;font:600 13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;");
      place.textContent = where(problem);
      var message = element("div", "display:block;white-space:pre-wrap;");
      message.textContent = String(problem.message);
      item.append(place, message);
      if (problem.hint) {
        var hint = element("div", "display:block;white-space:pre-wrap;color:#5c1a14;");
        hint.textContent = config.words.hint.replace("{message}", function () {
          return String(problem.hint);
        });
        item.append(hint);
      }
      list.append(item);
    });
    box.append(head, list);
    (document.body || document.documentElement).append(box);
  }

  function handle(message) {
    if (!message) return;
    if (message.type === "reload") reload();
    else if (message.type === "css") refreshCss();
    else if (message.type === "errors") showProblems(message.problems);
  }

  // The socket. When the server goes away (restarted, stopped) retry with a
  // growing delay, and reload once it is back: the site may have changed.
  var delay = FIRST_DELAY;
  var lost = false;
  var leaving = false;
  var socket = null;

  function retry() {
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, MAX_DELAY);
  }

  function connect() {
    if (leaving || socket) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + location.host + config.path + "?v=" + encodeURIComponent(config.version);
    try {
      socket = new WebSocket(url);
    } catch (e) {
      socket = null;
      retry();
      return;
    }
    socket.onopen = function () {
      delay = FIRST_DELAY;
      if (lost) reload();
    };
    socket.onmessage = function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      handle(message);
    };
    socket.onclose = function () {
      socket = null;
      if (leaving) return;
      lost = true;
      retry();
    };
  }

  // Close the socket when the page goes away, so that leaving is not taken
  // for a lost server; reconnect if the page comes back from the back/forward
  // cache (the server then tells it whether it is out of date).
  window.addEventListener("pagehide", function () {
    leaving = true;
    if (socket) socket.close();
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    leaving = false;
    connect();
  });

  restoreScroll();
  showProblems(config.problems);
  connect();
})(__ZHIKU_LIVE_CONFIG__);
