// Autosave, recovery and presence on the article change page
// (templates/admin/articles/article/_editing.html; the server side is
// articles/admin/editing.py and articles/publishing/editing.py).
//
// A few seconds after the editor stops typing in the headline, standfirst or body, what
// they typed is sent as their autosave: never a save, never a new version. Every few
// seconds the page pings, which tells others it is open and tells this editor who else
// has it open and whether someone saved it meanwhile. Leaving the page ends the ping.
(function () {
  "use strict";

  const panel = document.getElementById("editing-panel");
  const form = document.getElementById("article_form");
  if (!panel || !form) {
    return;
  }
  const FIELDS = ["headline", "dek", "body"];
  const urls = {
    autosave: panel.dataset.autosaveUrl,
    discard: panel.dataset.discardUrl,
    presence: panel.dataset.presenceUrl,
    leave: panel.dataset.leaveUrl,
  };
  const pingMs = (Number(panel.dataset.pingSeconds) || 10) * 1000;
  const autosaveMs = (Number(panel.dataset.autosaveSeconds) || 3) * 1000;
  const status = panel.querySelector(".editing-status");
  const warning = panel.querySelector(".editing-warning");
  const others = panel.querySelector(".editing-others");
  const offer = panel.querySelector(".editing-offer");
  const tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  const csrfToken = tokenInput ? tokenInput.value : "";

  let paused = panel.dataset.autosavePaused === "1";
  let typed = false; // since the page opened: others see "editing" rather than "viewing"
  let timer = null; // the next autosave
  let pingTimer = null;
  let leaving = false;
  let sent = values();
  let retryMs = 0; // after a failure the server may recover from: waits longer each time

  function field(name) {
    return form.querySelector(`[name="${name}"]`);
  }

  function values() {
    const found = {};
    for (const name of FIELDS) {
      const element = field(name);
      found[name] = element ? element.value : "";
    }
    return found;
  }

  function baseVersion() {
    const element = field("base_version");
    return element ? element.value : "";
  }

  function say(text) {
    if (status.textContent !== text) {
      status.textContent = text;
    }
  }

  function formData(fields) {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken);
    for (const [name, value] of Object.entries(fields)) {
      data.append(name, value);
    }
    return data;
  }

  // A failure worth trying again: no connection, or the server busy or down (5xx).
  class Transient extends Error {}

  // Resolves to [response, JSON answer]; rejects with a sentence an editor can act on.
  async function post(url, fields) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body: formData(fields),
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
      });
    } catch (error) {
      throw new Transient("the server could not be reached");
    }
    if (response.status >= 500) {
      throw new Transient(`the server is not answering (${response.status})`);
    }
    const type = response.headers.get("content-type") || "";
    if (response.redirected || !type.includes("application/json")) {
      // The admin sends a signed-out browser to its login page.
      throw new Error(
        response.redirected
          ? "you are signed out (sign in again in another tab; your text is still here)"
          : `the server answered ${response.status}`,
      );
    }
    return [response, await response.json()];
  }

  function errorsText(errors) {
    return Object.entries(errors || {})
      .map(([name, messages]) => `${name}: ${messages.join(" ")}`)
      .join("; ");
  }

  // -- autosave --------------------------------------------------------------------

  async function autosave() {
    timer = null;
    if (paused || leaving) {
      return;
    }
    const now = values();
    if (FIELDS.every((name) => now[name] === sent[name])) {
      return;
    }
    let response, answer;
    try {
      [response, answer] = await post(urls.autosave, {
        base_version: baseVersion(),
        ...now,
      });
    } catch (error) {
      if (error instanceof Transient) {
        retryMs = Math.min(Math.max(retryMs * 2, autosaveMs), 60000);
        say(`Not autosaved yet: ${error.message}. Trying again in ${retryMs / 1000} s.`);
        clearTimeout(timer);
        timer = setTimeout(autosave, retryMs);
      } else {
        say(`Not autosaved: ${error.message}.`);
      }
      return;
    }
    retryMs = 0;
    if (response.ok) {
      sent = now;
      say(`Autosaved at ${answer.at}`);
    } else if (response.status === 409) {
      sent = now;
      say(answer.reason);
    } else if (response.status === 400) {
      say(`Not autosaved: ${errorsText(answer.errors)}`);
    } else {
      say(`Not autosaved: ${answer.error || `the server answered ${response.status}`}`);
    }
  }

  function typing(event) {
    if (!event.target || !event.target.name) {
      return;
    }
    typed = true;
    if (!FIELDS.includes(event.target.name)) {
      return;
    }
    if (paused) {
      say("Not autosaved: restore or discard your earlier autosaved text first.");
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(autosave, autosaveMs);
  }

  // The rich-text editor writes its HTML into the body's textarea and fires "input" there.
  form.addEventListener("input", typing);
  form.addEventListener("change", typing);
  // Any form this page sends (the save, a transition) replaces the page: no autosave may
  // race a save, and no ping may ask after a piece that the transition just took out of
  // this editor's hands.
  window.addEventListener("submit", (event) => {
    if (!event.defaultPrevented) {
      stop();
    }
  });

  function stop() {
    leaving = true;
    clearTimeout(timer);
    clearTimeout(pingTimer);
  }

  if (offer) {
    offer.querySelector(".editing-discard").addEventListener("click", async () => {
      try {
        const [response, answer] = await post(urls.discard, {});
        if (!response.ok) {
          throw new Error(answer.error || `the server answered ${response.status}`);
        }
      } catch (error) {
        say(`Not discarded: ${error.message}.`);
        return;
      }
      offer.remove();
      paused = false;
      say("Autosaved text discarded. Autosave is on.");
      // The button is gone: back to the writing, rather than to the top of the page.
      const headline = field("headline");
      if (headline) {
        headline.focus();
      }
      if (timer === null && typed) {
        timer = setTimeout(autosave, autosaveMs);
      }
    });
  }

  // -- presence ----------------------------------------------------------------------

  // Beside every row of save buttons too: the warning must be seen before saving.
  const nearSave = Array.from(form.querySelectorAll(".submit-row")).map((row) => {
    const note = document.createElement("p");
    note.className = "editing-warning editing-warning-near-save";
    note.hidden = true;
    row.before(note);
    return note;
  });

  function warn(text) {
    for (const element of [warning, ...nearSave]) {
      if (element.textContent !== text) {
        element.textContent = text;
      }
      element.hidden = !text;
    }
  }

  function showOthers(list) {
    const items = list.length
      ? list.map((other) => {
          const item = document.createElement("li");
          item.className = "editing-other";
          item.textContent = `${other.name} (${other.editing ? "editing" : "viewing"})`;
          return item;
        })
      : [
          Object.assign(document.createElement("li"), {
            className: "editing-nobody",
            textContent: "no one else",
          }),
        ];
    const wanted = items.map((item) => item.textContent).join("\n");
    const shown = Array.from(others.children)
      .map((item) => item.textContent)
      .join("\n");
    if (wanted !== shown) {
      others.replaceChildren(...items);
    }
  }

  async function ping() {
    if (leaving) {
      return;
    }
    try {
      const [response, answer] = await post(urls.presence, {
        base_version: baseVersion(),
        is_editing: typed ? "on" : "",
      });
      if (response.ok) {
        showOthers(answer.others);
        warn(answer.changed ? answer.warning : "");
      } else if (response.status === 403 || response.status === 404) {
        // Someone else's transition took the piece out of this editor's hands.
        stop();
        say(`Not autosaved: ${answer.error} Reload the page to see why.`);
        return;
      }
    } catch (error) {
      // The next ping tries again; autosave reports what the editor must know.
    }
    if (!leaving) {
      pingTimer = setTimeout(ping, pingMs);
    }
  }

  window.addEventListener("pagehide", () => {
    stop();
    navigator.sendBeacon(urls.leave, formData({}));
  });
  window.addEventListener("pageshow", (event) => {
    // Back from the browser's page cache: the page is open again.
    if (event.persisted) {
      leaving = false;
      ping();
    }
  });

  // Not at once: a page that just replaced this article's page (after a save) would
  // otherwise ping while the old page's "leave" is still being answered.
  pingTimer = setTimeout(ping, Math.min(300, pingMs));
})();
