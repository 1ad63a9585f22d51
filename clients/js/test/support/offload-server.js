import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const JAR = join(ROOT, 'offload-server/target/offload.jar');
const START_TIMEOUT_MS = 60_000;

/** Two Standard Webhooks secrets: the server signs with both (a rotation), current first. */
export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const OLD_SECRET = `whsec_${Buffer.from('the-previous-secret-of-32-bytes!').toString('base64')}`;

/**
 * The real server jar as a child process, as a user runs it: `offload serve --port 0` on a fresh
 * SQLite folder, with signing on. Resolves once it logs its port and `/readyz` answers 200.
 * `restart()` kills the process (SIGKILL, as a crash) and starts it again on the same folder and port.
 * `args` are more options of `offload serve`.
 */
export async function startOffload({ secrets = [SECRET, OLD_SECRET], args = [] } = {}) {
  if (!existsSync(JAR)) {
    throw new Error(`${JAR} is missing: build it first from the repository root with ./build -q -pl offload-server -am package -DskipTests`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'offload-js-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OFFLOAD_')));
  env.OFFLOAD_SIGNING_SECRETS = secrets.join(',');
  let child;
  let log = '';
  const launch = async (port) => {
    child = spawn(javaBinary(), ['--enable-native-access=ALL-UNNAMED', '-jar', JAR, 'serve', '--port', String(port), '--data-dir', dataDir, ...args], {
      env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = log.length;
    child.stdout.on('data', (chunk) => { log += chunk; });
    child.stderr.on('data', (chunk) => { log += chunk; });
    const url = await waitForPort(child, () => log.slice(started));
    await waitForReady(url, child, () => log);
    return url;
  };
  const kill = async () => {
    if (child?.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL');
      await exited;
    }
  };
  const stop = async () => {
    await kill();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await launch(0);
    const restart = async () => {
      await kill();
      await launch(new URL(url).port);
    };
    return { url, stop, restart, log: () => log };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A JDK 21+ as the repository's scripts find it (JAVA_HOME, then /usr/lib/jvm): the default java may be older. */
export function javaBinary() {
  const javaHome = execFileSync('bash', ['-c', '. "$1" && offload_find_jdk >&2 && printf %s "$JAVA_HOME"', 'find-jdk', join(ROOT, 'bin/find-jdk.sh')], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  });
  return join(javaHome, 'bin/java');
}

async function waitForPort(child, log) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`offload serve exited with ${child.exitCode}:\n${log()}`);
    const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(log());
    if (match) return match[1];
    await sleep(50);
  }
  throw new Error(`offload serve logged no port within ${START_TIMEOUT_MS}ms:\n${log()}`);
}

async function waitForReady(url, child, log) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`offload serve exited with ${child.exitCode}:\n${log()}`);
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (response?.status === 200) return;
    await sleep(50);
  }
  throw new Error(`${url}/readyz did not answer 200 within ${START_TIMEOUT_MS}ms:\n${log()}`);
}

export function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}
