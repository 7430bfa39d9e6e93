
window.framing = (function () {
  const data = JSON.parse(document.getElementById("framing-data").textContent);
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
  const embedded = new Set(data.meta.embedded);
  let current = 0;
  function model(name) { return Bokeh.documents[0].get_model_by_name(name); }
  function contrast(source, pick, tops) {
    const k = data.meta.contrasts.findIndex((c) => c.label === pick.value);
    current = k < 0 ? 0 : k;
    const c = data.meta.contrasts[current];
    const d = source.data, n = d.term.length;
    const nt = c.nt, nr = c.nr, dt = c.dt;
    const sum = (groups, prefix) => {  // a side's counts: the sum of its groups' columns
      const out = new Float64Array(n);
      for (const j of groups) { const col = d[prefix + j]; for (let i = 0; i < n; i++) { out[i] += col[i]; } }
      return out;
    };
    const A = sum(c.t, "c"), N = sum(c.t, "d");
    const B = c.r === "rest" ? Float64Array.from(d.c_all, (v, i) => v - A[i]) : sum(c.r, "c");
    const x = new Array(n), y = new Array(n), size = new Array(n), ct = new Array(n), cr = new Array(n);
    const rt = new Array(n), rr = new Array(n);
    for (let i = 0; i < n; i++) {
      const a = A[i], b = B[i], docs = N[i];
      ct[i] = a; cr[i] = b;
      rt[i] = nt ? a / nt * 1e4 : 0; rr[i] = nr ? b / nr * 1e4 : 0;
      y[i] = nt ? Math.max(a, 0.5) / nt * 1e4 : NaN; x[i] = nr ? Math.max(b, 0.5) / nr * 1e4 : NaN;
      size[i] = 4 + 14 * (dt ? docs / dt : 0);
    }
    d.x = x; d.y = y; d.size = size; d.count_t = ct; d.count_r = cr; d.rate_t = rt; d.rate_r = rr;
    d.lr = Array.from(d["lr" + current]);
    source.change.emit();
    const z = d["z" + current];
    const order = [...Array(n).keys()].filter((i) => ct[i] + cr[i] >= 3);
    const top = (sign) => order.filter((i) => sign * z[i] > 0)
      .sort((i, j) => sign * (z[j] - z[i]) || (d.term[i] < d.term[j] ? -1 : 1)).slice(0, 15);
    const list = (ids) => ids.map((i) => '<li><a href="#" data-term="' + esc(d.term[i]) + '">' + esc(d.term[i]) + "</a> z " +
      z[i].toFixed(1) + "</li>").join("");
    const [tl, rl] = c.names;  // the sides' names, not the label split at " | " (a group may be named "a | b")
    tops.text = '<div class="tops"><div><h3>' + esc(tl) + "</h3><ol>" + list(top(1)) + "</ol></div><div><h3>" + esc(rl) +
      "</h3><ol>" + list(top(-1)) + "</ol></div></div><p class='meta'>Ranked by the log-odds z-score with the corpus as " +
      "an informative Dirichlet prior (Monroe, Colaresi &amp; Quinn 2008), which does not favour rare words.</p>";
  }
  function lines(rows) {  // [doc number, group number, left, node, right, quoted], grouped by group
    const byGroup = {};
    for (const r of rows) { (byGroup[r[1]] = byGroup[r[1]] || []).push(r); }
    return Object.keys(byGroup).map(Number).sort((a, b) => a - b).map((g) => "<h4>" + esc(data.meta.groups[g]) + "</h4>" +
      byGroup[g].map((r) => {
        const doc = esc(data.meta.docs[r[0]]);
        const where = embedded.has(r[0]) ? '<a href="#doc-' + doc + '">' + doc + "</a>" : doc;
        // a space beside the node only where the text has one: "regime’s", "ban, it"
        return '<div class="kwic" dir="auto"><span class="left">' + esc(r[2].trimEnd()) + "</span>" + (r[2].endsWith(" ") ? " " : "") +
          "<b>" + esc(r[3]) + "</b>" + (r[4].startsWith(" ") ? " " : "") + '<span class="right">' + esc(r[4].trimStart()) +
          '</span> <span class="where">' + where + " · " + (r[5] ? "quoted" : "author") + "</span></div>";
      }).join("")).join("");
  }
  function showTerm(source, evidence) {
    const i = source.selected.indices[0];
    if (i === undefined) { return; }
    const d = source.data, term = d.term[i], rows = data.kwic[term] || [];
    evidence.text = '<h3 class="chosen" data-term="' + esc(term) + '">' + esc(term) + "</h3><p class='counts'>target: <span class='count-t'>" +
      d.count_t[i] + "</span>, reference: <span class='count-r'>" + d.count_r[i] + "</span>; log ratio " + d.lr[i].toFixed(2) +
      "</p>" + lines(rows);
  }
  function showCategory(source, evidence) {
    const i = source.selected.indices[0];
    if (i === undefined) { return; }
    const name = source.data.category[i], entry = data.categories[name] || {lines: [], n: 0};
    evidence.text = '<h3 class="chosen" data-category="' + esc(name) + '">' + esc(name) + "</h3><p class='counts'><span class='n-matches'>" +
      entry.n + "</span> matches in the corpus</p>" + lines(entry.lines);
  }
  function find(source, value) {
    const asked = (value || "").trim(), term = asked.toLowerCase();
    const i = source.data.term.indexOf(term);
    const note = document.querySelector(".search-note");
    if (i >= 0) { source.selected.indices = [i]; if (note) { note.textContent = ""; } return; }
    const cats = model("categories");  // a category, as lexicon:category or by its own name
    const names = cats ? cats.data.category : [];
    const last = term.split(":").pop();  // "stance:hedge" finds "hedge" when the page shows one family
    const k = names.findIndex((c) => c.toLowerCase() === term || c.toLowerCase().split(":").pop() === last);
    if (k >= 0) { cats.selected.indices = [k]; if (note) { note.textContent = ""; } return; }
    if (note) { note.textContent = term ? "'" + asked + "' is neither a term shown nor a category" : ""; }
  }
  function selectTerm(term) { find(model("terms"), term); }
  document.addEventListener("click", (event) => {  // links in Bokeh's shadow roots: look along the event's path
    const a = event.composedPath().find((node) => node.dataset && node.dataset.term !== undefined);
    if (a) { event.preventDefault(); selectTerm(a.dataset.term); }
  });
  return {contrast, showTerm, showCategory, find, selectTerm, data};
})();
