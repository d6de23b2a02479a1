// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");

  // After htmx swaps in a section, put the keyboard focus where the person will type next,
  // so adding one entry after another never needs the mouse.
  function placeFocus(root) {
    var target = root.querySelector("[data-focus]");
    if (!target) {
      var scope = root.matches && root.matches("[data-focus-within]") ? root : root.querySelector("[data-focus-within]");
      if (scope) {
        target = scope.querySelector("[aria-invalid=true], textarea, input:not([type=hidden]), select");
      }
    }
    if (target) {
      target.focus();
    }
  }

  // Drafts: what someone is typing into the map is kept in this tab until the server has
  // accepted it, so a session that times out mid-sentence loses nothing.
  var DRAFT = "threefold-draft:";

  function draftKey(field) {
    return DRAFT + (field.form.getAttribute("hx-post") || field.form.action) + ":" + field.name;
  }

  function tracked(field) {
    return field.form && field.form.hasAttribute("hx-post") && field.matches("textarea, input[type=text]");
  }

  document.addEventListener("input", function (event) {
    if (tracked(event.target)) {
      sessionStorage.setItem(draftKey(event.target), event.target.value);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    // When the response replaced the form itself, htmx reports the event from the page body;
    // the request's own record still names the form that sent it.
    var form = (event.detail.requestConfig && event.detail.requestConfig.elt) || event.detail.elt;
    var accepted = event.detail.successful && event.detail.xhr.status === 200 &&
      event.detail.xhr.responseText.indexOf("error-summary") === -1;
    if (accepted && form.tagName === "FORM") {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (tracked(field)) {
          sessionStorage.removeItem(draftKey(field));
        }
      });
    }
  });

  function restoreDrafts(root) {
    root.querySelectorAll("form[hx-post] textarea, form[hx-post] input[type=text]").forEach(function (field) {
      var kept = sessionStorage.getItem(draftKey(field));
      if (kept && !field.value) {
        field.value = kept;
        var details = field.closest("details");
        if (details) {
          details.open = true;
        }
        if (!field.form.querySelector(".draft-note")) {
          var note = document.createElement("p");
          note.className = "notice draft-note";
          note.textContent = "We kept what you were typing here before you were signed out. Check it and save it.";
          field.form.insertBefore(note, field.form.firstChild);
        }
      }
    });
  }

  // Session timeout: warn two minutes before the session ends, with a way to stay signed in.
  var session = document.querySelector('meta[name="threefold-session"]');
  var warningTimer;

  function scheduleWarning() {
    if (!session) {
      return;
    }
    clearTimeout(warningTimer);
    var seconds = parseInt(session.content, 10);
    warningTimer = setTimeout(showWarning, Math.max(seconds - 120, 5) * 1000);
  }

  function showWarning() {
    if (document.querySelector(".session-warning")) {
      return;
    }
    var box = document.createElement("div");
    box.className = "session-warning";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "session-warning-title");
    box.setAttribute("aria-describedby", "session-warning-text");
    var title = document.createElement("h2");
    title.id = "session-warning-title";
    title.textContent = "You will be signed out in 2 minutes";
    var text = document.createElement("p");
    text.id = "session-warning-text";
    text.textContent = "To protect children's records we sign you out when Threefold is not used. Anything you are typing is kept on this device.";
    var stay = document.createElement("button");
    stay.type = "button";
    stay.className = "button";
    stay.textContent = "Stay signed in";
    stay.addEventListener("click", function () {
      fetch(session.dataset.keepAlive, { credentials: "same-origin" }).then(function (response) {
        box.remove();
        if (response.redirected || !response.ok) {
          window.location = session.dataset.signIn + "?next=" + encodeURIComponent(window.location.pathname);
        } else {
          scheduleWarning();
        }
      });
    });
    box.append(title, text, stay);
    document.body.appendChild(box);
    stay.focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    placeFocus(event.detail.elt || document);
    restoreDrafts(event.detail.elt || document);
    scheduleWarning();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary[data-focus]");
    if (summary) {
      summary.focus();
    }
    restoreDrafts(document);
    scheduleWarning();
  });
})();
