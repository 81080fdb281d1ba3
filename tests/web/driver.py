"""Headless Chromium over WebDriver, from Python's standard library alone: chromedriver's
HTTP API, a static server for web/dist, Chromium's network log. Used by the browser test
(tests/web/e2e.py) and the benchmark (bench/web.py)."""

import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver")
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        ".html": "text/html",
        ".js": "text/javascript",
        ".css": "text/css",
        ".wasm": "application/wasm",
        "": "application/octet-stream",
    }

    def log_message(self, *args):
        pass


class Server:
    """web/dist on http://127.0.0.1:PORT, in a thread."""

    def __init__(self, root):
        handler = functools.partial(Quiet, directory=root)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None


class Browser:
    """One headless Chromium session: a fresh profile, downloads into `self.downloads`."""

    def __init__(self, window="1280,900", lang=None):
        self.profile = tempfile.mkdtemp(prefix="patronal-chromium-")
        self.downloads = tempfile.mkdtemp(prefix="patronal-downloads-")
        self.port = free_port()
        self.driver = subprocess.Popen(
            [CHROMEDRIVER, f"--port={self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        args = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={self.profile}",
            f"--window-size={window}",
        ]
        prefs_lang = {}
        if lang:
            # The browser's language, as a user's settings give it (navigator.languages).
            args.append(f"--lang={lang}")
            prefs_lang = {"intl.accept_languages": f"{lang},{lang.split('-')[0]}"}
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": CHROMIUM,
                        "args": args,
                        "prefs": {
                            "download.default_directory": self.downloads,
                            "download.prompt_for_download": False,
                            "profile.default_content_setting_values.automatic_downloads": 1,
                            **prefs_lang,
                        },
                    },
                    "goog:loggingPrefs": {"performance": "ALL"},
                }
            }
        }
        self.session = self.call("POST", "/session", caps)["sessionId"]
        self.cdp("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": self.downloads})

    def call(self, method, path, body=None, timeout=600):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"WebDriver {method} {path}: {e.read().decode(errors='replace')}") from None

    def s(self, method, path, body=None, timeout=600):
        return self.call(method, f"/session/{self.session}{path}", body, timeout)

    def cdp(self, cmd, params=None):
        return self.s("POST", "/goog/cdp/execute", {"cmd": cmd, "params": params or {}})

    def get(self, url):
        self.s("POST", "/url", {"url": url})

    def find(self, css):
        found = self.s("POST", "/element", {"using": "css selector", "value": css})
        return found[ELEMENT]

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def send_file(self, css, *paths):
        """Chooses files in an <input type=file>, as a person would."""
        self.s("POST", f"/element/{self.find(css)}/value", {"text": "\n".join(paths)})

    def click(self, css):
        self.s("POST", f"/element/{self.find(css)}/click", {})

    def wait(self, script, timeout=300, every=0.05):
        """Polls `script` (a JavaScript expression's body) until it returns a truthy value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(script)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} s for: {script}")
            time.sleep(every)

    def screenshot(self, path):
        import base64
        png = self.s("GET", "/screenshot")
        with open(path, "wb") as f:
            f.write(base64.b64decode(png))

    def network_log(self):
        """Every request Chromium sent since the last call (its performance log)."""
        urls = []
        for entry in self.s("POST", "/se/log", {"type": "performance"}) or []:
            m = json.loads(entry["message"])["message"]
            if m.get("method") == "Network.requestWillBeSent":
                urls.append(m["params"]["request"]["url"])
        return urls

    def download(self, name_suffix, timeout=300):
        """Waits for a finished download ending in `name_suffix`; returns its path."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for f in os.listdir(self.downloads):
                if f.endswith(name_suffix) and not f.endswith(".crdownload"):
                    path = os.path.join(self.downloads, f)
                    size = os.path.getsize(path)
                    time.sleep(0.2)
                    if size and os.path.getsize(path) == size:
                        return path
            time.sleep(0.1)
        raise TimeoutError(f"no download ending in {name_suffix} in {timeout} s")

    def memory_mb(self):
        """The renderer's and the worker's JavaScript heaps, as Chromium counts them (MB)."""
        metrics = self.cdp("Performance.getMetrics").get("metrics", [])
        return {m["name"]: m["value"] for m in metrics}

    def close(self):
        try:
            self.s("DELETE", "")
        except Exception:
            pass
        self.driver.terminate()
        self.driver.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
        shutil.rmtree(self.downloads, ignore_errors=True)
