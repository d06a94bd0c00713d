// ActivityFeed: runs of changes, newest first, live; filters, mark read, open, load more.

function feedHeader(model, cleanup) {
  const badge = h("span", { class: "ucw-feed-unread" });
  const who = h("span", { class: "ucw-feed-me ucw-muted" });
  const live = h("span", { class: "ucw-feed-live" });
  const markAll = h("button", { class: "ucw-feed-mark-all", type: "button",
    onclick: () => ucwSend(model, "mark_all_read") }, "Mark all read");
  const draw = () => {
    const n = model.get("unread_count");
    badge.textContent = n ? `${n} unread` : "all read";
    badge.classList.toggle("ucw-has-unread", n > 0);
    markAll.disabled = n === 0;
    who.textContent = model.get("me") ? `signed in as ${model.get("me")}` : "";
    const state = model.get("live");
    live.textContent = state === "live" ? "● live" : state;
    live.dataset.state = state;
  };
  ucwListen(model, ["unread_count", "me", "live"], draw, cleanup);
  draw();
  return h("div", { class: "ucw-feed-head" },
    h("span", { class: "ucw-feed-title" }, "Activity"), badge, live,
    h("span", { class: "ucw-feed-spacer" }), who, markAll,
    ucwError(model, "mark_all", cleanup));
}

function feedFilter(model, trait, label, optionsOf, cleanup) {
  const select = h("select", { class: `ucw-feed-filter ucw-feed-${trait}`, "aria-label": label });
  const draw = () => {
    const chosen = model.get(trait);
    select.replaceChildren(h("option", { value: "" }, `any ${label}`),
      ...optionsOf().map(([value, text]) => h("option", { value }, text)));
    select.value = chosen;
  };
  select.addEventListener("change", () => { model.set(trait, select.value); model.save_changes(); });
  return [select, draw];
}

function feedFilters(model, cleanup) {
  const [uc, drawUc] = feedFilter(model, "use_case_id", "use case",
    () => model.get("use_cases").map((u) => [u.id, u.name]), cleanup);
  const [person, drawPerson] = feedFilter(model, "person", "person",
    () => model.get("people").map((p) => [p.id, p.name]), cleanup);
  const [kind, drawKind] = feedFilter(model, "kind", "kind",
    () => Object.entries(model.get("kinds")), cleanup);
  const draw = () => { drawUc(); drawPerson(); drawKind(); };
  ucwListen(model, ["use_cases", "people", "kinds", "use_case_id", "person", "kind"], draw, cleanup);
  draw();
  return h("div", { class: "ucw-feed-filters" }, uc, person, kind, ucwError(model, "filters", cleanup));
}

function feedItem(model, item) {
  const open = () => ucwSend(model, "open_item", { key: item.key });
  const li = h("li", { class: `ucw-feed-item${item.unread ? " ucw-unread" : ""}`, tabindex: "0",
      "data-key": item.key, "data-verb": item.verb, onclick: open },
    h("span", { class: "ucw-feed-dot", "aria-hidden": "true" }),
    h("span", { class: "ucw-feed-text" },
      h("b", { class: "ucw-feed-who" }, item.who), " ", item.what,
      item.count > 1 ? h("span", { class: "ucw-feed-count" }, ` · ${item.count} changes`) : null),
    h("span", { class: "ucw-feed-meta ucw-muted", title: item.at }, ucwAgo(item.at)),
    item.unread ? h("button", { class: "ucw-feed-read", type: "button", title: "Mark read",
      onclick: (e) => { e.stopPropagation(); ucwSend(model, "mark_read", { key: item.key }); } },
      "✓") : null);
  return li;
}

function feedList(model, cleanup) {
  const list = h("ul", { class: "ucw-feed-list", role: "list" });
  const draw = () => {
    const items = model.get("items");
    list.replaceChildren(...items.map((item) => feedItem(model, item)));
    if (!items.length) list.append(h("li", { class: "ucw-muted ucw-feed-empty" }, "Nothing yet."));
  };
  // Arrow keys move between items and stay in the widget (JupyterLab would move cells).
  list.addEventListener("keydown", (e) => {
    const item = e.target.closest(".ucw-feed-item");
    if (!item) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault(); e.stopPropagation();
      const next = e.key === "ArrowDown" ? item.nextElementSibling : item.previousElementSibling;
      if (next) next.focus();
    } else if (e.key === "Enter") {
      e.preventDefault(); e.stopPropagation(); item.click();
    }
  });
  ucwListen(model, ["items"], draw, cleanup);
  draw();
  return list;
}

function feedMore(model, cleanup) {
  const more = h("button", { class: "ucw-feed-more", type: "button",
    onclick: () => ucwSend(model, "load_more") }, "Load more");
  const draw = () => { more.hidden = !model.get("has_more"); };
  ucwListen(model, ["has_more"], draw, cleanup);
  draw();
  return h("div", { class: "ucw-feed-foot" }, more, ucwError(model, "more", cleanup));
}

function render({ model, el }) {
  const cleanup = [];
  el.append(h("div", { class: "ucw-root ucw-feed" },
    feedHeader(model, cleanup),
    feedFilters(model, cleanup),
    ucwStatus(model, cleanup),
    ucwError(model, "panel", cleanup),
    ucwError(model, "item", cleanup),
    feedList(model, cleanup),
    feedMore(model, cleanup)));
  const tick = setInterval(() => {
    el.querySelectorAll(".ucw-feed-meta").forEach((m) => { m.textContent = ucwAgo(m.title); });
  }, 30000);
  cleanup.push(() => clearInterval(tick));
  return ucwTeardown(cleanup);
}

export default { render };
