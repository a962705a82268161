/* Timeline embed loader. A host page writes
     <div data-timeline="SLUG"></div><script async src="https://TIMELINE-HOST/embed.js"></script>
   and gets a lazily loaded iframe that resizes to its content. A selection of events rather
   than a timeline is <div data-timeline data-filters="actor=usa&type=summit">, as the events
   page offers it (the API's filters, embedded from /embed/timeline/). Options are data- attributes:
   data-theme, data-compact, data-highlight, data-start, data-end, data-maxheight, data-group, data-order,
   data-title. Height messages are accepted only from the origin this script came from. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    var scripts = document.querySelectorAll('script[src$="/embed.js"]');
    script = scripts[scripts.length - 1];
  }
  if (!script) return;
  var origin = new URL(script.src, location.href).origin;
  var OPTIONS = ["theme", "compact", "highlight", "start", "end", "maxheight", "group", "order"];
  var frames = [];
  var observer = "IntersectionObserver" in window
    ? new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          entry.target.src = entry.target.getAttribute("data-src");
          observer.unobserve(entry.target);
        });
      }, { rootMargin: "400px" })
    : null;

  function build(host) {
    if (host.getAttribute("data-timeline-loaded")) return;
    host.setAttribute("data-timeline-loaded", "1");
    var slug = host.getAttribute("data-timeline");
    var params = new URLSearchParams(slug ? "" : host.getAttribute("data-filters") || "");
    OPTIONS.forEach(function (name) {
      var value = host.getAttribute("data-" + name);
      if (value) params.set(name, value);
    });
    var query = params.toString();
    var path = slug ? "/embed/timelines/" + encodeURIComponent(slug) + "/" : "/embed/timeline/";
    var src = origin + path + (query ? "?" + query : "");
    var frame = document.createElement("iframe");
    frame.title = host.getAttribute("data-title") || "Timeline: " + (slug || "selected events");
    frame.setAttribute("loading", "lazy");
    frame.setAttribute("data-src", src);
    frame.style.cssText = "display:block;width:100%;border:0;height:" +
      (parseInt(host.getAttribute("data-height"), 10) || 480) + "px";
    host.appendChild(frame);
    frames.push({ frame: frame, max: parseInt(host.getAttribute("data-maxheight"), 10) || 0 });
    if (observer) observer.observe(frame);
    else frame.src = src;
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) return;
    var data = event.data;
    if (!data || data.type !== "timeline:height") return;
    var height = Math.ceil(Number(data.height));
    if (!(height > 0)) return;
    frames.forEach(function (item) {
      if (item.frame.contentWindow !== event.source) return;
      item.frame.style.height = Math.min(height, item.max || 20000) + "px";
    });
  });

  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll("div[data-timeline]"), build);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
