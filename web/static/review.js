// Keyboard review: Enter accepts (or, with digits typed, corrects), S takes the suggestion,
// U marks unreadable, J/K move. One key per decision is the point: operators clear hundreds a day.
(function () {
  const form = document.getElementById("decide");
  if (!form) return;
  const input = document.getElementById("value");
  const action = document.getElementById("action");
  const here = Number(document.querySelector("#queue li.current")?.dataset.pos || 0);
  const count = document.querySelectorAll("#queue li").length;

  function submit(what) {
    action.value = what;
    form.submit();
  }
  function move(step) {
    const next = Math.max(0, Math.min(count - 1, here + step));
    const url = new URL(window.location.href);
    url.searchParams.set("pos", String(next));
    window.location.href = url.toString();
  }
  form.querySelectorAll("button[data-action]").forEach((b) =>
    b.addEventListener("click", () => { action.value = b.dataset.action; }));

  const textField = input.dataset.text === "1";
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const key = e.key.toLowerCase();
    // In a text field being typed into, letters are text, not commands.
    const typing = textField && input.value !== "" && document.activeElement === input;
    if (typing && e.key !== "Enter") return;
    if (e.key === "Enter") {
      e.preventDefault();
      submit(input.value.trim() === "" ? "accept" : "correct");
    } else if (key === "u") {
      e.preventDefault(); submit("unreadable");
    } else if (key === "s" && document.getElementById("suggested")) {
      e.preventDefault();
      input.value = document.getElementById("suggested").textContent.trim();
      submit("correct");
    } else if (key === "j") {
      e.preventDefault(); move(1);
    } else if (key === "k") {
      e.preventDefault(); move(-1);
    } else if (e.key.length === 1 && !/[0-9.\-]/.test(e.key) && !textField) {
      // Numeric fields take digits only: a stray letter must not become a correction.
      e.preventDefault();
    }
    if (document.activeElement !== input && /^[0-9.\-]$/.test(e.key)) {
      e.preventDefault(); input.focus(); input.value += e.key;
    }
  });
  input.focus();
  document.querySelector("#queue li.current")?.scrollIntoView({ block: "center" });
})();
