// Keyboard review. Each key is one decision, and no key means two things:
//   typed value + Enter  corrected (the machine misread it)      A  as printed (the document shows this)
//   S  corrected to the suggested value                         U  unreadable
//   N  not printed in this document                             J / K  next / previous field
// Enter with nothing typed does nothing: a blank is never signed off by accident. In a text field's box
// every key is text (Esc leaves the box); a number field's box takes digits, and letters stay commands.
(function () {
  const form = document.getElementById("decide");
  if (!form) return;
  const input = document.getElementById("value");
  const decision = document.getElementById("decision");
  const suggestion = document.getElementById("suggestion");
  const here = Number(document.querySelector("#queue li.current")?.dataset.pos || 0);
  const count = document.querySelectorAll("#queue li").length;
  const textField = input.dataset.text === "1";

  function submit(what, fromSuggestion) {
    decision.value = what;
    suggestion.value = fromSuggestion ? "1" : "";
    form.submit();
  }
  function move(step) {
    const next = Math.max(0, Math.min(count - 1, here + step));
    const url = new URL(window.location.href);
    url.searchParams.set("pos", String(next));
    window.location.href = url.toString();
  }
  form.querySelectorAll("button[data-decision]").forEach((b) =>
    b.addEventListener("click", (e) => {
      if (b.dataset.suggestion) input.value = document.getElementById("suggested").textContent.trim();
      decision.value = b.dataset.decision;
      suggestion.value = b.dataset.suggestion || "";
      if (decision.value === "corrected" && input.value.trim() === "") { e.preventDefault(); input.focus(); }
    }));

  const commands = {
    a: () => document.getElementById("do-as_printed") && submit("as_printed"),
    s: () => {
      const suggested = document.getElementById("suggested");
      if (!suggested) return;
      input.value = suggested.textContent.trim();
      submit("corrected", true);
    },
    u: () => submit("unreadable"),
    n: () => submit("not_printed"),
    j: () => move(1),
    k: () => move(-1),
  };
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    const inBox = document.activeElement === input;
    if (e.key === "Enter") {
      e.preventDefault();
      if (input.value.trim() !== "") submit("corrected");
      else input.focus();
      return;
    }
    if (inBox && e.key === "Escape") { input.blur(); return; }
    if (inBox && textField) return; // typing text
    const command = commands[e.key.toLowerCase()];
    if (command) { e.preventDefault(); command(); return; }
    if (/^[0-9.\-]$/.test(e.key)) {
      if (!inBox) { e.preventDefault(); input.focus(); input.value += e.key; }
    } else if (e.key.length === 1 && !textField) {
      e.preventDefault(); // a number field takes digits only: a stray letter must not become a correction
    }
  });
  if (!textField) input.focus();
  document.querySelector("#queue li.current")?.scrollIntoView({ block: "center" });
})();
