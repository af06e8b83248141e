/* Small progressive enhancements; every page works without this file. No inline scripts (CSP). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Selects that apply themselves (language, sort); their submit buttons stay for no-JS users.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
    });
  });

  // Forms that ask first (deleting).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  // Navigation collapses behind a button on narrow screens.
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("is-open", !open);
    });
  }

  // Filters fold away on phones so results come first; on wide screens they stay open beside them.
  var filters = document.querySelector(".facet-details");
  if (filters && window.matchMedia("(max-width: 820px)").matches) filters.open = false;

  // Search box autocomplete: an ARIA 1.2 combobox with a listbox popup.
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  var status = document.getElementById("suggest-status");
  if (!input || !list) return;
  var url = input.getAttribute("data-suggest-url");
  var timer = null;
  var active = -1;
  var controller = null;
  var lastAsked = "";

  function options() { return list.querySelectorAll("[role=option]"); }

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var items = options();
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) { item.setAttribute("aria-selected", String(i === active)); });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function choose(text) {
    input.value = text;
    close();
    if (input.form) input.form.requestSubmit ? input.form.requestSubmit() : input.form.submit();
  }

  function render(suggestions) {
    list.innerHTML = "";
    active = -1;
    if (!suggestions.length) { close(); return; }
    suggestions.forEach(function (text, i) {
      var item = document.createElement("li");
      item.id = "suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = text;  // text, never HTML
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(text); });
      list.appendChild(item);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    if (status) status.textContent = suggestions.length + " " + (document.documentElement.lang === "en" ? "suggestions" : "개의 추천 검색어");
  }

  function ask() {
    var prefix = input.value.trim();
    if (!prefix) { close(); return; }
    if (prefix === lastAsked && !list.hidden) return;
    lastAsked = prefix;
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(url + "?q=" + encodeURIComponent(prefix), {
      headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller.signal
    })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) {
        if (input.value.trim() === prefix) render(data.suggestions || data.results || []);
      })
      .catch(function () { /* aborted or offline: no suggestions */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) {
      if (event.key === "ArrowDown" && input.value.trim()) { ask(); event.preventDefault(); }
      return;
    }
    if (event.key === "ArrowDown") { highlight(active + 1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { highlight(active - 1); event.preventDefault(); }
    else if (event.key === "Escape") { close(); event.preventDefault(); }
    else if (event.key === "Enter" && active >= 0) { choose(options()[active].textContent); event.preventDefault(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
