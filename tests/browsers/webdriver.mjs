// Firefox and WebKit for the cross-browser smoke, driven over W3C WebDriver by selenium-webdriver
// (playwright-core drives only Chromium builds it knows; Debian's Firefox and WebKitGTK are
// neither). Never a downloaded browser or driver: Debian's firefox-esr with geckodriver from
// crates.io, Debian's WebKitWebDriver with its MiniBrowser under a private Xvfb display.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Builder } from 'selenium-webdriver';
import chrome from 'selenium-webdriver/chrome.js';
import firefox from 'selenium-webdriver/firefox.js';
import { CHROMIUM_ARGS } from '../e2e/browser.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMEDRIVER = process.env.CHROMEDRIVER || '/usr/bin/chromedriver';
const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
const GECKODRIVER = process.env.GECKODRIVER || 'geckodriver';
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';
const MINIBROWSER = process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
// WebKit takes navigator.language from the environment: under LANG=C it is "C", which no
// Intl API accepts. A reader's browser has a real language.
const LANGUAGE_ENV = { LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' };
const TIMEOUTS = { script: 300_000, pageLoad: 120_000, implicit: 0 };

/** The engines this machine can run: those whose browser and driver are installed. */
export function availableEngines() {
  const onPath = (name) => name.includes('/') ? existsSync(name)
    : (process.env.PATH ?? '').split(':').some((dir) => existsSync(join(dir, name)));
  return {
    chromium: onPath(CHROMIUM) && onPath(CHROMEDRIVER),
    firefox: onPath(FIREFOX) && onPath(GECKODRIVER),
    webkit: onPath(WEBKIT_DRIVER) && existsSync(MINIBROWSER) && onPath('Xvfb'),
  };
}

/**
 * Starts a fresh, headless browser of `engine` with an empty profile.
 * @param {string} engine 'chromium', 'firefox' or 'webkit'
 * @returns {Promise<{driver: import('selenium-webdriver').WebDriver, close: () => Promise<void>}>}
 */
export async function launch(engine) {
  if (engine === 'chromium') return launchChromium();
  if (engine === 'firefox') return launchFirefox();
  if (engine === 'webkit') return launchWebkit();
  throw new Error(`unknown engine ${engine}: chromium, firefox or webkit`);
}

async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), 'minimax-chromium-'));
  const options = new chrome.Options().setChromeBinaryPath(CHROMIUM)
    .addArguments(...CHROMIUM_ARGS, `--user-data-dir=${profile}`, '--window-size=1280,1000');
  const service = new chrome.ServiceBuilder(CHROMEDRIVER);
  const driver = await new Builder().forBrowser('chrome').setChromeOptions(options).setChromeService(service).build();
  await driver.manage().setTimeouts(TIMEOUTS);
  return { driver, close: async () => { await driver.quit().catch(() => {}); rmSync(profile, { recursive: true, force: true }); } };
}

async function launchFirefox() {
  const profile = mkdtempSync(join(tmpdir(), 'minimax-firefox-'));
  const options = new firefox.Options().setBinary(FIREFOX).addArguments('-headless', '-profile', profile)
    .windowSize({ width: 1280, height: 1000 });
  // Stay off the network: no update checks, telemetry or remote settings on a closed machine.
  for (const [key, value] of Object.entries({
    'app.update.enabled': false, 'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.enabled': false, 'network.captive-portal-service.enabled': false,
    'browser.safebrowsing.update.enabled': false, 'extensions.update.enabled': false,
  })) options.setPreference(key, value);
  const service = new firefox.ServiceBuilder(GECKODRIVER); // an explicit driver: selenium-manager never runs
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  await driver.manage().setTimeouts(TIMEOUTS);
  return { driver, close: async () => { await driver.quit().catch(() => {}); rmSync(profile, { recursive: true, force: true }); } };
}

async function launchWebkit() {
  const display = await startXvfb();
  const port = await freePort();
  const env = { ...process.env, ...LANGUAGE_ENV, DISPLAY: display.name };
  const server = spawn(WEBKIT_DRIVER, [`--port=${port}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.on('data', (d) => (log = (log + d).slice(-4000)));
  await waitForPort(port, () => log);
  const stop = () => { server.kill(); display.stop(); };
  try {
    const driver = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    }).build();
    await driver.manage().setTimeouts(TIMEOUTS);
    await driver.manage().window().setRect({ width: 1280, height: 1000 }).catch(() => {});
    return { driver, close: async () => { await driver.quit().catch(() => {}); stop(); } };
  } catch (error) {
    stop();
    throw new Error(`WebKitWebDriver did not start a session: ${error.message}\n${log}`);
  }
}

async function startXvfb() {
  for (let n = 90 + (process.pid % 50); n < 200; n++) {
    const name = `:${n}`;
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const child = spawn('Xvfb', [name, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (existsSync(`/tmp/.X11-unix/X${n}`)) return { name, stop: () => child.kill() };
    child.kill();
  }
  throw new Error('Xvfb did not start a display');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    }).on('error', reject);
  });
}

async function waitForPort(port, log) {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/status`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WebKitWebDriver did not answer on port ${port}: ${log()}`);
}

