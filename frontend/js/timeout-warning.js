// GOV.UK's timeout warning for signed-in pages (`dialog[data-app-timeout]`).
//
// The server signs a person out after a spell without requests, and in any case some hours after
// they signed in (putright/core/middleware.py). The page knows how many seconds its session has
// left when it was drawn; shortly before they run out this opens a modal dialog with a countdown
// (announced each minute, not each second), "Stay signed in" (a request that counts as activity;
// the answer gives the new time left) and "Sign out". When time runs out the page reloads, and
// the server shows the sign-in page with the reason.
const MINUTE = 60;

function inWords(seconds) {
  if (seconds >= MINUTE) {
    const minutes = Math.ceil(seconds / MINUTE);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

function csrfToken(dialog) {
  const field = dialog.querySelector("input[name='csrfmiddlewaretoken']");
  return field ? field.value : "";
}

export function watchSessionTimeout(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  const warnSeconds = Number(dialog.dataset.warnSeconds);
  const countdown = dialog.querySelector("[data-app-timeout-countdown]");
  const final = dialog.querySelector("[data-app-timeout-final]");
  let endsAt = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  let announced = "";
  let ticking = null;

  const secondsLeft = () => Math.max(0, Math.round((endsAt - Date.now()) / 1000));

  function tick() {
    const left = secondsLeft();
    if (left === 0) {
      window.location.assign(dialog.dataset.signedOutUrl);
      return;
    }
    if (left > warnSeconds) {
      if (dialog.open) {
        dialog.close();
      }
      return;
    }
    // Whole minutes while more than one is left, then seconds in steps of 20, so a screen
    // reader is not interrupted every second.
    const words = left > MINUTE ? inWords(left) : inWords(Math.ceil(left / 20) * 20);
    if (words !== announced) {
      countdown.textContent = words;
      announced = words;
    }
    if (!dialog.open) {
      dialog.showModal();
      dialog.querySelector("h2").focus();
    }
  }

  async function staySignedIn() {
    try {
      const response = await fetch(dialog.dataset.keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(dialog) },
        credentials: "same-origin",
      });
      // Already past the limit, the server signs the person out and redirects to sign-in.
      const answer = response.redirected || !response.ok ? {} : await response.json();
      if (!answer.signed_in) {
        window.location.assign(dialog.dataset.signedOutUrl);
        return;
      }
      endsAt = Date.now() + answer.seconds_left * 1000;
      final.hidden = answer.seconds_left > warnSeconds;
    } catch {
      return; // offline: keep counting down; the reload at the end shows where things stand
    }
    tick();
  }

  dialog.querySelector("[data-app-timeout-stay]").addEventListener("click", staySignedIn);
  // Escape means "stay signed in", as in GOV.UK's pattern, not "ignore the warning".
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  ticking = window.setInterval(tick, 1000);
  tick();
  return ticking;
}
