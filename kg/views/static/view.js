// papers-kg neighbourhood view: draws the network from the page's JSON data block with vis-network.
// Every text from the graph goes into the DOM as text (textContent), never as HTML; only http(s)
// addresses become links, and node pages are local file names written by papers-kg.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var PAGE_NAME = /^[a-z0-9][a-z0-9._-]*\.html$/;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
    return node;
  }

  function safeHref(href) {
    return typeof href === "string" && /^https?:\/\/[^\s"'<>\\`]+$/i.test(href) ? href : null;
  }

  function pageOf(node) {
    return node && typeof node.page === "string" && PAGE_NAME.test(node.page) ? node.page : null;
  }

  function linkList(links) {
    var list = el("ul", "links");
    (links || []).forEach(function (link) {
      var href = safeHref(link.href);
      if (!href) return;
      var a = el("a", null, link.text);
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.title = href;
      var item = el("li");
      item.appendChild(a);
      list.appendChild(item);
    });
    return list.childNodes.length ? list : null;
  }

  function nodeCard(info, full) {
    var card = el("div", "card");
    var head = el("div", "card-head");
    var chip = el("span", "chip", info.label);
    chip.style.setProperty("--c", (data.labels[info.label] || {}).color || "#777");
    head.appendChild(chip);
    head.appendChild(el("strong", null, info.name));
    card.appendChild(head);
    if (info.title && info.title !== info.name) card.appendChild(el("p", "title", info.title));
    var meta = [info.published, info.authors].filter(Boolean).join(" · ");
    if (meta) card.appendChild(el("p", "meta", meta));
    if (info.papers !== undefined) card.appendChild(el("p", "meta", info.papers + (info.papers === 1 ? " paper" : " papers")));
    if (info.abstract) card.appendChild(el("p", "abstract", info.abstract));
    if (info.aliases && info.aliases.length) card.appendChild(el("p", "meta", "also: " + info.aliases.join(", ")));
    if (full) {
      var links = linkList(info.links);
      if (links) card.appendChild(links);
    } else if (info.links && info.links.length) {
      card.appendChild(el("p", "meta", "Click the node for its links."));
    }
    card.appendChild(el("p", "id", info.id));
    return card;
  }

  function edgeCard(info) {
    var card = el("div", "card");
    var head = el("div", "card-head");
    head.appendChild(el("strong", null, (data.rels[info.type] || {}).caption || info.type));
    var facts = ["confidence " + info.confidence];
    if (info.count > 1) facts.push("read " + info.count + " times");
    ["role", "how"].forEach(function (key) { if (info[key]) facts.push(key + ": " + info[key]); });
    head.appendChild(el("span", "meta", " " + facts.join(" · ")));
    card.appendChild(head);
    if (info.evidence) card.appendChild(el("blockquote", "evidence", info.evidence));
    if (info.source) card.appendChild(el("p", "id", info.source));
    return card;
  }

  data.nodes.forEach(function (node) { node.title = nodeCard(node.info, false); });
  data.edges.forEach(function (edge) { edge.title = edgeCard(edge.info); });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("kg-network");
  var details = document.getElementById("kg-details");
  var started = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var view = { network: network, nodes: nodes, edges: edges, stabilizedMs: null, opened: null };
  window.kgView = view;

  function settle() {
    if (view.stabilizedMs !== null) return;
    view.stabilizedMs = Math.round(performance.now() - started);
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    document.body.setAttribute("data-ready", "true");
  }
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);

  function show(nodeId) {
    var node = nodes.get(nodeId);
    if (!node) return;
    details.replaceChildren(nodeCard(node.info, true));
    var page = pageOf(node);
    if (page && nodeId !== data.center) {
      var open = el("a", "open", "Open the page of " + node.info.name + " →");
      open.href = page;
      details.appendChild(open);
    }
    details.appendChild(el("p", "hint", data.hint));
  }

  function open(nodeId) {
    var page = pageOf(nodes.get(nodeId));
    if (!page || nodeId === data.center) return;
    view.opened = page;
    window.location.href = page;
  }

  network.on("click", function (params) {
    if (params.nodes.length) show(params.nodes[0]);
    else if (params.edges.length) details.replaceChildren(edgeCard(edges.get(params.edges[0]).info));
  });
  network.on("doubleClick", function (params) { if (params.nodes.length) open(params.nodes[0]); });
  show(data.center);
})();
