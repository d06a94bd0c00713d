// UseCaseBrowser: composes the list, the detail and the leaderboard (each its own widget) and
// adds who you are, a new use case, and the assets shared with you. Below about 800 px of
// width the list and the detail stack (a container query in panels.css).

const KIND_LABEL = { dataset: "Dataset", project: "Project", application: "Application", notebook: "Notebook" };

function sharedView(model) {
  const rows = model.get("shared_rows");
  if (!rows.length) return h("div", { class: "ucw-empty ucw-muted" }, "Nothing has been shared with you by itself yet.");
  const head = h("tr", {}, ["Name", "Type", "Owner", "Shared", "Rows"].map((c) => h("th", { scope: "col" }, c)));
  const body = h("tbody", {}, rows.map((r) => h("tr", { "data-id": r.id, "data-kind": r.entity_type },
    h("td", { class: "ucw-col-name", title: r.name }, r.name),
    h("td", {}, KIND_LABEL[r.entity_type] || r.entity_type),
    h("td", {}, r.created_by),
    h("td", { title: ucwStamp(r.created_at) }, ucwAgo(r.created_at)),
    h("td", { class: "ucw-num" }, r.rows === null || r.rows === undefined ? "" : ucwFmt(r.rows)))));
  return h("div", { class: "ucw-grid" }, h("table", { class: "ucw-table ucw-shared-table" }, h("thead", {}, head), body));
}

export default {
  render({ model, el, host }) {
    const cleanup = ucwRoot(el, "browser");

    const chip = h("span", { class: "ucw-chip", title: "The identity the service knows you by" });
    const newName = h("input", { class: "ucw-input ucw-new-name", placeholder: "Name", "aria-label": "New use case name" });
    const newDescription = h("input", { class: "ucw-input ucw-new-description", placeholder: "Description (optional)", "aria-label": "New use case description" });
    const create = () => {
      ucwSend(model, "create", { name: newName.value, description: newDescription.value });
    };
    newName.addEventListener("keydown", (e) => e.key === "Enter" && create());
    const newForm = h("div", { class: "ucw-new-form", hidden: true }, newName, newDescription,
      ucwButton("Create", "ucw-primary ucw-create", create),
      ucwButton("Cancel", "ucw-cancel-new", () => { newForm.hidden = true; }));
    const useButton = ucwButton("Make current", "ucw-use", () => ucwSend(model, "make_current"), { title: "Make this the current use case of the notebook" });
    // The Trash view takes the list's place; the detail stays beside it (a restored use case opens there).
    const trashButton = ucwButton("Trash", "ucw-trash-toggle", () => ucwSend(model, "show_view", { view: model.get("view") === "trash" ? "use_cases" : "trash" }), { title: "What you deleted and may restore" });
    const header = h("div", { class: "ucw-header" },
      h("span", { class: "ucw-title" }, "Use cases"), chip,
      h("span", { class: "ucw-spacer" }),
      useButton,
      trashButton,
      ucwButton("New use case", "ucw-new", () => { newForm.hidden = !newForm.hidden; if (!newForm.hidden) newName.focus(); }),
      ucwButton("Refresh", "ucw-refresh", () => ucwSend(model, "refresh"), { title: "Reload from the service" }));

    const listEl = h("div", { class: "ucw-pane ucw-pane-list" });
    const detailEl = h("div", { class: "ucw-pane ucw-pane-detail" });
    const boardEl = h("div", { class: "ucw-pane-board" });
    // "Shared with me" in the list's filter also shows, under the use cases shared with you,
    // the assets shared with you by themselves: one control for both.
    const sharedEl = h("div", { class: "ucw-pane ucw-pane-shared" });
    const trashEl = h("div", { class: "ucw-pane ucw-pane-trash" });
    const layout = h("div", { class: "ucw-layout" }, h("div", { class: "ucw-main" }, listEl, sharedEl, trashEl),
      h("div", { class: "ucw-side" }, detailEl, boardEl));
    el.replaceChildren(header, newForm, ucwStatus(model, cleanup), ...["create", "refresh", "use", "view", "panel"].map((c) => ucwError(model, c, cleanup)), h("div", { class: "ucw-body" }, layout));

    // Escape in the detail goes back to the list (captured before the parts see the key).
    el.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || !detailEl.contains(e.target)) return;
      e.preventDefault();
      e.stopPropagation();
      const grid = listEl.querySelector(".ucw-grid");
      if (grid) {
        grid.focus();
        grid.scrollIntoView({ block: "nearest" });
      }
    }, true);

    const unmount = [
      ucwMount(host, model.get("list_view"), listEl),
      ucwMount(host, model.get("detail_view"), detailEl),
      ucwMount(host, model.get("leaderboard_view"), boardEl),
      ucwMount(host, model.get("trash_view"), trashEl),
    ];

    const paint = () => {
      const who = model.get("signed_in_as");
      chip.textContent = who ? `Signed in as ${who}` : "Signed in as …";
      const shared = model.get("view") === "shared";
      sharedEl.hidden = !shared;
      const trash = model.get("view") === "trash";
      trashEl.hidden = !trash;
      listEl.hidden = trash;
      trashButton.setAttribute("aria-pressed", String(trash));
      trashButton.textContent = trash ? "Back to use cases" : "Trash";
      if (shared) sharedEl.replaceChildren(h("div", { class: "ucw-section" }, "Assets shared with you by themselves"), sharedView(model));
    };
    model.on("change:signed_in_as change:view change:shared_rows", paint);
    model.on("change:notice", () => { if (model.get("notice").startsWith("Created")) { newForm.hidden = true; newName.value = newDescription.value = ""; } });
    paint();
    return () => [...unmount, ...cleanup].forEach((stop) => stop());
  },
};
