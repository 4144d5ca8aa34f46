// Click (or Enter on) a cell: its crop or text context and its correction history in the side panel.
(function () {
  const panel = document.getElementById("panel");
  async function show(cell) {
    document.querySelectorAll("td.cell.selected").forEach((c) => c.classList.remove("selected"));
    cell.classList.add("selected");
    const res = await fetch(`/fields/${cell.dataset.fieldId}/panel`, { credentials: "same-origin" });
    panel.innerHTML = res.ok ? await res.text() : `<p class="error">${res.status}</p>`;
  }
  document.querySelectorAll("td.cell[data-field-id]").forEach((cell) => {
    cell.addEventListener("click", () => show(cell));
    cell.addEventListener("keydown", (e) => { if (e.key === "Enter") show(cell); });
  });
})();
