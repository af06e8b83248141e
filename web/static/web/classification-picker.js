// Classification picker: a text input for 물품분류번호 / 세부품명번호 (or a construction work type) gains
// search-as-you-type over the reference table (/api/v1/reference/classifications/?q=). Without this
// script the input is a plain text box that the form validates against the same table.
// An ARIA 1.2 combobox with a listbox popup; the listbox and its status line are made here.
(function () {
  "use strict";
  var english = document.documentElement.lang === "en";

  function enhance(input, n) {
    var url = input.getAttribute("data-classification-url");
    var sectorField = document.getElementById(input.getAttribute("data-sector-field") || "");
    var fixedSector = input.getAttribute("data-sector") || "";
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var timer = null, active = -1, controller = null, rows = [];

    list.id = "classification-options-" + n;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", english ? "Classification numbers" : "분류번호 목록");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.removeAttribute("list");  // the script's list replaces the browser's datalist
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    var holder = document.createElement("div");
    holder.className = "picker";
    input.parentNode.insertBefore(holder, input);
    holder.appendChild(input);
    holder.appendChild(list);
    holder.appendChild(status);

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", String(i === active)); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }
    function choose(row) {
      input.value = row.code;
      close();
      status.textContent = row.code + " " + label(row);
    }
    function label(row) { return english && row.name_en ? row.name_en : row.name; }
    function render(results) {
      rows = results;
      list.innerHTML = "";
      active = -1;
      if (!rows.length) {
        close();
        status.textContent = english ? "No matching classification number" : "맞는 분류번호가 없습니다";
        return;
      }
      rows.forEach(function (row, i) {
        var item = document.createElement("li");
        var code = document.createElement("span");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        code.className = "code";
        code.textContent = row.code;  // text, never HTML
        item.appendChild(code);
        item.appendChild(document.createTextNode(" " + label(row)));
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(row); });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = rows.length + (english ? " classification numbers" : "개의 분류번호");
    }
    function ask() {
      var text = input.value.trim();
      var sector = sectorField ? sectorField.value : fixedSector;
      if (controller) controller.abort();
      controller = new AbortController();
      var query = "?q=" + encodeURIComponent(text) + (sector ? "&sector=" + encodeURIComponent(sector) : "");
      fetch(url + query, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller.signal })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === text) render(data.results || []); })
        .catch(function () { /* aborted or offline: the field stays a text box */ });
    }

    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 150); });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown") { ask(); event.preventDefault(); }
        return;
      }
      if (event.key === "ArrowDown") { highlight(active + 1); event.preventDefault(); }
      else if (event.key === "ArrowUp") { highlight(active - 1); event.preventDefault(); }
      else if (event.key === "Escape") { close(); event.preventDefault(); }
      else if (event.key === "Enter" && active >= 0) { choose(rows[active]); event.preventDefault(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    if (sectorField) sectorField.addEventListener("change", close);
  }

  document.querySelectorAll("input[data-classification-url]").forEach(enhance);
})();
