/* Timeline: progressive enhancement of the server-rendered timeline (no framework, no CDN).
   Filter chips, keyboard navigation, expand/collapse of sources, the copy button, and the
   iframe's height reported to the host page (embed.js listens for it). */
(function () {
  "use strict";
  var doc = document;
  var NAV_KEYS = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };

  function all(selector, root) {
    return Array.prototype.slice.call((root || doc).querySelectorAll(selector));
  }

  // The embed reports its height; capped by data-maxheight, beyond which the list scrolls.
  var root = doc.querySelector("[data-timeline-root]");
  var maxHeight = root && parseInt(root.getAttribute("data-maxheight"), 10);
  var lastHeight = 0;
  function reportHeight() {
    if (window.parent === window || !doc.body) return;
    var height = Math.ceil(doc.body.getBoundingClientRect().height);
    if (maxHeight && height > maxHeight) height = maxHeight;
    if (height === lastHeight) return;
    lastHeight = height;
    // The height is not secret, and the host's origin is unknown here: embed.js checks ours.
    window.parent.postMessage({ type: "timeline:height", height: height }, "*");
  }

  function setUpFilters(tl) {
    var controls = tl.querySelector("[data-controls]");
    if (!controls) return;
    controls.hidden = false;
    // Open where there is room; on a phone the chips wait behind their summary line.
    if (window.matchMedia && window.matchMedia("(min-width: 40rem)").matches) controls.open = true;
    var chips = all(".chip", controls);
    var events = all("[data-event]", tl);
    var status = controls.querySelector("[data-status]");
    function apply() {
      var wanted = { actor: [], type: [] };
      chips.forEach(function (chip) {
        if (chip.getAttribute("aria-pressed") === "true") {
          wanted[chip.getAttribute("data-kind")].push(chip.getAttribute("data-value"));
        }
      });
      var shown = 0;
      events.forEach(function (item) {
        var actors = (item.getAttribute("data-actors") || "").split(" ");
        var ok =
          (!wanted.actor.length || wanted.actor.some(function (a) { return actors.indexOf(a) >= 0; })) &&
          (!wanted.type.length || wanted.type.indexOf(item.getAttribute("data-type")) >= 0);
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      all("[data-period]", tl).forEach(function (period) {
        period.hidden = !period.querySelector("[data-event]:not([hidden])");
      });
      var filtering = wanted.actor.length + wanted.type.length > 0;
      status.textContent = filtering ? shown + " of " + events.length + " events shown" : "";
    }
    chips.forEach(function (chip) {
      chip.addEventListener("click", function () {
        var pressed = chip.getAttribute("aria-pressed") === "true";
        chip.setAttribute("aria-pressed", pressed ? "false" : "true");
        apply();
      });
    });
    var toggle = controls.querySelector("[data-toggle-sources]");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        all("details.sources", tl).forEach(function (details) { details.open = open; });
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        toggle.textContent = open ? "Collapse all sources" : "Expand all sources";
      });
    }
  }

  // Arrow keys (or j/k) move between visible events; Home/End jump to the first/last one.
  function setUpKeys(tl) {
    tl.addEventListener("keydown", function (event) {
      var step = NAV_KEYS[event.key];
      var jump = event.key === "Home" || event.key === "End";
      if ((!step && !jump) || event.altKey || event.ctrlKey || event.metaKey) return;
      var current = event.target.closest && event.target.closest("[data-event] > article");
      if (!current) return;
      var items = all("[data-event]:not([hidden]) > article", tl);
      var index = items.indexOf(current);
      var next = jump ? (event.key === "Home" ? 0 : items.length - 1) : index + step;
      if (next < 0 || next >= items.length) return;
      event.preventDefault();
      items[next].focus();
    });
  }

  function setUpCopy() {
    all("[data-copy]").forEach(function (button) {
      var field = doc.getElementById(button.getAttribute("data-copy"));
      var status = doc.querySelector("[data-copy-status]");
      button.hidden = false;
      button.addEventListener("click", function () {
        function done(ok) { if (status) status.textContent = ok ? "Copied." : "Select the code and copy it."; }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(field.value).then(function () { done(true); }, function () {
            field.select(); done(false);
          });
        } else {
          field.select();
          done(doc.execCommand && doc.execCommand("copy"));
        }
      });
    });
  }

  function start() {
    all("[data-timeline-root]").forEach(function (tl) {
      setUpFilters(tl);
      setUpKeys(tl);
    });
    setUpCopy();
    if (doc.body.classList.contains("embed")) {
      if (maxHeight) {
        var main = doc.querySelector("main");
        main.style.maxHeight = maxHeight + "px";
        main.style.overflowY = "auto";
        var cue = doc.querySelector("[data-scroll-cue]");
        if (cue) {
          // The cue shows while more is below the frame's edge.
          var updateCue = function () {
            var rest = main.scrollHeight - main.scrollTop - main.clientHeight;
            cue.hidden = rest <= (cue.hidden ? 0 : cue.offsetHeight) + 4;
          };
          main.addEventListener("scroll", updateCue, { passive: true });
          window.addEventListener("resize", updateCue);
          updateCue();
        }
      }
      if (window.ResizeObserver) new ResizeObserver(reportHeight).observe(doc.body);
      window.addEventListener("load", reportHeight);
      doc.addEventListener("toggle", reportHeight, true);
      reportHeight();
    }
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start);
  else start();
})();
