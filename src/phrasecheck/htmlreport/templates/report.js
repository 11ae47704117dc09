(function () {
  "use strict";

  // Sortable tables: a click on a header sorts by that column's data-value; again reverses.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("th");
    heads.forEach(function (th, column) {
      var type = th.getAttribute("data-sort");
      if (!type) return;
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); th.click(); }
      });
      th.addEventListener("click", function () {
        var descending = !th.classList.contains("desc");
        heads.forEach(function (other) {
          other.classList.remove("asc", "desc");
          if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
        });
        th.classList.add(descending ? "desc" : "asc");
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute("data-value") || "";
          var y = b.cells[column].getAttribute("data-value") || "";
          var order = type === "num" ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh-CN");
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  // Filters of the transcript list: agent, channel, kind of finding, result.
  var calls = Array.prototype.slice.call(document.querySelectorAll("article.call"));
  var selects = document.querySelectorAll("#filters select");
  var buttons = document.querySelectorAll("#filter-result button");
  var count = document.getElementById("shown-count");
  var none = document.getElementById("no-match");
  var wanted = { agent: "", channel: "", kind: "", result: "" };

  function apply() {
    var shown = 0;
    calls.forEach(function (call) {
      var d = call.dataset;
      var ok = (!wanted.agent || d.agent === wanted.agent) &&
        (!wanted.channel || d.channel === wanted.channel) &&
        (!wanted.kind || d.kinds.split(" ").indexOf(wanted.kind) >= 0) &&
        (!wanted.result || d.result === wanted.result);
      call.hidden = !ok;
      if (ok) shown += 1;
    });
    if (count) count.textContent = String(shown);
    if (none) none.hidden = shown > 0;
  }

  selects.forEach(function (select) {
    select.addEventListener("change", function () {
      wanted[select.getAttribute("data-filter")] = select.value;
      apply();
    });
  });
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      buttons.forEach(function (b) { b.classList.remove("on"); });
      button.classList.add("on");
      wanted.result = button.getAttribute("data-result");
      apply();
    });
  });

  // An agent's name in the tables shows that agent's transcripts.
  document.querySelectorAll("a.agent-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var agent = link.getAttribute("data-agent");
      var select = document.getElementById("filter-agent");
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === agent; });
      select.value = known ? agent : "";
      wanted.agent = select.value;
      apply();
      document.getElementById("calls").scrollIntoView();
    });
  });

  // Pointing at a finding outlines its words in the turn.
  document.querySelectorAll(".finding").forEach(function (card) {
    function toggle(on) {
      document.querySelectorAll('mark[data-finding="' + card.id + '"]').forEach(function (m) {
        m.classList.toggle("focus", on);
      });
    }
    card.addEventListener("mouseenter", function () { toggle(true); });
    card.addEventListener("mouseleave", function () { toggle(false); });
  });
})();
