"""A real ``$BROWSER`` for the browser test: headless Chromium driven by Selenium.

Usage: ``python chromium_cmd.py URL``. Opens the sandbox's authorize page, fills the login form with
``BROWSER_USER`` / ``BROWSER_PASSWORD``, clicks Allow, and waits until the loopback callback page of
``c2c oauth login`` says the window can be closed. Writes a screenshot to ``BROWSER_SCREENSHOT`` if set.
"""

import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
# No traffic beyond loopback: these flags stop Chromium's background calls home.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def main(url: str) -> int:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(url)
        driver.find_element(By.NAME, "username").send_keys(os.environ["BROWSER_USER"])
        driver.find_element(By.NAME, "password").send_keys(os.environ["BROWSER_PASSWORD"])
        driver.find_element(By.CSS_SELECTOR, 'button[name="consent"][value="allow"]').click()
        WebDriverWait(driver, 20).until(
            expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), "close")
        )
        if shot := os.environ.get("BROWSER_SCREENSHOT"):
            driver.save_screenshot(shot)
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
