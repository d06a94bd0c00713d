// SharingEditor: the members of a use case (or of one asset) and the staged changes; Apply
// sends them together. Typing a name searches the service's users and flags one that matches
// no one; Enter adds the person. Each role is explained in plain words. Teammates' changes
// arrive live (rows repaint, staged changes stay); a use case deleted elsewhere turns it off.

function roleSelect(roles, value, words, attrs) {
  return h("select", { class: "ucw-role", ...attrs }, roles.map((r) => {
    const option = h("option", { value: r, title: words[r] || "" }, r.charAt(0) + r.slice(1).toLowerCase());
    option.selected = r === value;
    return option;
  }));
}

function memberRow(model, row, words) {
  const key = row.key;
  const select = roleSelect(row.roles, row.role, words, { "aria-label": `Role of ${row.username}` });
  select.disabled = row.removing || row.roles.length < 2;
  select.addEventListener("change", () => ucwSend(model, "set_role", { member: key, role: select.value }));
  const share = h("input", { type: "checkbox", class: "ucw-row-can-share", "aria-label": `${row.username} can share` });
  share.checked = row.can_share;
  share.disabled = !row.can_toggle;
  share.addEventListener("change", () => ucwSend(model, "set_can_share", { member: key, can_share: share.checked }));
  const remove = ucwButton(row.removing ? "Undo" : row.is_self ? "Leave" : "Remove", "ucw-row-remove",
    () => ucwSend(model, "toggle_remove", { member: key }));
  remove.disabled = !row.can_remove;
  const tag = row.is_self ? " (you)" : row.new ? " (new)" : "";
  return h("div", { class: `ucw-share-row${row.removing ? " ucw-removing" : ""}${row.changed ? " ucw-changed" : ""}`, "data-key": key, role: "listitem" },
    h("div", { class: "ucw-member" }, h("div", { class: "ucw-member-name" }, row.username, h("span", { class: "ucw-muted" }, tag)),
      h("div", { class: "ucw-muted" }, row.full_name)),
    h("div", { class: "ucw-member-controls" }, select, h("label", {}, share, " can share"), remove),
    h("div", { class: "ucw-muted ucw-role-words" }, words[row.role] || ""));
}

export default {
  render({ model, el }) {
    const cleanup = ucwRoot(el, "share");
    const title = h("div", { class: "ucw-title" });
    const body = h("div", { class: "ucw-share-members", role: "list" });
    const listId = `ucw-users-${Math.random().toString(36).slice(2)}`;
    const user = h("input", { class: "ucw-input ucw-share-user", placeholder: "Username, e.g. bob@example.com", "aria-label": "Person to add", list: listId, autocomplete: "off" });
    const suggestions = h("datalist", { id: listId });
    const flag = h("div", { class: "ucw-flag", role: "alert" });
    const role = h("select", { class: "ucw-role ucw-share-role", "aria-label": "Role to give" });
    const canShare = h("input", { type: "checkbox", class: "ucw-share-can-share", "aria-label": "Can share" });
    const words = h("div", { class: "ucw-muted ucw-role-words" });
    const pushUser = ucwDebounce(() => ucwSet(model, "drafts", { ...model.get("drafts"), user: user.value }), 120);
    user.addEventListener("input", () => pushUser());
    const add = () => ucwSend(model, "add_member", { username: user.value, role: role.value, can_share: canShare.checked });
    user.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); pushUser.flush(); add(); } });
    role.addEventListener("change", () => { words.textContent = (model.get("role_words") || {})[role.value] || ""; });
    const addButton = ucwButton("Add", "ucw-share-add", add);
    const addRow = h("div", { class: "ucw-add-row" }, user, suggestions, role, h("label", {}, canShare, " can share"), addButton);
    const pending = h("div", { class: "ucw-pending" });
    const apply = ucwButton("Apply", "ucw-primary ucw-share-apply", () => ucwSend(model, "share"));
    const discard = ucwButton("Discard changes", "ucw-share-discard", () => ucwSend(model, "discard"));
    el.replaceChildren(title, ucwError(model, "panel", cleanup), ...ucwGoneFence(model, cleanup,
      body, ucwError(model, "rows", cleanup),
      addRow, flag, words, h("div", { class: "ucw-muted ucw-can-share-words" }, "Can share: ", model.get("can_share_words")),
      ucwError(model, "add", cleanup), ucwError(model, "user", cleanup),
      pending, h("div", { class: "ucw-actions" }, apply, discard, ucwButton("Refresh", "ucw-share-refresh", () => ucwSend(model, "refresh")))),
      ucwError(model, "apply", cleanup), ucwError(model, "live", cleanup), ucwStatus(model, cleanup));

    const paint = () => {
      const w = model.get("role_words") || {};
      const what = model.get("asset_type") ? `this ${model.get("asset_type")}` : "this use case";
      title.replaceChildren("Sharing ", h("span", { class: "ucw-muted" }, model.get("use_case_name") || what));
      body.replaceChildren(...model.get("rows").map((r) => memberRow(model, r, w)));
      const grantable = model.get("grantable");
      const keep = grantable.includes(role.value) ? role.value : grantable[grantable.length - 1];
      role.replaceChildren(...roleSelect(grantable, keep, w, {}).childNodes);
      words.textContent = w[role.value] || "";
      for (const c of [user, role, canShare, addButton]) c.disabled = grantable.length === 0;
      addRow.title = grantable.length ? "" : "You cannot share this.";
      const lines = model.get("pending");
      pending.replaceChildren(...(lines.length ? [h("div", { class: "ucw-muted" }, "Not applied yet:"), h("ul", {}, lines.map((l) => h("li", {}, l)))] : []));
      apply.disabled = discard.disabled = lines.length === 0;
      const drafts = model.get("drafts") || {};
      if (document.activeElement !== user && user.value !== (drafts.user || "")) user.value = drafts.user || "";
      suggestions.replaceChildren(...model.get("suggestions").map((s) => h("option", { value: s })));
      const unknown = model.get("unknown_user");
      flag.textContent = unknown ? `No user matches “${unknown}”.` : "";
      flag.hidden = !unknown;
      user.setAttribute("aria-invalid", String(Boolean(unknown)));
    };
    model.on("change:rows change:grantable change:pending change:suggestions change:unknown_user change:drafts change:use_case_name change:role_words", paint);
    paint();
    return ucwTeardown(cleanup);
  },
};
