// UseCaseList: the table of use cases. Search, sort, filter and paging run in the kernel's
// service; this module draws one page and moves a highlight with the keyboard.

// Columns in the order they give way as the table narrows (list.css): description first, then
// members, then assets and your role; name, owner and updated always stay.
const COLUMNS = [
  { key: "name", label: "Name", sort: "name" },
  { key: "description", label: "Description" },
  { key: "owner", label: "Owner" },
  { key: "role", label: "Role", title: "Your role" },
  { key: "assets", label: "Assets", num: true },
  { key: "members", label: "Members", num: true },
  { key: "updated_at", label: "Updated", sort: "updatedAt" },
];
const FILTERS = [["all", "All"], ["mine", "Mine"], ["shared", "Shared with me"]];
const ROLE_LABEL = { OWNER: "Owner", EDITOR: "Editor", CONSUMER: "Consumer" };

function cell(row, column) {
  const css = `ucw-col-${column.key}${column.num ? " ucw-num" : ""}`;
  if (column.key === "updated_at") {
    const by = row.updated_by ? ` by ${row.updated_by}` : "";
    return h("td", { class: "ucw-col-updated", title: ucwStamp(row.updated_at) + by }, ucwAgo(row.updated_at));
  }
  if (column.key === "owner") return h("td", { class: css, title: row.owner_title || row.owner }, row.owner_short ?? row.owner);
  if (column.key === "role") return h("td", { class: css }, ROLE_LABEL[row.role] || row.role);
  if (column.key === "name") {
    // The tags follow the name in what room it leaves (list.css hides them when narrow).
    return h("td", { class: css, title: [row.name, ...(row.tags || [])].join(" · ") }, h("div", { class: "ucw-name-cell" },
      h("span", { class: "ucw-name" }, row.name),
      (row.tags || []).length ? h("span", { class: "ucw-row-tags" }, row.tags.map((t) => h("span", { class: "ucw-tag", "data-tag": t },
        h("button", { type: "button", class: "ucw-tag-label", tabindex: -1, title: `Show the use cases tagged ${t}` }, t)))) : null));
  }
  const value = row[column.key];
  return h("td", { class: css, title: column.num ? null : value }, column.num ? ucwFmt(value) : value);
}

export default {
  render({ model, el }) {
    const cleanup = ucwRoot(el, "list");

    const search = h("input", {
      type: "search", class: "ucw-input ucw-list-search", placeholder: "Search names and descriptions",
      "aria-label": "Search use cases", value: model.get("search"),
    });
    // The first key after a pause searches at once; a burst of keys searches at most every
    // 40 ms (the kernel drops the answers typing has overtaken).
    const pushSearch = ucwDebounce(() => {
      if (search.value.trim() !== model.get("search")) ucwSet(model, "search", search.value.trim());
    }, 40, true);
    search.addEventListener("input", () => pushSearch());
    search.addEventListener("keydown", (e) => {
      if (e.key === "Enter") pushSearch.flush();
      if (e.key === "ArrowDown") { e.preventDefault(); grid.focus(); }
    });

    const filters = h("div", { class: "ucw-segmented", role: "radiogroup", "aria-label": "Show" });
    for (const [value, label] of FILTERS) {
      filters.append(ucwButton(label, "ucw-filter", () => ucwSet(model, "filter", value), {
        role: "radio", "data-filter": value,
      }));
    }

    // The tag filter: the tags listed use cases must all carry, as chips with ×, and a field.
    const tagChips = h("span", { class: "ucw-tag-chips" });
    const tagInput = h("input", { class: "ucw-input ucw-tag-filter", placeholder: "Filter by tag", "aria-label": "Filter by tag", maxlength: 50 });
    const addTag = (t) => !model.get("tags").includes(t) && ucwSet(model, "tags", [...model.get("tags"), t]);
    tagInput.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" || !tagInput.value.trim()) return;
      addTag(tagInput.value.trim());
      tagInput.value = "";
    });
    const tagBar = h("div", { class: "ucw-tags ucw-tag-filters" }, tagChips, tagInput);
    const paintTags = () => tagChips.replaceChildren(...model.get("tags").map((t) => h("span", { class: "ucw-tag ucw-tag-active", "data-tag": t },
      h("span", { class: "ucw-tag-label" }, t),
      h("button", { type: "button", class: "ucw-tag-remove", "aria-label": `Stop filtering by ${t}`, onclick: () => ucwSet(model, "tags", model.get("tags").filter((x) => x !== t)) }, "×"))));

    const head = h("tr");
    for (const column of COLUMNS) {
      const th = h("th", { scope: "col", class: `ucw-col-${column.key}${column.num ? " ucw-num" : ""}`, title: column.title || column.label });
      if (column.sort) {
        th.append(ucwButton(column.label, "ucw-sort", () => {
          const current = model.get("order_by");
          const next = current === column.sort ? `-${column.sort}` : column.sort;
          ucwSet(model, "order_by", next);
        }, { "data-sort": column.sort }));
      } else th.append(column.label);
      head.append(th);
    }
    const body = h("tbody");
    const grid = h("div", {
      class: "ucw-grid", tabindex: "0", role: "grid", "aria-label": "Use cases",
    }, h("table", { class: "ucw-table ucw-list-table" }, h("thead", {}, head), body));

    const pageLabel = h("span", { class: "ucw-page" });
    const prev = ucwButton("‹ Previous", "ucw-prev", () => ucwSend(model, "previous_page"), { "aria-label": "Previous page" });
    const next = ucwButton("Next ›", "ucw-next", () => ucwSend(model, "next_page"), { "aria-label": "Next page" });
    const empty = h("div", { class: "ucw-empty ucw-muted" });

    el.replaceChildren(
      h("div", { class: "ucw-toolbar" }, search, filters), tagBar,
      ucwStatus(model, cleanup),
      ...["search", "pager", "panel", "live"].map((control) => ucwError(model, control, cleanup)),
      grid, empty,
      h("div", { class: "ucw-pager" }, prev, pageLabel, next),
    );

    const rowsById = () => model.get("rows").map((r) => r.id);
    const moveTo = (id) => {
      if (id && id !== model.get("cursor")) ucwSet(model, "cursor", id);
    };
    const open = (id) => {
      if (!id) return;
      model.set("cursor", id);
      model.set("selected", id);
      model.save_changes();
    };

    grid.addEventListener("keydown", (e) => {
      const ids = rowsById();
      const at = ids.indexOf(model.get("cursor"));
      const keys = {
        ArrowDown: () => (at + 1 < ids.length ? moveTo(ids[at + 1]) : model.get("has_more") && ucwSend(model, "next_page")),
        ArrowUp: () => (at > 0 ? moveTo(ids[at - 1]) : model.get("offset") > 0 && ucwSend(model, "previous_page")),
        Home: () => moveTo(ids[0]),
        End: () => moveTo(ids[ids.length - 1]),
        PageDown: () => model.get("has_more") && ucwSend(model, "next_page"),
        PageUp: () => model.get("offset") > 0 && ucwSend(model, "previous_page"),
        Enter: () => open(model.get("cursor")),
      };
      if (keys[e.key]) {
        e.preventDefault();
        keys[e.key]();
      }
    });
    body.addEventListener("click", (e) => {
      const chip = e.target.closest(".ucw-tag");
      if (chip) return addTag(chip.dataset.tag);
      const tr = e.target.closest("tr[data-id]");
      if (tr) open(tr.dataset.id);
    });

    const paintRows = () => {
      const cursor = model.get("cursor");
      const selected = model.get("selected");
      body.replaceChildren(...model.get("rows").map((row) => {
        const tr = h("tr", {
          "data-id": row.id, role: "row", "aria-selected": String(row.id === selected),
          class: `${row.id === cursor ? "ucw-cursor" : ""} ${row.id === selected ? "ucw-selected" : ""}`,
        }, COLUMNS.map((c) => cell(row, c)));
        return tr;
      }));
      const mark = body.querySelector(".ucw-cursor");
      if (mark && grid.contains(document.activeElement)) mark.scrollIntoView({ block: "nearest" });
    };
    const paintMeta = () => {
      const rows = model.get("rows"), offset = model.get("offset"), total = model.get("total");
      const span = rows.length ? `${ucwFmt(offset + 1)}–${ucwFmt(offset + rows.length)}` : "";
      pageLabel.textContent = rows.length
        ? (total === null ? span : `${span} of ${ucwFmt(total)}`)
        : (offset ? "No more use cases" : "");
      prev.disabled = offset === 0;
      next.disabled = !model.get("has_more");
      const q = model.get("search");
      const tagged = model.get("tags").length ? ` tagged ${model.get("tags").join(" and ")}` : "";
      empty.textContent = rows.length ? "" : q || tagged
        ? `No use case${q ? ` matches “${q}”` : ""}${tagged}.`
        : model.get("filter") === "all" ? "You have no use cases yet: create one with “New use case”." : "None here.";
      empty.hidden = rows.length > 0;
      const order = model.get("order_by");
      for (const b of head.querySelectorAll("[data-sort]")) {
        const key = b.dataset.sort;
        const state = order === key ? "ascending" : order === `-${key}` ? "descending" : "none";
        b.parentElement.setAttribute("aria-sort", state);
        b.dataset.dir = state;
      }
      for (const b of filters.querySelectorAll("[data-filter]")) {
        b.setAttribute("aria-checked", String(b.dataset.filter === model.get("filter")));
      }
      if (document.activeElement !== search && search.value.trim() !== model.get("search")) {
        search.value = model.get("search");
      }
      el.dataset.loaded = String(model.get("loaded"));
    };
    const paint = () => { paintRows(); paintMeta(); };
    model.on("change:rows change:cursor change:selected", paintRows);
    model.on("change:tags", paintTags);
    paintTags();
    model.on("change:rows change:offset change:total change:has_more change:order_by change:filter change:search change:tags change:loaded", paintMeta);
    paint();
    return ucwTeardown(cleanup);
  },
};
