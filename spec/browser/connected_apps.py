"""Drive Debian's chromium, headless, through the connected-apps page as a
user would, and print what it saw as one JSON object; the busted spec next
to this file sets the scene (mock, nginx, grants) and judges the result.

Run by /usr/bin/python3 with Debian's python3-selenium and chromium-driver;
nothing is downloaded (the driver and browser paths are given).

    /usr/bin/python3 connected_apps.py '{"url": ..., "header": ..., ...}'

The signed-in user is simulated as the authentication layer in front of
the page would: a request header on every request (CDP's
Network.setExtraHTTPHeaders), the way a proxy adds it after sign-in.
"""
import json
import sys

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

WIDTH, HEIGHT = 375, 812  # a phone


def start():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--lang=en-US", "--force-device-scale-factor=1",
                f"--window-size={WIDTH},{HEIGHT}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Network.enable", {})
    # the viewport itself, not the window around it, is the phone's width
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": True})
    return driver


def sign_in(driver, header, subject, language):
    headers = {"Accept-Language": language}
    if subject is not None:
        headers[header] = subject
    driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": headers})


def alert_shown(driver):
    try:
        driver.switch_to.alert.dismiss()
        return True
    except NoAlertPresentException:
        return False


def text_of(element):
    """The text a screen reader reads, visually hidden parts included."""
    return " ".join(element.get_property("textContent").split())


def page(driver):
    """What the page shows: its heading, messages, applications, layout."""
    apps = []
    for item in driver.find_elements(By.CSS_SELECTOR, "li.app"):
        counts = item.find_elements(By.CSS_SELECTOR, ".count")
        apps.append({
            "name": item.find_element(By.TAG_NAME, "h2").text,
            "count": counts[0].text if counts else None,
            "scopes": [s.text for s in item.find_elements(By.CSS_SELECTOR, "ul.scopes li")],
            "how": [d.text for d in item.find_elements(By.TAG_NAME, "dd")][-1],
            "button": text_of(item.find_element(By.TAG_NAME, "button")),
        })
    buttons = driver.find_elements(By.TAG_NAME, "button")
    return {
        "url": driver.current_url,
        "heading": driver.find_element(By.TAG_NAME, "h1").text,
        "status": [e.text for e in driver.find_elements(By.CSS_SELECTOR, "[role=status]")],
        "alert": [e.text for e in driver.find_elements(By.CSS_SELECTOR, "[role=alert]")],
        "lead": [e.text for e in driver.find_elements(By.CSS_SELECTOR, "p.lead")],
        "apps": apps,
        "images": len(driver.find_elements(By.TAG_NAME, "img")),
        "dialog": alert_shown(driver),
        "scroll_width": driver.execute_script("return document.documentElement.scrollWidth"),
        "viewport_width": driver.execute_script("return window.innerWidth"),
        # every button whole inside the viewport, and big enough to tap
        "buttons_fit": all(b.rect["x"] >= 0 and b.rect["x"] + b.rect["width"] <= WIDTH for b in buttons),
        "smallest_button": min((b.rect["height"] for b in buttons), default=None),
    }


def load(driver, url):
    driver.get(url)
    return page(driver)


def tab_to_button(driver):
    """Tab from the top of the page to the first button: what has focus.
    (No click to start from: one at the page's middle may land on a button.)"""
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    for _ in range(10):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        focused = driver.switch_to.active_element
        if focused.tag_name == "button":
            return text_of(focused)
    return None


def revoke(driver, name):
    """Click "Revoke access" on the application called name."""
    for item in driver.find_elements(By.CSS_SELECTOR, "li.app"):
        if item.find_element(By.TAG_NAME, "h2").text == name:
            button = item.find_element(By.TAG_NAME, "button")
            button.click()
            WebDriverWait(driver, 20).until(expected_conditions.staleness_of(button))
            return page(driver)
    return None


def forge(driver, url, client_id):
    """A page of another origin posting a revoke form without the token."""
    form = ("<form method=post action='%s'><input name=client value='%s'>"
            "<button id=go>Win a prize</button></form>") % (url, client_id)
    driver.get("data:text/html," + form)
    button = driver.find_element(By.ID, "go")
    button.click()
    WebDriverWait(driver, 20).until(expected_conditions.staleness_of(button))
    return page(driver)


def screenshot(driver, path):
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": True})
    driver.save_screenshot(path)


def main():
    scene = json.loads(sys.argv[1])
    url, header, language = scene["url"], scene["header"], scene["language"]
    seen = {}
    driver = start()
    try:
        sign_in(driver, header, None, language)
        seen["anonymous"] = load(driver, url)
        sign_in(driver, header, scene["subject"], language)
        seen["listed"] = load(driver, url)
        seen["focused"] = tab_to_button(driver)
        seen["revoked"] = revoke(driver, scene["revoke"])
        seen["reloaded"] = load(driver, seen["revoked"]["url"]) if seen["revoked"] else None
        seen["forged"] = forge(driver, url, scene["forge_client"])
        seen["after_forged"] = load(driver, url)
        sign_in(driver, header, scene["screenshot_subject"], language)
        seen["screenshot"] = load(driver, url)
        screenshot(driver, scene["screenshot"])
    finally:
        driver.quit()
    json.dump(seen, sys.stdout)


if __name__ == "__main__":
    main()
