"use strict";
// TopicKit interactive report. Every document string is untrusted: it only ever reaches the page through
// textContent or text nodes, never innerHTML.
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const n = data.n;
  const NO_DATE = -2147483648;

  function bytesOf(b64) {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  const xs = new Float32Array(bytesOf(data.x).buffer);
  const ys = new Float32Array(bytesOf(data.y).buffer);
  const topicOf = new Int32Array(bytesOf(data.topic).buffer);
  const days = data.days ? new Int32Array(bytesOf(data.days).buffer) : null;
  const neighbors = data.neighbors ? new Int32Array(bytesOf(data.neighbors).buffer) : null;
  const topics = data.topics;

  const canvas = document.getElementById("map");
  const ctx = canvas.getContext("2d");
  const tooltip = document.getElementById("tooltip");
  const details = document.getElementById("details");
  const searchBox = document.getElementById("search");
  const matchCount = document.getElementById("match-count");

  // ---- State -------------------------------------------------------------------------------------------------
  const topicVisible = new Uint8Array(topics.length).fill(1);
  let outliersVisible = true;
  let dateFrom = NO_DATE, dateTo = 2147483647;
  let highlighted = null;          // Uint8Array of matches, or null without a query
  let query = "";
  let pinned = -1;
  let view = { scale: 1, tx: 0, ty: 0 };
  let base = { scale: 1, tx: 0, ty: 0 };

  // Draw order: outliers first (underneath), then biggest topics first so small topics stay visible on top.
  const rank = new Int32Array(topics.length + 1);
  topics.forEach((t, i) => { rank[i + 1] = topics.length - t.rank; });
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => rank[topicOf[a] + 1] - rank[topicOf[b] + 1]);

  // ---- Data bounds and a uniform grid for hit testing -----------------------------------------------------------
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    if (xs[i] < minX) minX = xs[i]; if (xs[i] > maxX) maxX = xs[i];
    if (ys[i] < minY) minY = ys[i]; if (ys[i] > maxY) maxY = ys[i];
  }
  if (!(maxX > minX)) { minX -= 1; maxX += 1; }
  if (!(maxY > minY)) { minY -= 1; maxY += 1; }
  const G = Math.max(8, Math.min(512, Math.ceil(Math.sqrt(n / 4))));
  const cellW = (maxX - minX) / G, cellH = (maxY - minY) / G;
  const cellOf = (x, y) => Math.min(G - 1, Math.max(0, Math.floor((x - minX) / cellW))) +
    G * Math.min(G - 1, Math.max(0, Math.floor((y - minY) / cellH)));
  const cellStart = new Int32Array(G * G + 1);
  const cellItems = new Int32Array(n);
  for (let i = 0; i < n; i++) cellStart[cellOf(xs[i], ys[i]) + 1]++;
  for (let c = 0; c < G * G; c++) cellStart[c + 1] += cellStart[c];
  {
    const fill = cellStart.slice(0, G * G);
    for (let i = 0; i < n; i++) cellItems[fill[cellOf(xs[i], ys[i])]++] = i;
  }

  // ---- Texts: one deflated blob, records split lazily ------------------------------------------------------------
  // Record i is "id\x1fdate\x1ftitle\x1fauthors\x1fabstract" and records end with \x1e. Only the record offsets are
  // computed up front; a record's fields are split when it is shown.
  let blob = null, lower = null, recStart = null, lowStart = null, lowSearch = null, idIndex = null;
  const textsReady = (async () => {
    const stream = new Blob([bytesOf(data.texts)]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    blob = await new Response(stream).text();
    recStart = offsets(blob, null);
    lower = blob.toLowerCase();
    lowSearch = new Int32Array(n);
    lowStart = offsets(lower, lowSearch);
    idIndex = new Map();
    for (let i = 0; i < n; i++) idIndex.set(record(i)[0], i);
    canvas.dataset.texts = "ready";
  })();
  function offsets(text, searchStart) {
    const starts = new Int32Array(n + 1);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      starts[i] = pos;
      if (searchStart) {
        // Searchable text starts after the id and date fields.
        const a = text.indexOf("\x1f", pos);
        searchStart[i] = text.indexOf("\x1f", a + 1) + 1;
      }
      pos = text.indexOf("\x1e", pos) + 1;
    }
    starts[n] = pos;
    return starts;
  }
  function record(i) {
    return blob.substring(recStart[i], recStart[i + 1] - 1).split("\x1f");
  }
  function docInfo(i) {
    const r = record(i);
    return { id: r[0], date: r[1], title: r[2], authors: r[3], abstract: r[4] };
  }

  // ---- View ------------------------------------------------------------------------------------------------------
  let cssW = 0, cssH = 0, dpr = 1;
  function resize() {
    dpr = window.devicePixelRatio || 1;
    cssW = canvas.clientWidth; cssH = canvas.clientHeight;
    canvas.width = Math.max(1, Math.round(cssW * dpr));
    canvas.height = Math.max(1, Math.round(cssH * dpr));
    const pad = 24;
    const s = Math.min((cssW - 2 * pad) / (maxX - minX), (cssH - 2 * pad) / (maxY - minY));
    base = { scale: s, tx: (cssW - s * (maxX - minX)) / 2 - s * minX, ty: (cssH + s * (maxY - minY)) / 2 + s * minY };
  }
  const sx = (x) => x * view.scale + view.tx;
  const sy = (y) => view.ty - y * view.scale;
  const dataX = (px) => (px - view.tx) / view.scale;
  const dataY = (py) => (view.ty - py) / view.scale;

  function visible(i) {
    const t = topicOf[i];
    if (t < 0 ? !outliersVisible : !topicVisible[t]) return false;
    if (days && (days[i] === NO_DATE ? dateFrom !== NO_DATE || dateTo !== 2147483647 : days[i] < dateFrom || days[i] > dateTo)) return false;
    return true;
  }

  // ---- Drawing -----------------------------------------------------------------------------------------------------
  let frameRequested = false;
  function requestDraw() {
    if (!frameRequested) { frameRequested = true; requestAnimationFrame(() => { frameRequested = false; draw(); }); }
  }
  function draw() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    const zoom = view.scale / base.scale;
    const r = Math.min(6, Math.max(1, (n > 50000 ? 1 : n > 5000 ? 1.5 : 2.5) * Math.sqrt(zoom)));
    const d = 2 * r;
    let drawn = 0, lastColor = null;
    ctx.globalAlpha = highlighted ? 0.18 : 0.85;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      if (!visible(i)) continue;
      const px = xs[i] * view.scale + view.tx, py = view.ty - ys[i] * view.scale;
      drawn++;
      if (px < -d || py < -d || px > cssW + d || py > cssH + d) continue;
      const t = topicOf[i];
      const color = t < 0 ? data.outlierColor : topics[t].color;
      if (color !== lastColor) { ctx.fillStyle = color; lastColor = color; }
      ctx.fillRect(px - r, py - r, d, d);
    }
    if (highlighted) {
      ctx.globalAlpha = 1;
      ctx.strokeStyle = "#111";
      ctx.lineWidth = 1;
      for (let i = 0; i < n; i++) {
        if (!highlighted[i] || !visible(i)) continue;
        const px = sx(xs[i]), py = sy(ys[i]);
        const t = topicOf[i];
        ctx.fillStyle = t < 0 ? "#888" : topics[t].color;
        ctx.beginPath(); ctx.arc(px, py, r + 2.5, 0, 6.2832); ctx.fill(); ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    if (pinned >= 0) {
      ctx.strokeStyle = "#000"; ctx.lineWidth = 2.5;
      ctx.beginPath(); ctx.arc(sx(xs[pinned]), sy(ys[pinned]), r + 6, 0, 6.2832); ctx.stroke();
    }
    drawLabels(zoom);
    canvas.dataset.points = String(drawn);
    if (!canvas.dataset.drawnMs) {
      canvas.dataset.drawnMs = String(Math.round(performance.now()));
      document.getElementById("loading").remove();
    }
  }

  // Labels: the hierarchy level matching the zoom (coarse groups far out, single topics close in), placed greedily
  // biggest first and skipped when they would overlap a label already drawn.
  function drawLabels(zoom) {
    const levels = data.levels;
    if (!levels.length) return;
    // One level finer per doubling of the zoom, starting from the second (about 16 labels) at the full view.
    const level = levels[Math.max(0, Math.min(levels.length - 1, Math.floor(Math.log2(zoom) + 1)))];
    ctx.font = "12px 'DejaVu Sans', system-ui, sans-serif";
    ctx.textBaseline = "middle";
    ctx.textAlign = "center";
    const boxes = [];
    for (const label of level) {
      if (!label.topics.some((t) => topicVisible[t])) continue;
      const px = sx(label.x), py = sy(label.y);
      const w = ctx.measureText(label.text).width + 10, h = 18;
      const box = [px - w / 2, py - h / 2, px + w / 2, py + h / 2];
      if (box[2] < 0 || box[3] < 0 || box[0] > cssW || box[1] > cssH) continue;
      if (boxes.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
      boxes.push(box);
      ctx.fillStyle = "rgba(255,255,255,0.85)";
      ctx.fillRect(box[0], box[1], w, h);
      ctx.strokeStyle = label.color; ctx.lineWidth = 1;
      ctx.strokeRect(box[0] + 0.5, box[1] + 0.5, w - 1, h - 1);
      ctx.fillStyle = "#1a1a1a";
      ctx.fillText(label.text, px, py + 0.5);
    }
  }

  // ---- Hit testing -------------------------------------------------------------------------------------------------
  function pointAt(px, py) {
    const radius = 7 / view.scale;
    const x = dataX(px), y = dataY(py);
    const c0 = Math.max(0, Math.floor((x - radius - minX) / cellW)), c1 = Math.min(G - 1, Math.floor((x + radius - minX) / cellW));
    const r0 = Math.max(0, Math.floor((y - radius - minY) / cellH)), r1 = Math.min(G - 1, Math.floor((y + radius - minY) / cellH));
    let best = -1, bestD = radius * radius;
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        const c = col + G * row;
        for (let k = cellStart[c]; k < cellStart[c + 1]; k++) {
          const i = cellItems[k];
          const dx = xs[i] - x, dy = ys[i] - y, dd = dx * dx + dy * dy;
          if (dd <= bestD && visible(i)) { best = i; bestD = dd; }
        }
      }
    }
    return best;
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function topicName(i) {
    const t = topicOf[i];
    return t < 0 ? "outlier (no topic)" : topics[t].id + ": " + topics[t].label;
  }
  function meta(info, i) {
    return [info.authors, info.date, topicName(i)].filter((s) => s).join(" · ");
  }
  // Text with the current query's matches wrapped in <mark>, built from text nodes only.
  function highlightedText(parent, text) {
    if (!query) { parent.appendChild(document.createTextNode(text)); return parent; }
    const low = text.toLowerCase();
    let pos = 0, hit;
    while (low.length === text.length && (hit = low.indexOf(query, pos)) >= 0) {
      parent.appendChild(document.createTextNode(text.substring(pos, hit)));
      parent.appendChild(el("mark", null, text.substring(hit, hit + query.length)));
      pos = hit + query.length;
    }
    parent.appendChild(document.createTextNode(text.substring(pos)));
    return parent;
  }

  function showTooltip(i, px, py) {
    if (i < 0 || !blob) { tooltip.hidden = true; return; }
    const info = docInfo(i);
    tooltip.replaceChildren(
      el("div", "t-title", info.title || info.id),
      el("div", "t-meta", meta(info, i)),
      el("div", "t-snippet", info.abstract.length > 260 ? info.abstract.substring(0, 257) + "…" : info.abstract));
    tooltip.hidden = false;
    const w = tooltip.offsetWidth, h = tooltip.offsetHeight;
    tooltip.style.left = Math.min(px + 14, cssW - w - 4) + "px";
    tooltip.style.top = (py + 14 + h > cssH ? Math.max(0, py - h - 10) : py + 14) + "px";
  }

  function docButton(j) {
    const b = el("button", "doc-link", (docInfo(j).title || docInfo(j).id));
    b.type = "button";
    b.addEventListener("click", () => pin(j));
    return b;
  }
  function nearest(i, k) {
    if (neighbors) {
      const out = [];
      for (let m = 0; m < data.k; m++) { const j = neighbors[i * data.k + m]; if (j >= 0 && j !== i) out.push(j); }
      return out;
    }
    // Without given neighbours: the k nearest documents on the map (one pass, insertion into a short list).
    const best = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = xs[j] - xs[i], dy = ys[j] - ys[i], dd = dx * dx + dy * dy;
      if (best.length < k || dd < best[best.length - 1][0]) {
        let p = best.length;
        while (p > 0 && best[p - 1][0] > dd) p--;
        best.splice(p, 0, [dd, j]);
        if (best.length > k) best.pop();
      }
    }
    return best.map((b) => b[1]);
  }
  const groupOf = new Map();
  data.dups.forEach((g, gi) => g.ids.forEach((id) => groupOf.set(id, gi)));

  function pin(i) {
    pinned = i;
    requestDraw();
    if (i < 0) { details.hidden = true; return; }
    const info = docInfo(i);
    const close = el("button", "close", "Close");
    close.type = "button";
    close.style.float = "right";
    close.addEventListener("click", () => pin(-1));
    const parts = [close, highlightedText(el("div", "d-title"), info.title || info.id)];
    const metaLine = el("div", "d-meta");
    if (info.authors) highlightedText(metaLine, info.authors);
    const rest = [info.date, topicName(i), "id " + info.id].filter((s) => s);
    metaLine.appendChild(document.createTextNode((info.authors ? " · " : "") + rest.join(" · ")));
    parts.push(metaLine, highlightedText(el("div", "d-abstract"), info.abstract || "(no abstract)"));
    parts.push(el("h3", null, "Nearest neighbours"));
    const list = el("ol");
    for (const j of nearest(i, data.k || 8)) { const li = el("li"); li.appendChild(docButton(j)); list.appendChild(li); }
    parts.push(list);
    const g = groupOf.get(info.id);
    parts.push(el("h3", null, "Duplicate group"));
    if (g === undefined) {
      parts.push(el("p", "d-meta", "Not in a near-duplicate group."));
    } else {
      const ul = el("ul");
      for (const id of data.dups[g].ids) {
        const j = idIndex.get(id);
        const li = el("li");
        if (j === undefined) li.textContent = id; else li.appendChild(docButton(j));
        if (id === data.dups[g].canonical) li.appendChild(document.createTextNode(" (canonical)"));
        ul.appendChild(li);
      }
      parts.push(ul);
    }
    details.replaceChildren(...parts);
    details.hidden = false;
    canvas.dataset.pinned = info.id;
  }

  // ---- Search ------------------------------------------------------------------------------------------------------
  let searchTimer = 0;
  async function runSearch() {
    await textsReady;
    query = searchBox.value.trim().toLowerCase();
    if (!query) {
      highlighted = null;
      matchCount.textContent = "";
      canvas.dataset.highlighted = "0";
    } else {
      const hits = new Uint8Array(n);
      let count = 0, rec = 0, pos = lower.indexOf(query);
      while (pos >= 0) {
        while (lowStart[rec + 1] <= pos) rec++;
        if (pos >= lowSearch[rec]) {
          hits[rec] = 1; count++;
          pos = lower.indexOf(query, lowStart[rec + 1]);
        } else {
          pos = lower.indexOf(query, lowSearch[rec]);
        }
      }
      highlighted = hits;
      matchCount.textContent = count.toLocaleString("en") + " matching";
      canvas.dataset.highlighted = String(count);
    }
    if (pinned >= 0) pin(pinned); else requestDraw();
  }
  searchBox.addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(runSearch, 120); });

  // ---- Pan, zoom, hover, click -------------------------------------------------------------------------------------
  let drag = null;
  canvas.addEventListener("pointerdown", (e) => { drag = { x: e.offsetX, y: e.offsetY, tx: view.tx, ty: view.ty, moved: false }; });
  canvas.addEventListener("pointermove", (e) => {
    if (drag && (e.buttons & 1)) {
      const dx = e.offsetX - drag.x, dy = e.offsetY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) { view.tx = drag.tx + dx; view.ty = drag.ty + dy; tooltip.hidden = true; requestDraw(); return; }
    }
    showTooltip(pointAt(e.offsetX, e.offsetY), e.offsetX, e.offsetY);
  });
  canvas.addEventListener("pointerup", (e) => {
    if (drag && !drag.moved) { const i = pointAt(e.offsetX, e.offsetY); if (i >= 0) textsReady.then(() => pin(i)); }
    drag = null;
  });
  canvas.addEventListener("pointerleave", () => { tooltip.hidden = true; });
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    const f = Math.exp(-e.deltaY * 0.0015);
    const zoom = view.scale * f / base.scale;
    if (zoom < 0.5 || zoom > 4096) return;
    view.tx = e.offsetX - (e.offsetX - view.tx) * f;
    view.ty = e.offsetY - (e.offsetY - view.ty) * f;
    view.scale *= f;
    requestDraw();
  }, { passive: false });
  document.getElementById("reset-view").addEventListener("click", () => { view = { ...base }; requestDraw(); });
  window.addEventListener("resize", () => { const z = view.scale / base.scale; resize(); view = { ...base, scale: base.scale * z }; if (z === 1) view = { ...base }; requestDraw(); });

  // ---- Legend (topic list) and duplicates table --------------------------------------------------------------------
  const list = document.getElementById("topic-list");
  const boxes = [];
  function legendRow(name, color, size, keywords, checked, onToggle) {
    const li = el("li");
    const label = el("label");
    const box = el("input");
    box.type = "checkbox"; box.checked = checked;
    box.addEventListener("change", () => onToggle(box.checked));
    const swatch = el("span", "swatch"); swatch.style.background = color;
    label.append(box, swatch, el("span", "name", name), el("span", "size", size.toLocaleString("en")));
    li.appendChild(label);
    if (keywords) li.appendChild(el("div", "kw", keywords));
    list.appendChild(li);
    return box;
  }
  topics.map((t, i) => i).sort((a, b) => topics[a].rank - topics[b].rank).forEach((i) => {
    const t = topics[i];
    boxes.push(legendRow(t.id + ": " + t.label, t.color, t.size, t.keywords.join(", "), true, (on) => { topicVisible[i] = on ? 1 : 0; requestDraw(); }));
  });
  const outlierCount = topicOf.reduce((s, t) => s + (t < 0 ? 1 : 0), 0);
  let outlierBox = null;
  if (outlierCount > 0) outlierBox = legendRow("outliers (no topic)", data.outlierColor, outlierCount, "", true, (on) => { outliersVisible = on; requestDraw(); });
  function setAll(on) {
    topicVisible.fill(on ? 1 : 0); outliersVisible = on;
    boxes.forEach((b) => { b.checked = on; });
    if (outlierBox) outlierBox.checked = on;
    requestDraw();
  }
  document.getElementById("show-all").addEventListener("click", () => setAll(true));
  document.getElementById("hide-all").addEventListener("click", () => setAll(false));

  textsReady.then(() => {
    const host = document.getElementById("duplicates");
    if (!data.dups.length) { host.appendChild(el("p", "d-meta", "No near-duplicate groups.")); return; }
    const table = el("table");
    const head = el("tr");
    ["#", "documents", "semantic", "lexical"].forEach((h) => head.appendChild(el("th", null, h)));
    table.appendChild(head);
    data.dups.forEach((g, gi) => {
      const tr = el("tr");
      tr.appendChild(el("td", null, String(gi + 1)));
      const cell = el("td");
      g.ids.forEach((id, m) => {
        const j = idIndex.get(id);
        const b = el("button", null, id === g.canonical ? id + " (canonical)" : id);
        b.type = "button";
        if (j !== undefined) { b.title = docInfo(j).title; b.addEventListener("click", () => pin(j)); }
        if (m > 0) cell.appendChild(document.createTextNode(", "));
        cell.appendChild(b);
      });
      tr.appendChild(cell);
      const best = (f) => g.pairs.length ? Math.max(...g.pairs.map((p) => p[f])).toFixed(3) : "";
      tr.append(el("td", null, best(2)), el("td", null, best(3)));
      table.appendChild(tr);
    });
    host.appendChild(table);
  });

  // ---- Date filter -------------------------------------------------------------------------------------------------
  if (days) {
    let lo = 2147483647, hi = NO_DATE;
    for (let i = 0; i < n; i++) if (days[i] !== NO_DATE) { if (days[i] < lo) lo = days[i]; if (days[i] > hi) hi = days[i]; }
    if (hi >= lo) {
      const iso = (d) => new Date(d * 86400000).toISOString().substring(0, 10);
      const from = document.getElementById("date-from"), to = document.getElementById("date-to");
      from.min = to.min = iso(lo); from.max = to.max = iso(hi);
      from.value = iso(lo); to.value = iso(hi);
      const apply = () => {
        const f = from.value ? Math.floor(Date.parse(from.value) / 86400000) : lo;
        const t = to.value ? Math.floor(Date.parse(to.value) / 86400000) : hi;
        // The full range means "no filter", so undated documents stay visible until a narrower range is chosen.
        dateFrom = f <= lo && t >= hi ? NO_DATE : f;
        dateTo = f <= lo && t >= hi ? 2147483647 : t;
        requestDraw();
      };
      from.addEventListener("change", apply); to.addEventListener("change", apply);
      document.getElementById("date-filter").hidden = false;
    }
  }

  // A small read-only handle for scripts and tests: screen position of a document and its index by id.
  window.TopicKitReport = Object.freeze({
    count: n,
    clientPoint(i) { const r = canvas.getBoundingClientRect(); return { x: r.left + sx(xs[i]), y: r.top + sy(ys[i]) }; },
    indexOf(id) { return textsReady.then(() => (idIndex.has(id) ? idIndex.get(id) : -1)); },
  });

  resize();
  view = { ...base };
  requestDraw();
})();
