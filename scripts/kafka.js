// A local single-node Apache Kafka (KRaft) for development and tests, without Docker or a tarball:
// the broker's jars come from Maven Central (the only download site the machines reach) through a
// pom of our own, and the broker runs as a detached `java` process owned by its data directory.
//
//   node scripts/kafka.js start [--port 19092] [--controller-port 19093] [--data-dir .data/kafka]
//                               [--fresh] [--timeout 60]
//   node scripts/kafka.js stop  [--data-dir .data/kafka]
//   node scripts/kafka.js fetch          (download the jars only, e.g. to warm a CI cache)
//
// `start` prints the bootstrap address (host:port) alone on stdout, so that
// `KAFKA_BROKERS=$(node scripts/kafka.js start)` works; progress goes to stderr.
'use strict';

const childProcess = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { setInterval, clearInterval } = require('node:timers');
const { setTimeout: sleep } = require('node:timers/promises');
const { pathToFileURL } = require('node:url');
const { parseArgs } = require('node:util');

// 3.9 is the last Kafka line that still accepts the old protocol versions kafkajs 2.2.4 was tested
// against (4.0 removed them, KIP-896). Changing it needs the logging jars in the pom changed too.
const KAFKA_VERSION = '3.9.2';
const REPO_ROOT = path.resolve(__dirname, '..');
const POM = path.join(__dirname, 'kafka', 'pom.xml');
const LOG4J_CONFIG = path.join(__dirname, 'kafka', 'log4j.properties');
const DEFAULTS = Object.freeze({
  port: 19092,
  controllerPort: 19093,
  dataDir: path.join(REPO_ROOT, '.data', 'kafka'),
  timeoutMs: 60_000,
});

// Files the script owns inside a data dir. The marker is what makes `fresh` safe: a directory
// without it is never wiped.
const MARKER = '.rampart-kafka';
const PID_FILE = 'kafka.pid';
const PROPERTIES_FILE = 'server.properties';
const BROKER_LOG = 'broker.log';
const BROKER_OUT = 'broker.out';
const LOG_DIRS = 'kraft-logs';

class KafkaToolError extends Error {
  constructor(message) {
    super(message);
    this.name = 'KafkaToolError';
  }
}

function progress(message) {
  process.stderr.write(`kafka: ${message}\n`);
}

function cacheDir(version = KAFKA_VERSION) {
  return path.join(REPO_ROOT, '.cache', 'kafka', version);
}

function directorySize(dir) {
  let bytes = 0;
  for (const name of fs.readdirSync(dir)) bytes += fs.statSync(path.join(dir, name)).size;
  return bytes;
}

function megabytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Runs a command to completion; resolves with its exit code and combined output. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? 128, signal, output }));
  });
}

function javaExecutable() {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

async function assertJava() {
  const java = javaExecutable();
  let result;
  try {
    result = await run(java, ['-version']);
  } catch (error) {
    if (error.code === 'ENOENT') {
      throw new KafkaToolError(`Java not found (${java}): install a JDK 17 or later, or set JAVA_HOME`);
    }
    throw error;
  }
  if (result.code !== 0) {
    throw new KafkaToolError(`'${java} -version' failed: ${firstLine(result.output)}`);
  }
  const major = /version "(\d+)(?:\.(\d+))?/.exec(result.output);
  // Java 8 reports "1.8"; Kafka 3.9 brokers need 11+, and the machines run 17.
  const version = major ? (major[1] === '1' ? Number(major[2]) : Number(major[1])) : NaN;
  if (version < 11) {
    throw new KafkaToolError(
      `Kafka ${KAFKA_VERSION} needs Java 11 or later; found ${firstLine(result.output)}`,
    );
  }
}

/** The line of a tool's output worth showing: Maven's first error, else Java's exception, else the first. */
function firstLine(text) {
  // eslint-disable-next-line no-control-regex
  const lines = text.split('\n').map((line) => line.replace(/\u001b\[[0-9;]*m/g, '').trim());
  const maven = lines.find((line) => /^\[ERROR\] \S/.test(line));
  if (maven) return maven.replace(/^\[ERROR\] /, '').replace(/ -> \[Help \d+\]$/, '');
  const java = lines.find((line) => /(Exception|Error)\b/.test(line));
  if (java) return java.replace(/^Exception in thread "[^"]*" /, '');
  return lines.find(Boolean) ?? '(no output)';
}

/**
 * Makes sure the broker's jars are in `.cache/kafka/<version>/libs` and returns that directory.
 * Downloads them with Maven on first use; later calls only check the directory. Safe to call from
 * several processes at once: each resolves into its own directory and the first rename wins.
 */
async function ensureKafkaJars(options = {}) {
  const version = options.version ?? KAFKA_VERSION;
  const dir = cacheDir(version);
  const libs = path.join(dir, 'libs');
  if (fs.existsSync(path.join(libs, `kafka_2.13-${version}.jar`))) return libs;

  fs.mkdirSync(dir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(dir, 'libs.partial-'));
  const started = Date.now();
  progress(
    `first run: resolving Apache Kafka ${version} and its dependencies from Maven Central (about 50 MB)`,
  );
  const ticker = setInterval(
    () => progress(`  still resolving... ${Math.round((Date.now() - started) / 1000)}s`),
    10_000,
  );
  let result;
  try {
    result = await run('mvn', [
      '-q',
      '-B',
      '-Dstyle.color=never',
      // Re-try artifacts whose download failed before, instead of Maven's cached "not found".
      '-U',
      '-f',
      POM,
      `-Dkafka.version=${version}`,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
    ]);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (error.code === 'ENOENT')
      throw new KafkaToolError('Maven (mvn) not found on PATH: install Maven 3.8 or later');
    throw error;
  } finally {
    clearInterval(ticker);
  }
  if (result.code !== 0 || !fs.existsSync(path.join(staging, `kafka_2.13-${version}.jar`))) {
    fs.rmSync(staging, { recursive: true, force: true });
    const logFile = path.join(dir, 'mvn.log');
    fs.writeFileSync(logFile, result.output);
    throw new KafkaToolError(
      `Maven could not resolve org.apache.kafka:kafka_2.13:${version} (exit ${result.code}): ` +
        `${firstLine(result.output)} (full output: ${path.relative(process.cwd(), logFile)})`,
    );
  }
  const jars = fs.readdirSync(staging).length;
  const size = directorySize(staging);
  try {
    fs.renameSync(staging, libs);
  } catch (error) {
    // Another process finished first; its copy is as good as ours.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(libs)) throw error;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  progress(
    `resolved ${jars} jars, ${megabytes(size)} in ${seconds}s into ${path.relative(process.cwd(), libs)}`,
  );
  return libs;
}

function readPid(dataDir) {
  try {
    const pid = Number.parseInt(fs.readFileSync(path.join(dataDir, PID_FILE), 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * True when `pid` is a live broker started from `dataDir`. A stale pid file can name a pid the
 * system has since given to another process, so on Linux the command line is checked too.
 */
function isBrokerProcess(pid, dataDir) {
  const proc = `/proc/${pid}`;
  if (fs.existsSync('/proc/self')) {
    try {
      // An exited child not yet reaped still answers kill(0); its state is Z.
      const stat = fs.readFileSync(`${proc}/stat`, 'utf8');
      if (/^\d+ \(.*\) Z/.test(stat)) return false;
      const cmdline = fs.readFileSync(`${proc}/cmdline`, 'utf8').split('\0');
      return cmdline.includes('kafka.Kafka') && cmdline.includes(path.join(dataDir, PROPERTIES_FILE));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function runningPid(dataDir) {
  const pid = readPid(dataDir);
  return pid !== null && isBrokerProcess(pid, dataDir) ? pid : null;
}

function brokersFromProperties(dataDir) {
  const text = fs.readFileSync(path.join(dataDir, PROPERTIES_FILE), 'utf8');
  const match = /^advertised\.listeners=PLAINTEXT:\/\/(\S+)$/m.exec(text);
  if (!match)
    throw new KafkaToolError(`no advertised PLAINTEXT listener in ${path.join(dataDir, PROPERTIES_FILE)}`);
  return match[1];
}

function serverProperties({ port, controllerPort, logDirs }) {
  return [
    '# Written by scripts/kafka.js on every start; edits are lost.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${logDirs}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    // Tests start a consumer and expect its assignment at once, not after the default 3 s.
    'group.initial.rebalance.delay.ms=0',
    // Topics are created explicitly (ensureTopics), so a typo fails instead of making a topic.
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

function jvmArgs(libs, dataDir) {
  return [
    '-Xmx512m',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=${pathToFileURL(LOG4J_CONFIG).href}`,
    `-Dkafka.logs.dir=${dataDir}`,
    '-cp',
    `${libs}${path.sep}*`,
  ];
}

/**
 * The id the log dir was formatted with, or a new one: formatting again with a different id fails
 * even with --ignore-formatted.
 */
function clusterId(dataDir) {
  try {
    const meta = fs.readFileSync(path.join(dataDir, LOG_DIRS, 'meta.properties'), 'utf8');
    const match = /^cluster\.id=(\S+)$/m.exec(meta);
    if (match) return match[1];
  } catch {
    // Not formatted yet.
  }
  // Like Kafka's own Uuid.randomUuid: never starting with '-', which the storage tool's argument
  // parser would take for an option (one start in 64 failed with a usage message).
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function assertPortFree(port, label) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error) =>
      reject(
        new KafkaToolError(
          error.code === 'EADDRINUSE'
            ? `${label} port 127.0.0.1:${port} is already in use (another broker? pick another with --${label === 'broker' ? 'port' : 'controller-port'})`
            : `cannot listen on 127.0.0.1:${port}: ${error.message}`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

function logTail(dataDir, lines = 30) {
  const parts = [];
  for (const name of [BROKER_OUT, BROKER_LOG]) {
    const file = path.join(dataDir, name);
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8').trimEnd();
    if (text)
      parts.push(`--- ${file} (last ${lines} lines) ---\n${text.split('\n').slice(-lines).join('\n')}`);
  }
  return parts.length ? parts.join('\n') : `(no broker output in ${dataDir})`;
}

function prepareDataDir(dataDir, fresh) {
  if (fresh && fs.existsSync(dataDir)) {
    const entries = fs.readdirSync(dataDir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new KafkaToolError(
        `refusing to wipe ${dataDir}: it was not created by scripts/kafka.js (no ${MARKER})`,
      );
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  fs.mkdirSync(path.join(dataDir, LOG_DIRS), { recursive: true });
  fs.writeFileSync(path.join(dataDir, MARKER), 'Local Kafka data directory managed by scripts/kafka.js\n');
}

async function formatStorage(libs, dataDir) {
  const args = [
    ...jvmArgs(libs, dataDir),
    'kafka.tools.StorageTool',
    'format',
    `--cluster-id=${clusterId(dataDir)}`,
    '-c',
    path.join(dataDir, PROPERTIES_FILE),
    '--ignore-formatted',
  ];
  const result = await run(javaExecutable(), args);
  if (result.code !== 0) {
    throw new KafkaToolError(
      `formatting ${path.join(dataDir, LOG_DIRS)} failed: ${firstLine(result.output)}`,
    );
  }
}

function spawnBroker(libs, dataDir) {
  const out = fs.openSync(path.join(dataDir, BROKER_OUT), 'w');
  try {
    const child = childProcess.spawn(
      javaExecutable(),
      [...jvmArgs(libs, dataDir), 'kafka.Kafka', path.join(dataDir, PROPERTIES_FILE)],
      { cwd: dataDir, detached: true, stdio: ['ignore', out, out] },
    );
    child.unref();
    return child;
  } finally {
    fs.closeSync(out);
  }
}

/**
 * Polls the broker with a kafkajs admin client until it answers `describeCluster()` with at least
 * one broker, the child exits, or the deadline passes.
 */
async function waitUntilReady(brokers, child, deadline) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({
    clientId: 'rampart-kafka-ready',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
  });
  let exit = null;
  const onExit = (code, signal) => (exit = signal ?? `exit code ${code}`);
  child.once('exit', onExit);
  let lastError = null;
  try {
    while (Date.now() < deadline) {
      if (exit !== null)
        return { ready: false, reason: `the broker process ended (${exit}) during start-up` };
      const admin = kafka.admin({ retry: { retries: 0 } });
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length > 0) return { ready: true };
      } catch (error) {
        lastError = error;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      await sleep(250);
    }
    return {
      ready: false,
      reason: `no answer to describeCluster() in time (last error: ${lastError?.message ?? 'none'})`,
    };
  } finally {
    child.off('exit', onExit);
  }
}

function normalizeOptions(opts = {}) {
  const port = opts.port ?? DEFAULTS.port;
  const controllerPort = opts.controllerPort ?? DEFAULTS.controllerPort;
  for (const [name, value] of [
    ['port', port],
    ['controllerPort', controllerPort],
  ]) {
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      throw new KafkaToolError(`${name} must be a TCP port, got ${value}`);
  }
  if (port === controllerPort) throw new KafkaToolError('port and controllerPort must differ');
  return {
    port,
    controllerPort,
    dataDir: path.resolve(opts.dataDir ?? DEFAULTS.dataDir),
    fresh: opts.fresh === true,
    timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs,
  };
}

/**
 * Starts a single-node KRaft broker on 127.0.0.1 (or finds the one already running from the same
 * data dir) and resolves once it serves clients.
 *
 * @param {{ port?: number, controllerPort?: number, dataDir?: string, fresh?: boolean, timeoutMs?: number }} [opts]
 *   `fresh` stops any broker of that data dir and wipes it first.
 * @returns {Promise<{ brokers: string, pid: number, dataDir: string, stop(): Promise<void> }>}
 */
async function startKafka(opts) {
  const { port, controllerPort, dataDir, fresh, timeoutMs } = normalizeOptions(opts);
  const handle = (brokers, pid) => ({
    brokers,
    pid,
    dataDir,
    stop: () => stopKafka(dataDir).then(() => undefined),
  });

  if (fresh) {
    await stopKafka(dataDir);
  } else {
    const pid = runningPid(dataDir);
    if (pid !== null) return handle(brokersFromProperties(dataDir), pid);
  }

  await assertJava();
  const libs = await ensureKafkaJars();
  await assertPortFree(port, 'broker');
  await assertPortFree(controllerPort, 'controller');

  prepareDataDir(dataDir, fresh);
  fs.writeFileSync(
    path.join(dataDir, PROPERTIES_FILE),
    serverProperties({ port, controllerPort, logDirs: path.join(dataDir, LOG_DIRS) }),
  );
  await formatStorage(libs, dataDir);

  const deadline = Date.now() + timeoutMs;
  const child = spawnBroker(libs, dataDir);
  if (child.pid === undefined) {
    throw new KafkaToolError(`could not start ${javaExecutable()}: ${logTail(dataDir)}`);
  }
  fs.writeFileSync(path.join(dataDir, PID_FILE), `${child.pid}\n`);
  const brokers = `127.0.0.1:${port}`;
  const result = await waitUntilReady(brokers, child, deadline);
  if (!result.ready) {
    const tail = logTail(dataDir);
    await stopKafka(dataDir);
    throw new KafkaToolError(
      `broker at ${brokers} did not start (timeout ${Math.round(timeoutMs / 1000)}s): ${result.reason}\n${tail}`,
    );
  }
  return handle(brokers, child.pid);
}

async function waitForExit(pid, dataDir, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isBrokerProcess(pid, dataDir)) return true;
    await sleep(100);
  }
  return !isBrokerProcess(pid, dataDir);
}

/**
 * Stops the broker started from `dataDir`: SIGTERM (Kafka shuts down cleanly), then SIGKILL if it
 * has not exited after 30 s. Resolves to false when no broker was running; never throws for that.
 *
 * @param {string} [dataDir]
 * @returns {Promise<boolean>}
 */
async function stopKafka(dataDir = DEFAULTS.dataDir) {
  const dir = path.resolve(dataDir);
  const pid = runningPid(dir);
  if (pid === null) {
    fs.rmSync(path.join(dir, PID_FILE), { force: true });
    return false;
  }
  const signal = (name) => {
    try {
      process.kill(pid, name);
    } catch (error) {
      if (error.code !== 'ESRCH') throw error;
    }
  };
  signal('SIGTERM');
  if (!(await waitForExit(pid, dir, 30_000))) {
    signal('SIGKILL');
    if (!(await waitForExit(pid, dir, 10_000))) {
      throw new KafkaToolError(`broker pid ${pid} did not exit after SIGKILL`);
    }
  }
  fs.rmSync(path.join(dir, PID_FILE), { force: true });
  return true;
}

async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'controller-port': { type: 'string' },
      'data-dir': { type: 'string' },
      fresh: { type: 'boolean' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  const dataDir = path.resolve(values['data-dir'] ?? DEFAULTS.dataDir);
  const integer = (name, value) => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new KafkaToolError(`--${name} must be a number, got '${value}'`);
    return Number(value);
  };

  switch (command) {
    case 'start': {
      const alreadyRunning = !values.fresh && runningPid(dataDir) !== null;
      const started = Date.now();
      const broker = await startKafka({
        port: integer('port', values.port),
        controllerPort: integer('controller-port', values['controller-port']),
        dataDir,
        fresh: values.fresh === true,
        timeoutMs: (integer('timeout', values.timeout) ?? DEFAULTS.timeoutMs / 1000) * 1000,
      });
      progress(
        alreadyRunning
          ? `already running (pid ${broker.pid}, data ${broker.dataDir})`
          : `ready in ${((Date.now() - started) / 1000).toFixed(1)}s (pid ${broker.pid}, data ${broker.dataDir}); stop with: npm run kafka:stop`,
      );
      process.stdout.write(`${broker.brokers}\n`);
      return;
    }
    case 'stop': {
      const stopped = await stopKafka(dataDir);
      progress(stopped ? `stopped the broker of ${dataDir}` : `no broker running from ${dataDir}`);
      return;
    }
    case 'fetch': {
      await assertJava();
      const libs = await ensureKafkaJars();
      progress(`Kafka ${KAFKA_VERSION} jars in ${libs}`);
      return;
    }
    default:
      process.stderr.write(
        'usage: node scripts/kafka.js start [--port 19092] [--controller-port 19093] [--data-dir .data/kafka] [--fresh] [--timeout 60]\n' +
          '       node scripts/kafka.js stop [--data-dir .data/kafka]\n' +
          '       node scripts/kafka.js fetch\n',
      );
      process.exitCode = values.help ? 0 : 2;
  }
}

module.exports = { startKafka, stopKafka, ensureKafkaJars, KAFKA_VERSION };

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    // Our own errors are written to be read as they are; anything else keeps its stack.
    process.stderr.write(
      `kafka: ${error instanceof KafkaToolError || error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? error.message : error.stack}\n`,
    );
    process.exitCode = 1;
  });
}
