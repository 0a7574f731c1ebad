/* The live session page: draws the countdown, plays the cues, keeps the screen awake.
 *
 * The server owns the session. This script only counts down from the remaining time the
 * server rendered (measured with performance.now(), so the device clock does not matter) and,
 * when the step runs out, submits the page's own "advance from step k" form through htmx.
 * No polling: about one request per step.
 *
 * Texts come in the page's language from Django's JavaScript catalogue, a deferred script
 * placed before this one; spoken cues use a voice of that language or stay silent.
 */
(function () {
  "use strict";

  /* The catalogue's gettext, asked when a text is shown; English as written if it did not load. */
  function gettext(text) {
    return typeof window.gettext === "function" ? window.gettext(text) : text;
  }

  var STORE = "backwise.session.";
  var SOUNDS = {
    next: { notes: [523, 659, 784], length: 0.14 },
    half: { notes: [660, 660], length: 0.12 },
    side: { notes: [440, 587, 440, 587], length: 0.12 },
    tick: { notes: [880], length: 0.08 },
    end: { notes: [784, 659, 523, 392], length: 0.3 },
  };
  var VIBRATIONS = {
    next: [200],
    half: [100, 80, 100],
    side: [150, 100, 150, 100, 150],
    tick: [50],
    end: [400, 120, 400],
  };

  var settings = { muted: load("muted"), speak: load("speak"), pulse: load("pulse") };
  var audio = null;
  var current = null;
  var shownIndex = null;
  var wakeLock = null;
  var focusAction = null;
  var voicesListed = false; /* the device has had its chance to list its voices */
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");

  function load(key) {
    try {
      return window.localStorage.getItem(STORE + key) === "1";
    } catch (error) {
      return false;
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(STORE + key, value ? "1" : "0");
    } catch (error) {
      /* Private mode: the setting lasts for this page only. */
    }
  }

  /* --- Cues ------------------------------------------------------------------------------ */

  function audioContext() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    if (!audio) audio = new Context();
    if (audio.state === "suspended") audio.resume().catch(function () {});
    return audio;
  }

  function beep(kind) {
    if (settings.muted) return;
    var context = audioContext();
    if (!context) return;
    var sound = SOUNDS[kind];
    var at = context.currentTime + 0.01;
    sound.notes.forEach(function (frequency) {
      var oscillator = context.createOscillator();
      var gain = context.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.35, at + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + sound.length);
      oscillator.connect(gain);
      gain.connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + sound.length + 0.02);
      at += sound.length + 0.05;
    });
  }

  function flash() {
    if (!current) return;
    var element = current.element;
    element.classList.remove("cue-flash");
    void element.offsetWidth; /* restart the animation */
    element.classList.add("cue-flash");
    window.setTimeout(function () {
      element.classList.remove("cue-flash");
    }, 800);
  }

  function banner(text) {
    if (!current || !text) return;
    var box = current.element.querySelector("[data-cue-banner]");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
    window.setTimeout(function () {
      box.hidden = true;
    }, 4000);
  }

  function announce(text) {
    var region = document.getElementById("session-announce");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 60);
  }

  function cue(kind, text) {
    beep(kind);
    if (navigator.vibrate) navigator.vibrate(VIBRATIONS[kind]);
    if (kind !== "tick") flash();
    if (text) {
      banner(text);
      announce(text);
      speak(text);
    }
  }

  /* --- Speech in the page's language ----------------------------------------------------- */

  function pageLanguage() {
    return (document.documentElement.lang || "en").toLowerCase();
  }

  function speaksLanguage(voice, language) {
    var tag = (voice.lang || "").toLowerCase().replace("_", "-");
    var base = language.split("-")[0];
    return tag === base || tag.indexOf(base + "-") === 0;
  }

  /* A voice of the page's language: the device's default one if it is, else the first. */
  function pageVoice() {
    if (!("speechSynthesis" in window)) return null;
    var language = pageLanguage();
    var voices = window.speechSynthesis.getVoices().filter(function (voice) {
      return speaksLanguage(voice, language);
    });
    var preferred = voices.filter(function (voice) {
      return voice.default;
    });
    return preferred[0] || voices[0] || null;
  }

  /* With no voice of the page's language the cues are not spoken: reading them in another
     language's voice helps nobody. A device that lists no voices at all (some never do) is left
     its own default voice on English pages only, the language every speech engine ships. */
  function canSpeak() {
    if (!("speechSynthesis" in window)) return false;
    if (pageVoice()) return true;
    return window.speechSynthesis.getVoices().length === 0 && pageLanguage().split("-")[0] === "en";
  }

  function showVoiceNote() {
    var note = document.getElementById("voice-missing");
    if (!note || !voicesListed) return;
    note.hidden = canSpeak();
    var box = document.querySelector('[data-setting="speak"]');
    if (box) {
      if (note.hidden) box.removeAttribute("aria-describedby");
      else box.setAttribute("aria-describedby", note.id);
    }
  }

  function watchVoices() {
    if (!("speechSynthesis" in window)) {
      voicesListed = true;
      showVoiceNote();
      return;
    }
    /* Most browsers list their voices a moment after the page loads, and say so. */
    var listed = function () {
      voicesListed = true;
      showVoiceNote();
    };
    if (window.speechSynthesis.getVoices().length) listed();
    if (window.speechSynthesis.addEventListener) {
      window.speechSynthesis.addEventListener("voiceschanged", listed);
    }
    window.setTimeout(listed, 2000);
  }

  function speak(text) {
    if (!settings.speak || !text || !("speechSynthesis" in window)) return;
    if (!canSpeak()) {
      showVoiceNote();
      return;
    }
    window.speechSynthesis.cancel();
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = document.documentElement.lang || "en";
    var voice = pageVoice();
    if (voice) utterance.voice = voice;
    window.speechSynthesis.speak(utterance);
  }

  /* --- The countdown --------------------------------------------------------------------- */

  function remaining() {
    if (current.state !== "running") return current.remainingAtLoad;
    return current.remainingAtLoad - (performance.now() - current.loadedAt) / 1000;
  }

  function mmss(seconds) {
    var whole = Math.max(0, Math.ceil(seconds));
    var minutes = Math.floor(whole / 60);
    var rest = whole % 60;
    return (minutes < 10 ? "0" : "") + minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function advance() {
    var form = current.element.querySelector("[data-auto-advance]");
    if (!form) return;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  function tick() {
    if (!current || !current.element.isConnected) return;
    var left = remaining();
    current.digits.textContent = mmss(left);
    if (current.state !== "running") return;

    var elapsed = current.duration - left;
    if (!current.fired.half && current.duration >= 8 && elapsed >= current.halfway) {
      current.fired.half = true;
      if (current.sideSwitch) cue("side", gettext("Halfway: switch to the other side."));
      else cue("half", gettext("Halfway."));
    }
    [3, 2, 1].forEach(function (second) {
      var key = "t" + second;
      if (!current.fired[key] && left <= second && left > second - 1) {
        current.fired[key] = true;
        cue("tick");
      }
    });
    if (left <= 0 && !current.posted && performance.now() >= current.notBefore) {
      current.posted = true;
      if (current.last) {
        cue("end", gettext("Session complete."));
        window.setTimeout(advance, 900);
      } else {
        advance();
      }
    }
  }

  function setup() {
    var element = document.getElementById("session");
    if (!element) {
      current = null;
      return;
    }
    var data = element.dataset;
    var index = Number(data.index);
    var sameStep = current !== null && current.index === index;
    var previous = current;
    current = {
      element: element,
      digits: element.querySelector("[data-countdown]"),
      index: index,
      state: data.state,
      remainingAtLoad: parseFloat(data.remaining) || 0,
      loadedAt: performance.now(),
      duration: Number(data.duration) || 0,
      halfway: parseFloat(data.halfway) || 0,
      sideSwitch: data.sideSwitch === "1",
      last: data.last === "1",
      tempo: Number(data.tempo) || 0,
      posted: false,
      notBefore: 0,
      fired: {},
    };
    /* Cues that already passed (a reload after halfway) do not sound again. */
    var elapsed = current.duration - current.remainingAtLoad;
    current.fired.half = elapsed >= current.halfway;
    [3, 2, 1].forEach(function (second) {
      current.fired["t" + second] = current.remainingAtLoad < second - 1;
    });
    /* A refused advance (the step had not ended on the server) waits before trying again. */
    if (sameStep && previous.posted) current.notBefore = performance.now() + 1000;

    if (shownIndex !== null && shownIndex !== index) {
      cue("next");
      announce(data.announce);
      speak(data.announce);
    }
    shownIndex = index;
    showPulse();
    restoreFocus();
    tick();
  }

  /* --- Tempo pulse, settings, focus ------------------------------------------------------ */

  function showPulse() {
    var pulse = current.element.querySelector("[data-tempo-pulse]");
    if (!pulse) return;
    pulse.hidden = !(settings.pulse && current.tempo > 0);
    if (!pulse.hidden) {
      pulse.style.setProperty("--beat", (60 / current.tempo).toFixed(3) + "s");
      pulse.classList.toggle("tempo-still", Boolean(reducedMotion && reducedMotion.matches));
    }
  }

  function setupSettings() {
    var box = document.querySelector("[data-cue-settings]");
    if (!box) return;
    box.hidden = false;
    box.querySelectorAll("[data-setting]").forEach(function (input) {
      var key = input.dataset.setting;
      input.checked = settings[key];
      input.addEventListener("change", function () {
        settings[key] = input.checked;
        save(key, input.checked);
        if (key === "speak" && !input.checked && "speechSynthesis" in window) {
          window.speechSynthesis.cancel();
        }
        if (key === "muted" && !input.checked) beep("tick");
        if (current) showPulse();
      });
    });
  }

  function rememberFocus(event) {
    var active = document.activeElement;
    var inside = current && active && current.element.contains(active);
    focusAction = inside && active.dataset ? active.dataset.action || null : null;
    if (event && event.detail && event.detail.elt && event.detail.elt.dataset) {
      var button = event.detail.elt.querySelector && event.detail.elt.querySelector("button");
      if (inside && button) focusAction = button.dataset.action || focusAction;
    }
  }

  function restoreFocus() {
    if (!focusAction) return;
    var target =
      current.element.querySelector('[data-action="' + focusAction + '"]') ||
      current.element.querySelector('[data-action="resume"], [data-action="pause"]');
    focusAction = null;
    if (target) target.focus();
  }

  /* --- Keeping the screen on ------------------------------------------------------------- */

  function wakeText(text) {
    var out = document.querySelector("[data-wake-state]");
    if (out) out.textContent = text;
  }

  function keepAwake() {
    if (!("wakeLock" in navigator)) {
      wakeText(
        gettext("This browser cannot keep the screen on: turn off auto-lock for the session.")
      );
      return;
    }
    if (document.visibilityState !== "visible" || wakeLock) return;
    navigator.wakeLock
      .request("screen")
      .then(function (lock) {
        wakeLock = lock;
        wakeText(gettext("The screen stays on during the session."));
        lock.addEventListener("release", function () {
          wakeLock = null;
          wakeText(
            gettext("The screen may dim again; it stays on when you come back to this page.")
          );
        });
      })
      .catch(function () {
        wakeText(gettext("The screen may dim: keep it awake in your device settings."));
      });
  }

  /* --- Wiring ---------------------------------------------------------------------------- */

  function unlockAudio() {
    if (!settings.muted) audioContext();
  }

  document.addEventListener("pointerdown", unlockAudio);
  document.addEventListener("keydown", unlockAudio);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      keepAwake();
      tick();
    }
  });
  document.body.addEventListener("htmx:beforeRequest", rememberFocus);
  document.body.addEventListener("htmx:afterSettle", function () {
    var element = document.getElementById("session");
    if (element && (!current || element !== current.element)) setup();
  });
  ["htmx:responseError", "htmx:sendError"].forEach(function (name) {
    document.body.addEventListener(name, function () {
      /* The network failed: try the advance again in a few seconds. */
      if (current) {
        current.posted = false;
        current.notBefore = performance.now() + 3000;
      }
    });
  });

  setupSettings();
  watchVoices();
  setup();
  keepAwake();
  window.setInterval(tick, 200);
})();
