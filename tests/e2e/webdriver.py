"""A small W3C WebDriver client (standard library only) for tauri-driver.

tauri-driver speaks plain WebDriver over HTTP on 127.0.0.1:4444 and starts the application named in
the session's `tauri:options`. Nothing here knows the app; desktop.py holds the officer's steps.
"""

import base64
import http.client
import json
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

# WebDriver's codes for the keys that are not characters.
ALT = "\ue00a"
SHIFT = "\ue008"
TAB = "\ue004"
ENTER = "\ue007"
ESCAPE = "\ue00c"
UP = "\ue013"
DOWN = "\ue015"


class WebDriverError(Exception):
    pass


def _call(method, url, body=None, timeout=60, attempts=4):
    data = None if body is None else json.dumps(body).encode()
    for attempt in range(attempts):
        req = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return json.loads(resp.read() or b"{}").get("value")
        except http.client.RemoteDisconnected:
            # tauri-driver sometimes reuses a connection WebKitWebDriver has closed and drops the
            # request before sending it ("client error (SendRequest)"): sending again is safe.
            if attempt + 1 == attempts:
                raise
            time.sleep(0.3)
        except urllib.error.HTTPError as e:
            detail = e.read().decode(errors="replace")
            if "SendRequest" in detail and attempt + 1 < attempts:
                time.sleep(0.3)
                continue
            raise WebDriverError(f"{method} {url}: {e.code} {detail[:500]}") from None
    raise WebDriverError(f"{method} {url}: no answer")


def wait_for_driver(base, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            _call("GET", f"{base}/status", timeout=2)
            return
        except Exception:
            time.sleep(0.2)
    raise WebDriverError(f"tauri-driver did not answer on {base} within {seconds} s")


class Session:
    def __init__(self, base, application):
        self.base = base
        value = _call("POST", f"{base}/session", {"capabilities": {"alwaysMatch": {
            "browserName": "wry", "tauri:options": {"application": application}}}})
        self.id = value["sessionId"]
        self.url = f"{base}/session/{self.id}"

    def quit(self):
        try:
            _call("DELETE", self.url, timeout=20)
        except Exception:
            pass

    def script(self, code, *args):
        return _call("POST", f"{self.url}/execute/sync", {"script": code, "args": list(args)})

    def async_script(self, code, *args):
        return _call("POST", f"{self.url}/execute/async", {"script": code, "args": list(args)})

    def find_all(self, css):
        found = _call("POST", f"{self.url}/elements", {"using": "css selector", "value": css})
        return [Element(self, e[ELEMENT]) for e in found]

    def find_xpath(self, xpath):
        found = _call("POST", f"{self.url}/elements", {"using": "xpath", "value": xpath})
        return [Element(self, e[ELEMENT]) for e in found]

    def press(self, *keys):
        """Presses keys on whatever has the focus, as the keyboard does (WebDriver actions): each
        argument is a key, or a tuple of keys held together ((ALT, "2") is Alt+2)."""
        actions = []
        for item in keys:
            chord = item if isinstance(item, tuple) else (item,)
            actions += [{"type": "keyDown", "value": k} for k in chord]
            actions += [{"type": "keyUp", "value": k} for k in reversed(chord)]
        _call("POST", f"{self.url}/actions",
              {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})

    def move_pointer(self, x, y):
        """Moves the mouse pointer to (x, y) of the viewport (away from a cell's hover tooltip)."""
        _call("POST", f"{self.url}/actions", {"actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "origin": "viewport", "x": x, "y": y}]}]})

    def active(self):
        """The element that has the focus."""
        return Element(self, _call("GET", f"{self.url}/element/active")[ELEMENT])

    def active_matches(self, css):
        return self.script("return !!document.activeElement"
                           " && document.activeElement.matches(arguments[0]);", css)

    def wait(self, what, check, seconds=20, every=0.1):
        """Polls `check` until it returns something truthy; raises with `what` otherwise."""
        deadline = time.time() + seconds
        last_error = None
        while time.time() < deadline:
            try:
                value = check()
                if value:
                    return value
            except WebDriverError as e:
                last_error = e
            time.sleep(every)
        raise WebDriverError(f"timed out after {seconds} s waiting for {what}"
                             + (f" (last error: {last_error})" if last_error else ""))

    def wait_css(self, css, seconds=20):
        return self.wait(css, lambda: self.find_all(css), seconds)[0]

    def texts(self, css):
        """The rendered text of every element matching css (one script call, not one per element)."""
        return self.script(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText);", css)

    def wait_text(self, css, predicate, seconds=20, what=None):
        def check():
            return next((t for t in self.texts(css) if predicate(t)), None)
        return self.wait(what or f"text of {css}", check, seconds)

    def screenshot(self, path):
        png = base64.b64decode(_call("GET", f"{self.url}/screenshot"))
        with open(path, "wb") as f:
            f.write(png)

    def go(self, route):
        # Change the route after the script returns: WebKitWebDriver may otherwise wait on it.
        self.script("const h = arguments[0]; setTimeout(() => { window.location.hash = h; }, 0);",
                    route)
        time.sleep(0.2)


class Element:
    def __init__(self, session, element_id):
        self.s = session
        self.url = f"{session.url}/element/{element_id}"
        self.ref = {ELEMENT: element_id}

    def click(self):
        try:
            _call("POST", f"{self.url}/click", {})
        except WebDriverError as e:
            # WebKitWebDriver refuses a click on a table row ("not interactable") or under a
            # passing toast message ("click intercepted"): click it in the page instead.
            if "not interactable" not in str(e) and "click intercepted" not in str(e):
                raise
            self.s.script("arguments[0].click();", self.ref)

    def text(self):
        return self.s.script("return arguments[0].innerText;", self.ref)

    def clear(self):
        _call("POST", f"{self.url}/clear", {})

    def replace(self, text):
        """Sets the field's text and tells the page, as typing would (an `input` event):
        WebKitWebDriver's clear and Ctrl+A do not reach Vue's v-model reliably."""
        self.s.script("const [el, v] = arguments; el.focus(); el.value = v;"
                      "el.dispatchEvent(new Event('input', {bubbles: true}));"
                      "el.dispatchEvent(new Event('change', {bubbles: true}));", self.ref, text)

    def type(self, text):
        _call("POST", f"{self.url}/value", {"text": text})

    def find_all(self, css):
        found = _call("POST", f"{self.url}/elements", {"using": "css selector", "value": css})
        return [Element(self.s, e[ELEMENT]) for e in found]
